import Foundation
import Testing
@testable import KubeClient
import KubeModel

/// A Deployment as the server would send it, with a multi-byte annotation to exercise chunk splitting.
private func deployment(_ name: String, _ version: String, replicas: Int = 1) -> JSONValue {
    ["apiVersion": "apps/v1", "kind": "Deployment",
     "metadata": ["name": .string(name), "namespace": "prod", "resourceVersion": .string(version),
                  "annotations": ["note": .string("モデル✓ café 🚀 \(name)")]],
     "spec": ["replicas": .int(Int64(replicas)), "selector": ["matchLabels": ["app": .string(name)]],
              "template": ["metadata": ["labels": ["app": .string(name)]]]]]
}

private func list(_ items: [JSONValue], version: String, continue token: String? = nil) -> ScriptedReply {
    var metadata: [String: JSONValue] = ["resourceVersion": .string(version)]
    if let token { metadata["continue"] = .string(token) }
    return .json(200, ["apiVersion": "apps/v1", "kind": "DeploymentList", "metadata": .object(metadata),
                       "items": .array(items)])
}

private func event(_ type: String, _ object: JSONValue) -> String {
    JSONValue.object(["type": .string(type), "object": object]).jsonString
}

/// A 200 watch stream of these lines, cut into random chunks of 1...17 bytes.
private func watchStream(_ lines: [String], seed: UInt64, end: ScriptedReply.StreamEnd) -> ScriptedReply {
    let bytes = Data(lines.map { $0 + "\n" }.joined().utf8)
    return .stream(status: 200, chunks: randomChunks(bytes, seed: seed), end: end)
}

private func describe(_ event: WatchEvent<Deployment>) -> String {
    switch event {
    case .added(let d): return "+\(d.key)@\(d.metadata.resourceVersion ?? "")"
    case .modified(let d): return "~\(d.key)@\(d.metadata.resourceVersion ?? "") r\(d.spec?.replicas ?? -1)"
    case .deleted(let d): return "-\(d.key)@\(d.metadata.resourceVersion ?? "")"
    case .deletedFinalStateUnknown(let key): return "-\(key)@?"
    case .synced: return "synced"
    }
}

@Suite struct WatchDriverTests {
    /// The whole life of a watch over a scripted server: a paged list, events in random chunks,
    /// a bookmark, a timeout, an expired ERROR event, an HTTP 410, a dropped connection and a 500.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func followsTheServerThroughEveryKindOfInterruption(seed: UInt64) async throws {
        let transport = ScriptedTransport { index, _ in
            switch index {
            case 0: return list([deployment("a", "3"), deployment("b", "4")], version: "10", continue: "page2")
            case 1: return list([deployment("c", "5")], version: "10")
            case 2: return watchStream([
                event("ADDED", deployment("d", "11")),
                event("MODIFIED", deployment("a", "12", replicas: 3)),
                event("BOOKMARK", ["kind": "Deployment", "apiVersion": "apps/v1", "metadata": ["resourceVersion": "15"]]),
                event("DELETED", deployment("b", "16")),
                event("BOOKMARK", ["kind": "Deployment", "apiVersion": "apps/v1", "metadata": ["resourceVersion": "17"]]),
            ], seed: seed, end: .finish)
            case 3: return watchStream([
                event("ERROR", ["kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "Expired",
                                "message": "too old resource version: 17 (30)", "code": 410]),
                // Anything after the ERROR is from a dead watch and must be ignored.
                event("ADDED", deployment("ghost", "31")),
            ], seed: seed, end: .hang)
            case 4: return list([deployment("a", "12", replicas: 3), deployment("c", "20", replicas: 2),
                                 deployment("e", "25")], version: "30")
            case 5: return .json(410, ["kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "Expired",
                                       "message": "too old resource version", "code": 410])
            case 6: return list([deployment("a", "12", replicas: 3), deployment("e", "25")], version: "40")
            case 7: return .fail("connection refused")
            case 8: return .response(HTTPResponse(status: 500, body: Data("upstream exploded".utf8)))
            case 9: return watchStream([event("MODIFIED", deployment("e", "41", replicas: 5))], seed: seed,
                                       end: .fail("connection reset by peer"))
            default: return watchStream([event("ADDED", deployment("f", "50"))], seed: seed, end: .hang)
            }
        }
        let clock = VirtualClock()
        let driver = WatchDriver<Deployment>(
            client: RESTClient(transport: transport), gvr: Deployment.gvr, namespace: "prod",
            labelSelector: "tier=edge", configuration: WatchConfiguration(backoff: Backoff(initial: .milliseconds(800), cap: .seconds(30)), pageSize: 2, seed: seed),
            clock: clock)

        var received: [WatchEvent<Deployment>] = []
        for await event in driver.events() {
            received.append(event)
            if received.count == 13 { break }
        }

        #expect(received.map(describe) == [
            "+prod/a@3", "+prod/b@4", "+prod/c@5", "synced",
            "+prod/d@11", "~prod/a@12 r3", "-prod/b@16",
            // Relist after the expired ERROR event: c changed, e is new, d was deleted meanwhile.
            "~prod/c@20 r2", "+prod/e@25", "-prod/d@?",
            // Relist after HTTP 410: c was deleted meanwhile.
            "-prod/c@?",
            // After the connection errors the watch resumes from the last version.
            "~prod/e@41 r5",
            // The broken stream resumes from e's version.
            "+prod/f@50",
        ])
        let annotations = received.compactMap { $0.object?.metadata.annotations?["note"] }
        #expect(annotations.first == "モデル✓ café 🚀 a")
        #expect(annotations.allSatisfy { $0.hasPrefix("モデル✓ café 🚀 ") })

        let requests = await transport.requests
        let paths = requests.map { pathOnly($0.path) }
        #expect(Set(paths) == ["/apis/apps/v1/namespaces/prod/deployments"])
        let queries = requests.map { queryItems(of: $0.path) }
        #expect(queries[0] == ["labelSelector": "tier=edge", "limit": "2"])
        #expect(queries[1] == ["labelSelector": "tier=edge", "limit": "2", "continue": "page2"])
        let watches = queries.enumerated().filter { $0.element["watch"] == "true" }
        #expect(watches.map(\.offset) == [2, 3, 5, 7, 8, 9, 10])
        #expect(watches.map { $0.element["resourceVersion"] } == ["10", "17", "30", "40", "40", "40", "41"])
        for (_, query) in watches {
            #expect(query["allowWatchBookmarks"] == "true")
            #expect(query["labelSelector"] == "tier=edge")
            #expect((300...600).contains(Int(query["timeoutSeconds"] ?? "") ?? 0))
        }
        // Relists start from scratch (no resourceVersion).
        #expect(queries[4]["resourceVersion"] == nil && queries[6]["resourceVersion"] == nil)
        // Backoff for the refused connection, the 500, and the reset stream.
        #expect(await clock.sleeps == [.milliseconds(800), .milliseconds(1600), .milliseconds(3200)])
    }

    @Test func untypedWatchThroughTheClient() async throws {
        let transport = ScriptedTransport { index, _ in
            switch index {
            case 0: return .json(200, ["metadata": ["resourceVersion": "1"], "items": []])
            default: return watchStream([event("ADDED", ["metadata": ["name": "n1", "resourceVersion": "2"]])],
                                        seed: 9, end: .hang)
            }
        }
        var events: [String] = []
        for await event in RESTClient(transport: transport).watch(.nodes, configuration: WatchConfiguration(seed: 1)) {
            switch event {
            case .synced: events.append("synced")
            case .added(let node): events.append("+\(node.objectKey)")
            default: events.append("?")
            }
            if events.count == 2 { break }
        }
        #expect(events == ["synced", "+n1"])
        #expect(await pathOnly(transport.requests[1].path) == "/api/v1/nodes")
    }

    @Test func failedListsBackOffUntilTheServerAnswers() async throws {
        let transport = ScriptedTransport { index, _ in
            switch index {
            case 0: return .fail("connection refused")
            case 1: return .json(429, ["kind": "Status", "reason": "TooManyRequests", "message": "slow down", "code": 429],
                                 headers: ["retry-after": "4"])
            case 2: return .json(200, ["metadata": ["resourceVersion": "1"], "items": [deployment("a", "1")]])
            default: return watchStream([], seed: 1, end: .hang)
            }
        }
        let clock = VirtualClock()
        let driver = WatchDriver<Deployment>(client: RESTClient(transport: transport), gvr: Deployment.gvr,
                                             configuration: WatchConfiguration(backoff: Backoff(initial: .milliseconds(800), cap: .seconds(30)), seed: 3), clock: clock)
        var received: [String] = []
        for await event in driver.events() {
            received.append(describe(event))
            if received.count == 2 { break }
        }
        #expect(received == ["+prod/a@1", "synced"])
        #expect(await clock.sleeps == [.milliseconds(800), .seconds(4)])
        // A nil namespace lists across all namespaces.
        #expect(await pathOnly(transport.requests[0].path) == "/apis/apps/v1/deployments")
    }
}
