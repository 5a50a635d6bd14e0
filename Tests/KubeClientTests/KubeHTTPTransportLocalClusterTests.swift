import Foundation
import KubeClient
import LocalCluster
import TestSupport
import Testing

@Suite("KubeHTTPTransport against LocalCluster over loopback")
struct KubeHTTPTransportLocalClusterTests {
    @Test("the kubeconfig LocalCluster writes loads and drives the REST client")
    func kubeconfigToRESTClient() async throws {
        let cluster = try await LocalCluster.start(LocalClusterOptions(tokens: ["admin-token"]))
        let directory = try TempDir()
        defer { directory.remove() }
        do {
            let path = directory.file("kubeconfig")
            try await cluster.writeKubeconfig(to: path)
            let config = try ClusterConfigLoader.load(kubeconfigPath: path.path)
            #expect(config.credentials == .bearerToken("admin-token"))
            let client = RESTClient(transport: KubeHTTPTransport(config: config))
            let created = try await client.create(.configMaps, namespace: "default", body: [
                "apiVersion": "v1", "kind": "ConfigMap",
                "metadata": ["name": "probe"], "data": ["k": "v"],
            ])
            #expect(created["metadata"]?["uid"]?.stringValue?.isEmpty == false)
            let fetched = try await client.get(.configMaps, namespace: "default", name: "probe")
            #expect(fetched["data"]?["k"] == "v")

            // Without the token the server refuses: the credentials really are what got us in.
            let anonymous = RESTClient(transport: KubeHTTPTransport(config: ClusterConfig(server: config.server)))
            let error = await #expect(throws: KubeAPIError.self) {
                _ = try await anonymous.get(.configMaps, namespace: "default", name: "probe")
            }
            #expect(error?.code == 401)
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }

    @Test("a rotated service-account token is picked up after the server's 401")
    func tokenRotation() async throws {
        let cluster = try await LocalCluster.start(LocalClusterOptions(tokens: ["token-1"]))
        let directory = try TempDir()
        defer { directory.remove() }
        do {
            let tokenFile = directory.file("token")
            try Data("token-1".utf8).write(to: tokenFile)
            let config = ClusterConfig(server: cluster.baseURL.absoluteString, credentials: .bearerTokenFile(tokenFile.path))
            let client = RESTClient(transport: KubeHTTPTransport(config: config))
            _ = try await client.list(.namespaces)

            await cluster.setTokens(["token-2"])
            try Data("token-2".utf8).write(to: tokenFile)
            let namespaces = try await client.list(.namespaces)
            #expect(namespaces.items.isEmpty == false)
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }
}
