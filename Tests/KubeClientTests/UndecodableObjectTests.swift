import Foundation
import Testing
@testable import KubeClient
import KubeModel

/// One object that does not decode (a custom resource stored with `replicas: 9223372036854775808`,
/// which the server keeps as `9.223372036854776e+18`) is skipped and named; the list and the
/// watch of every other object go on.
@Suite struct UndecodableObjectTests {
    static func deployment(_ name: String, replicas: String, version: String) -> String {
        #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"\#(name)","namespace":"prod","resourceVersion":"\#(version)"},"spec":{"replicas":\#(replicas),"selector":{},"template":{}}}"#
    }

    @Test func aListSkipsTheObjectThatDoesNotDecodeAndNamesIt() throws {
        let body = #"{"kind":"DeploymentList","apiVersion":"apps/v1","metadata":{"resourceVersion":"9"},"items":["#
            + [Self.deployment("a", replicas: "1", version: "3"), Self.deployment("huge", replicas: "9.223372036854776e+18", version: "4"),
               Self.deployment("b", replicas: "2", version: "5")].joined(separator: ",") + "]}"
        let list = try JSONDecoder().decode(KubeList<Deployment>.self, from: Data(body.utf8))
        #expect(list.items.map(\.metadata.name) == ["a", "b"])
        #expect(list.undecodable.count == 1)
        #expect(list.undecodable.first?.name == "huge" && list.undecodable.first?.namespace == "prod")
        #expect(list.undecodable.first?.description.contains("9.223372036854776e+18") == true, "\(list.undecodable)")
    }

    @Test func aWatchStreamSkipsTheObjectThatDoesNotDecode() throws {
        let lines = [
            #"{"type":"ADDED","object":\#(Self.deployment("a", replicas: "1", version: "3"))}"#,
            #"{"type":"MODIFIED","object":\#(Self.deployment("huge", replicas: "9.223372036854776e+18", version: "4"))}"#,
            #"{"type":"ADDED","object":\#(Self.deployment("b", replicas: "2", version: "5"))}"#,
        ]
        var decoder = WatchStreamDecoder<Deployment>()
        let envelopes = try decoder.decode(Data((lines.joined(separator: "\n") + "\n").utf8))
        #expect(envelopes.count == 3)
        guard case .added(let first) = envelopes[0], case .undecodable(let skipped) = envelopes[1],
              case .added(let last) = envelopes[2] else {
            Issue.record("unexpected envelopes \(envelopes)")
            return
        }
        #expect(first.metadata.name == "a" && last.metadata.name == "b")
        #expect(skipped.name == "huge" && skipped.resourceVersion == "4")
    }

    @Test func theDriverDeliversTheOthersWithoutReconnecting() async throws {
        let transport = ScriptedTransport { index, _ in
            switch index {
            case 0:
                let body = #"{"metadata":{"resourceVersion":"9"},"items":["# + Self.deployment("bad", replicas: "1e300", version: "2")
                    + "," + Self.deployment("a", replicas: "1", version: "3") + "]}"
                return .response(HTTPResponse(status: 200, body: Data(body.utf8)))
            case 1:
                let lines = [
                    #"{"type":"ADDED","object":\#(Self.deployment("huge", replicas: "9.223372036854776e+18", version: "10"))}"#,
                    #"{"type":"ADDED","object":\#(Self.deployment("b", replicas: "2", version: "11"))}"#,
                ]
                return .stream(status: 200, chunks: [Data((lines.joined(separator: "\n") + "\n").utf8)], end: .hang)
            default:
                // Only reached when the list or the watch failed: end the test instead of retrying forever.
                let body = #"{"metadata":{"resourceVersion":"99"},"items":["# + Self.deployment("retried", replicas: "1", version: "99") + "]}"
                return .response(HTTPResponse(status: 200, body: Data(body.utf8)))
            }
        }
        let driver = WatchDriver<Deployment>(client: RESTClient(transport: transport), gvr: Deployment.gvr,
                                             namespace: "prod", configuration: WatchConfiguration(seed: 3),
                                             clock: VirtualClock())
        var names: [String] = []
        for await event in driver.events() {
            switch event {
            case .synced: names.append("synced")
            default: names.append(event.object?.metadata.name ?? "?")
            }
            if names.count == 3 { break }
        }
        #expect(names == ["a", "synced", "b"])
        #expect(await transport.requests.count == 2, "one list and one watch: nothing was retried")
    }
}
