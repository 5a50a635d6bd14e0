import Foundation
import Testing
@testable import KubeClient
import KubeModel

@Suite struct WatchStreamDecoderTests {
    private static let lines = [
        #"{"type":"ADDED","object":{"metadata":{"name":"ä-model","resourceVersion":"1","annotations":{"note":"モデル✓ café 🚀"}}}}"#,
        #"{"type":"BOOKMARK","object":{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"resourceVersion":"7"}}}"#,
        #"{"type":"DELETED","object":{"metadata":{"name":"b","resourceVersion":"8"}}}"#,
        #"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old","reason":"Expired","code":410}}"#,
    ]

    @Test(arguments: [1, 2, 3, 5, 8, 13, 99] as [UInt64])
    func decodesTheSameEventsWhateverTheChunking(seed: UInt64) throws {
        let stream = Data((Self.lines.joined(separator: "\n") + "\n").utf8)
        var decoder = WatchStreamDecoder<JSONValue>()
        var events: [WatchEnvelope<JSONValue>] = []
        for chunk in randomChunks(stream, seed: seed, maxSize: 7) { events += try decoder.decode(chunk) }
        events += try decoder.finish()
        try #require(events.count == 4)
        guard case .added(let added) = events[0], case .bookmark(let version) = events[1],
              case .deleted(let deleted) = events[2], case .error(let status) = events[3] else {
            Issue.record("unexpected events \(events)")
            return
        }
        #expect(added[path: ["metadata", "annotations", "note"]] == "モデル✓ café 🚀")
        #expect(added.objectKey.name == "ä-model")
        #expect(version == "7")
        #expect(deleted.objectKey.name == "b")
        #expect(status.code == 410 && status.reason == "Expired")
    }

    @Test func splitsInsideAMultiByteCharacter() throws {
        let line = Data((Self.lines[0] + "\n").utf8)
        let emoji = try #require(line.firstRange(of: Data("🚀".utf8)))
        var decoder = WatchStreamDecoder<JSONValue>()
        // Cut between the second and third byte of the four-byte rocket.
        let cut = emoji.lowerBound + 2
        #expect(try decoder.decode(line[..<cut]).isEmpty)
        let events = try decoder.decode(line[cut...])
        guard case .added(let object) = events.first else {
            Issue.record("expected ADDED, got \(events)")
            return
        }
        #expect(object[path: ["metadata", "annotations", "note"]] == "モデル✓ café 🚀")
    }

    @Test func aLastLineWithoutNewlineIsDecodedAtTheEnd() throws {
        var decoder = WatchStreamDecoder<JSONValue>()
        #expect(try decoder.decode(Data(Self.lines[2].utf8)).isEmpty)
        #expect(try decoder.finish().count == 1)
    }

    @Test func crlfAndBlankLinesAreTolerated() throws {
        var splitter = LineSplitter()
        #expect(try splitter.append(Data("a\r\n\nb\n".utf8)).map { String(decoding: $0, as: UTF8.self) } == ["a", "b"])
    }

    @Test func malformedLinesGiveAClearError() {
        var decoder = WatchStreamDecoder<JSONValue>()
        do {
            _ = try decoder.decode(Data(#"{"type":"SIDEWAYS","object":{}}"# .utf8 + [0x0A]))
            Issue.record("decoded an unknown event type")
        } catch {
            #expect("\(error)".contains("unknown watch event type \"SIDEWAYS\""))
        }
    }

    @Test func typedObjectsDecodeFromEvents() throws {
        var decoder = WatchStreamDecoder<Deployment>()
        let line = #"{"type":"MODIFIED","object":"# + ModelFixtures.deployment.replacingOccurrences(of: "\n", with: "") + "}\n"
        let events = try decoder.decode(Data(line.utf8))
        guard case .modified(let deployment) = events.first else {
            Issue.record("expected MODIFIED")
            return
        }
        #expect(deployment.spec?.replicas == 2)
    }

    @Test func overlongLinesAreRejected() {
        var splitter = LineSplitter(maximumLineLength: 16)
        #expect(throws: WatchStreamError.self) { try splitter.append(Data(repeating: 0x41, count: 32)) }
    }
}
