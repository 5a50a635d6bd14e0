import Foundation
import KubeClient
import LocalCluster
import Testing

@Suite("Bearer-token authentication")
struct AuthTests {
    @Test("requests without the right token get 401 with a Status body; tokens can rotate at runtime")
    func tokens() async throws {
        try await withCluster(LocalClusterOptions(tokens: ["first"])) { cluster, api in
            let anonymous = try await api.get("/api/v1/namespaces")
            #expect(anonymous.status == 401)
            #expect(anonymous.body["kind"] == "Status")
            #expect(anonymous.body["reason"] == "Unauthorized")
            let wrong = try await APIClient(baseURL: api.baseURL, token: "nope").get("/api/v1/namespaces")
            #expect(wrong.status == 401)
            let first = APIClient(baseURL: api.baseURL, token: "first")
            #expect(try await first.get("/api/v1/namespaces").status == 200)
            await cluster.setTokens(["second"])
            #expect(try await first.get("/api/v1/namespaces").status == 401)
            #expect(try await APIClient(baseURL: api.baseURL, token: "second").get("/api/v1/namespaces").status == 200)
            #expect(await cluster.kubeconfig().contains("token: second"))
            #expect(try await api.get("/version").status == 200, "/version stays public like on real servers")
        }
    }
}
