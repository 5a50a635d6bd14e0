import CurlHTTP
import Foundation
import KubeClient
import TestSupport
import Testing

@Suite("In-cluster configuration from a service-account directory")
struct InClusterConfigTests {
    private func makeServiceAccount(token: String = "sa-token", ca: Data = Data("ca".utf8),
                                    namespace: String? = "operators") throws -> TempDir {
        let directory = try TempDir()
        try Data(token.utf8).write(to: directory.file("token"))
        try ca.write(to: directory.file("ca.crt"))
        if let namespace { try Data(namespace.utf8).write(to: directory.file("namespace")) }
        return directory
    }

    @Test("server, CA, token file and namespace come from the environment and the directory")
    func loads() throws {
        let directory = try makeServiceAccount()
        defer { directory.remove() }
        let config = try InClusterConfig.load(
            environment: ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"],
            serviceAccountDirectory: directory.path)
        #expect(config.server == "https://10.96.0.1:443")
        #expect(config.credentials == .bearerTokenFile(directory.file("token").path))
        #expect(config.tls.certificateAuthority == .file(directory.file("ca.crt").path))
        #expect(config.tls.insecureSkipVerify == false)
        #expect(config.namespace == "operators")
    }

    @Test("an IPv6 service host is bracketed; a missing namespace file means default")
    func ipv6() throws {
        let directory = try makeServiceAccount(namespace: nil)
        defer { directory.remove() }
        let config = try InClusterConfig.load(
            environment: ["KUBERNETES_SERVICE_HOST": "fd00:10:96::1", "KUBERNETES_SERVICE_PORT": "6443"],
            serviceAccountDirectory: directory.path)
        #expect(config.server == "https://[fd00:10:96::1]:6443")
        #expect(config.namespace == "default")
    }

    @Test("missing environment or files are errors that say what is missing")
    func missingPieces() throws {
        let directory = try makeServiceAccount()
        defer { directory.remove() }
        let noEnvironment = #expect(throws: ClusterConfigError.self) {
            _ = try InClusterConfig.load(environment: [:], serviceAccountDirectory: directory.path)
        }
        #expect(noEnvironment?.description.contains("KUBERNETES_SERVICE_HOST") == true)
        try FileManager.default.removeItem(at: directory.file("token"))
        let noToken = #expect(throws: ClusterConfigError.self) {
            _ = try InClusterConfig.load(environment: ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"],
                                         serviceAccountDirectory: directory.path)
        }
        #expect(noToken?.description.contains(directory.file("token").path) == true)
    }

    @Test("the in-cluster CA verifies the API server over TLS")
    func overTLS() async throws {
        try await withTLSServer { pki, server in
            let directory = try makeServiceAccount(ca: try pki.contents("ca.pem"))
            defer { directory.remove() }
            let config = try InClusterConfig.load(
                environment: ["KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": "\(server.port)"],
                serviceAccountDirectory: directory.path)
            let transport = KubeHTTPTransport(config: config, engine: CurlEngine())
            #expect(try await transport.send(HTTPRequest(method: "GET", path: "/")).status == 200)
        }
    }
}
