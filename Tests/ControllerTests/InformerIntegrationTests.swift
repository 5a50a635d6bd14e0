import Foundation
import KubeClient
import CurlHTTP
import KubeModel
import LocalCluster
import Testing
@testable import Controller

/// Plain libcurl transport to a LocalCluster on 127.0.0.1.
private struct LoopbackTransport: HTTPTransport {
    let baseURL: String
    let engine: CurlEngine

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let response = try await engine.send(curlRequest(request))
        return HTTPResponse(status: response.head.status, headers: response.head.headers, body: response.body)
    }

    func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        let response = try await engine.stream(curlRequest(request))
        return HTTPStreamingResponse(status: response.head.status, headers: response.head.headers, body: response.body)
    }

    private func curlRequest(_ request: HTTPRequest) -> CurlRequest {
        CurlRequest(url: baseURL + request.path, method: request.method, headers: request.headers, body: request.body,
                    options: CurlRequestOptions(timeout: request.timeout, proxy: ""))
    }
}

@Suite struct InformerIntegrationTests {
    @Test func followsALocalClusterWithALabelSelector() async throws {
        let cluster = try await LocalCluster.start()
        do {
            try await followTheCluster(cluster)
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }

    private func followTheCluster(_ cluster: LocalCluster) async throws {
        let client = RESTClient(transport: LoopbackTransport(baseURL: "http://127.0.0.1:\(cluster.port)",
                                                             engine: CurlEngine()))
        func create(_ name: String, team: String) async throws {
            _ = try await client.create(.configMaps, namespace: "informer", body: [
                "apiVersion": "v1", "kind": "ConfigMap",
                "metadata": ["name": .string(name), "namespace": "informer", "labels": ["team": .string(team)]],
            ])
        }
        try await create("a", team: "ml")
        try await create("b", team: "web")
        try await create("c", team: "ml")

        let informer = Informer<JSONValue>(client: client, gvr: .configMaps, namespace: "informer",
                                           labelSelector: "team=ml")
        let changes = await informer.changes()
        await informer.start()
        // On an early exit, stop the informer (the normal path stops it below).
        defer { Task { await informer.stop() } }
        #expect(await informer.waitForSync(timeout: .seconds(30)))
        #expect(await informer.list().map(\.objectKey.name) == ["a", "c"])

        // Each change is taken before the next write (a subscriber that falls behind gets the
        // changes of one object merged: InformerSubscriptionTests).
        func describe(_ change: InformerChange<JSONValue>) -> String {
            let sign = switch change.kind { case .added: "+"; case .updated: "~"; case .deleted: "-" }
            return sign + change.key.name
        }
        var seen = try await first(2, of: changes).map(describe)
        try await create("d", team: "ml")
        seen += try await first(1, of: changes).map(describe)
        try await create("e", team: "web")
        _ = try await client.patch(.configMaps, namespace: "informer", name: "a",
                                   patch: .merge(["data": ["k": "v"]]))
        seen += try await first(1, of: changes).map(describe)
        try await client.delete(.configMaps, namespace: "informer", name: "c")
        seen += try await first(1, of: changes).map(describe)
        #expect(seen == ["+a", "+c", "+d", "~a", "-c"])
        #expect(await informer.get(namespace: "informer", name: "a")?["data"]?["k"] == "v")
        #expect(await informer.keys().map(\.name) == ["a", "d"])
        await informer.stop()
    }
}
