import CurlHTTP
import Foundation
import KubeClient
import KubeModel
import TestSupport
import Testing

/// A kubeconfig with one cluster, one user and one context, in YAML.
private func kubeconfig(cluster: String, user: String, context: String = "test", namespace: String? = nil,
                        server: String = "https://127.0.0.1:6443") -> String {
    """
    apiVersion: v1
    kind: Config
    current-context: \(context)
    clusters:
    - name: c-\(context)
      cluster:
        server: \(server)
    \(cluster.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
    users:
    - name: u-\(context)
      user:
    \(user.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
    contexts:
    - name: \(context)
      context:
        cluster: c-\(context)
        user: u-\(context)
    \(namespace.map { "    namespace: \($0)" } ?? "")
    """
}

private func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

@Suite("Kubeconfig parsing, merging and resolution")
struct KubeconfigTests {
    @Test("CA data and a token")
    func caDataAndToken() throws {
        let text = kubeconfig(cluster: "certificate-authority-data: \(base64("CA PEM"))", user: "token: abc",
                              namespace: "team-a")
        let config = try Kubeconfig.parse(text, path: "/etc/kube/config").clusterConfig()
        #expect(config.server == "https://127.0.0.1:6443")
        #expect(config.tls.certificateAuthority == .pem(Data("CA PEM".utf8)))
        #expect(config.tls.insecureSkipVerify == false)
        #expect(config.credentials == .bearerToken("abc"))
        #expect(config.namespace == "team-a")
    }

    @Test("file references are resolved against the kubeconfig's directory")
    func relativeFiles() throws {
        let text = kubeconfig(cluster: "certificate-authority: certs/ca.pem",
                              user: "client-certificate: certs/client.pem\nclient-key: /abs/client.key\ntokenFile: ../token")
        let config = try Kubeconfig.parse(text, path: "/home/me/.kube/config").clusterConfig()
        #expect(config.tls.certificateAuthority == .file("/home/me/.kube/certs/ca.pem"))
        #expect(config.tls.clientCertificate == .file("/home/me/.kube/certs/client.pem"))
        #expect(config.tls.clientKey == .file("/abs/client.key"))
        #expect(config.credentials == .bearerTokenFile("/home/me/token"))
    }

    @Test("client certificate and key as data; data wins over a file")
    func clientCertificateData() throws {
        let text = kubeconfig(cluster: "certificate-authority: ca.pem",
                              user: "client-certificate-data: \(base64("CERT"))\nclient-certificate: ignored.pem\n"
                                  + "client-key-data: \(base64("KEY"))")
        let config = try Kubeconfig.parse(text, path: "/k/config").clusterConfig()
        #expect(config.tls.clientCertificate == .pem(Data("CERT".utf8)))
        #expect(config.tls.clientKey == .pem(Data("KEY".utf8)))
        #expect(config.credentials == .none)
    }

    @Test("a certificate without its key is rejected")
    func certificateWithoutKey() throws {
        let text = kubeconfig(cluster: "certificate-authority: ca.pem", user: "client-certificate-data: \(base64("CERT"))")
        let error = #expect(throws: ClusterConfigError.self) {
            _ = try Kubeconfig.parse(text, path: "/k/config").clusterConfig()
        }
        #expect(error?.description.contains("key") == true)
    }

    @Test("insecure-skip-tls-verify is honoured only when literally true")
    func insecureFlag() throws {
        func insecure(_ line: String) throws -> Bool {
            try Kubeconfig.parse(kubeconfig(cluster: line, user: "token: t"), path: "/k/config")
                .clusterConfig().tls.insecureSkipVerify
        }
        #expect(try insecure("insecure-skip-tls-verify: true") == true)
        #expect(try insecure("insecure-skip-tls-verify: false") == false)
        #expect(try insecure("certificate-authority: ca.pem") == false)
        let error = #expect(throws: ClusterConfigError.self) { _ = try insecure("insecure-skip-tls-verify: \"yes\"") }
        #expect(error?.description.contains("insecure-skip-tls-verify") == true)
    }

    @Test("username and password give basic credentials; exec plugins are refused clearly")
    func otherCredentials() throws {
        let basic = try Kubeconfig.parse(kubeconfig(cluster: "insecure-skip-tls-verify: false",
                                                    user: "username: admin\npassword: pw"), path: "/k/config")
        #expect(try basic.clusterConfig().credentials == .basic(username: "admin", password: "pw"))
        let exec = try Kubeconfig.parse(kubeconfig(cluster: "insecure-skip-tls-verify: false",
                                                   user: "exec:\n  command: aws"), path: "/k/config")
        let error = #expect(throws: ClusterConfigError.self) { _ = try exec.clusterConfig() }
        #expect(error?.description.contains("exec") == true)
    }

    @Test("a KUBECONFIG list merges like kubectl: first file wins per name and for current-context")
    func mergeAndCurrentContext() throws {
        let directory = try TempDir()
        defer { directory.remove() }
        let first = directory.file("first.yaml")
        let second = directory.file("second.json")
        try Data(kubeconfig(cluster: "insecure-skip-tls-verify: true", user: "token: first-token",
                            context: "shared", server: "https://127.0.0.1:1111").utf8).write(to: first)
        // JSON is valid YAML: kubectl accepts JSON kubeconfigs too.
        let secondConfig: JSONValue = [
            "current-context": "other",
            "clusters": [
                ["name": "c-shared", "cluster": ["server": "https://127.0.0.1:2222"]],
                ["name": "c-other", "cluster": ["server": "https://127.0.0.1:3333"]],
            ],
            "users": [["name": "u-other", "user": ["token": "other-token"]]],
            "contexts": [["name": "other", "context": ["cluster": "c-other", "user": "u-other", "namespace": "ns2"]]],
        ]
        try secondConfig.jsonData().write(to: second)
        let missing = directory.file("missing.yaml").path
        let environment = ["KUBECONFIG": [first.path, missing, second.path].joined(separator: ":"),
                           "HOME": directory.path]

        let current = try ClusterConfigLoader.load(environment: environment)
        #expect(current.server == "https://127.0.0.1:1111")  // c-shared from the first file
        #expect(current.credentials == .bearerToken("first-token"))
        #expect(current.tls.insecureSkipVerify == true)

        let other = try ClusterConfigLoader.load(context: "other", environment: environment)
        #expect(other.server == "https://127.0.0.1:3333")
        #expect(other.credentials == .bearerToken("other-token"))
        #expect(other.namespace == "ns2")

        let unknown = #expect(throws: ClusterConfigError.self) {
            _ = try ClusterConfigLoader.load(context: "nope", environment: environment)
        }
        #expect(unknown?.description.contains("nope") == true)
    }

    @Test("the loader prefers an explicit path, then KUBECONFIG, then ~/.kube/config, then in-cluster")
    func loaderOrder() throws {
        let directory = try TempDir()
        defer { directory.remove() }
        func write(_ name: String, port: Int) throws -> String {
            let url = directory.file(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(kubeconfig(cluster: "insecure-skip-tls-verify: false", user: "token: t",
                                server: "https://127.0.0.1:\(port)").utf8).write(to: url)
            return url.path
        }
        let explicit = try write("explicit", port: 1)
        let listed = try write("listed", port: 2)
        _ = try write("home/.kube/config", port: 3)
        let serviceAccount = directory.file("sa")
        try FileManager.default.createDirectory(at: serviceAccount, withIntermediateDirectories: true)
        try Data("tok".utf8).write(to: serviceAccount.appendingPathComponent("token"))
        try Data("ca".utf8).write(to: serviceAccount.appendingPathComponent("ca.crt"))
        let inCluster = ["KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": "4"]
        let home = directory.file("home").path
        let empty = directory.file("empty").path

        func server(_ path: String?, _ environment: [String: String], home: String) throws -> String {
            try ClusterConfigLoader.load(kubeconfigPath: path, environment: environment, homeDirectory: home,
                                         serviceAccountDirectory: serviceAccount.path).server
        }
        let all = inCluster.merging(["KUBECONFIG": listed]) { a, _ in a }
        #expect(try server(explicit, all, home: home) == "https://127.0.0.1:1")
        #expect(try server(nil, all, home: home) == "https://127.0.0.1:2")
        #expect(try server(nil, inCluster, home: home) == "https://127.0.0.1:3")
        #expect(try server(nil, inCluster, home: empty) == "https://127.0.0.1:4")
        let missingExplicit = #expect(throws: ClusterConfigError.self) {
            _ = try server(directory.file("nope").path, all, home: home)
        }
        #expect(missingExplicit?.description.contains("nope") == true)
    }

    @Test("with no configuration anywhere the error names each place and how to fix it")
    func nothingFound() throws {
        let directory = try TempDir()
        defer { directory.remove() }
        let error = #expect(throws: ClusterConfigError.self) {
            _ = try ClusterConfigLoader.load(environment: [:], homeDirectory: directory.path)
        }
        let message = error?.description ?? ""
        #expect(message.contains("KUBECONFIG"))
        #expect(message.contains(directory.file(".kube/config").path))
        #expect(message.contains("KUBERNETES_SERVICE_HOST"))
        #expect(message.contains("--kubeconfig"))
    }

    @Test("invalid YAML and malformed entries are reported with the file name")
    func malformed() throws {
        let badYAML = #expect(throws: ClusterConfigError.self) {
            _ = try Kubeconfig.parse("clusters: [", path: "/k/broken")
        }
        #expect(badYAML?.description.contains("/k/broken") == true)
        let noServer = #expect(throws: ClusterConfigError.self) {
            _ = try Kubeconfig.parse("clusters:\n- name: a\n  cluster: {}\n", path: "/k/config")
        }
        #expect(noServer?.description.contains("server") == true)
        let badBase64 = #expect(throws: ClusterConfigError.self) {
            _ = try Kubeconfig.parse(kubeconfig(cluster: "certificate-authority-data: '%%%'", user: "token: t"),
                                     path: "/k/config")
        }
        #expect(badBase64?.description.contains("base64") == true)
    }
}

@Suite("Kubeconfig variants over TLS against openssl s_server")
struct KubeconfigTLSTests {
    private func get(_ yaml: String, in pki: TestPKI) async throws -> Int {
        let path = pki.path("kubeconfig-\(UUID().uuidString)")
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        let config = try ClusterConfigLoader.load(kubeconfigPath: path)
        let transport = KubeHTTPTransport(config: config, engine: CurlEngine())
        return try await transport.send(HTTPRequest(method: "GET", path: "/")).status
    }

    @Test("CA data verifies; a wrong CA fails unless insecure-skip-tls-verify is true")
    func caVariants() async throws {
        try await withTLSServer { pki, server in
            let right = try pki.contents("ca.pem").base64EncodedString()
            let wrong = try pki.contents("other-ca.pem").base64EncodedString()
            #expect(try await get(kubeconfig(cluster: "certificate-authority-data: \(right)", user: "token: t",
                                             server: server.baseURL), in: pki) == 200)
            // A relative CA file, next to the kubeconfig.
            #expect(try await get(kubeconfig(cluster: "certificate-authority: ca.pem", user: "token: t",
                                             server: server.baseURL), in: pki) == 200)
            let error = await #expect(throws: CurlError.self) {
                _ = try await get(kubeconfig(cluster: "certificate-authority-data: \(wrong)", user: "token: t",
                                             server: server.baseURL), in: pki)
            }
            #expect(error?.kind == .tls)
            await #expect(throws: CurlError.self) {
                _ = try await get(kubeconfig(cluster: "certificate-authority-data: \(wrong)\ninsecure-skip-tls-verify: false",
                                             user: "token: t", server: server.baseURL), in: pki)
            }
            #expect(try await get(kubeconfig(cluster: "certificate-authority-data: \(wrong)\ninsecure-skip-tls-verify: true",
                                             user: "token: t", server: server.baseURL), in: pki) == 200)
        }
    }

    @Test("client certificate and key from the kubeconfig, as data or files, satisfy mutual TLS")
    func clientCertificates() async throws {
        try await withTLSServer(requireClientCertificate: true) { pki, server in
            let ca = try pki.contents("ca.pem").base64EncodedString()
            let certificate = try pki.contents("client.pem").base64EncodedString()
            let key = try pki.contents("client.key").base64EncodedString()
            #expect(try await get(kubeconfig(cluster: "certificate-authority-data: \(ca)",
                                             user: "client-certificate-data: \(certificate)\nclient-key-data: \(key)",
                                             server: server.baseURL), in: pki) == 200)
            #expect(try await get(kubeconfig(cluster: "certificate-authority: ca.pem",
                                             user: "client-certificate: client.pem\nclient-key: client.key",
                                             server: server.baseURL), in: pki) == 200)
            await #expect(throws: CurlError.self) {
                _ = try await get(kubeconfig(cluster: "certificate-authority: ca.pem", user: "token: t",
                                             server: server.baseURL), in: pki)
            }
        }
    }
}
