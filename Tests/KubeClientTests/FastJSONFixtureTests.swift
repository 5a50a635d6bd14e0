import FastJSON
import Foundation
import Testing
@testable import KubeClient
import KubeModel

/// The watch and list paths decode with FastJSONDecoder; every object a real kube-apiserver sent
/// (`../shared/fixtures/kube-apiserver-1.25/`) must decode to exactly what JSONDecoder gives, as
/// every model type, whether it fits or not.
@Suite struct FastJSONFixtureTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("../shared/fixtures/kube-apiserver-1.25").standardizedFileURL

    static let exchanges: [String] = (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?
        .filter { $0.hasSuffix(".json") }.sorted() ?? []
    static let watchStreams: [String] = (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?
        .filter { $0.hasSuffix(".watch.jsonl") }.sorted() ?? []

    /// A recorded exchange, as its file holds it: the response body and the request body.
    struct Exchange<Body: Decodable & Equatable>: Decodable, Equatable {
        struct Request: Decodable, Equatable { var body: Body? }
        var body: Body?
        var request: Request?
    }

    /// The outcome of one decode, errors reduced to whether it decoded (their wording differs).
    enum Outcome<T: Equatable>: Equatable {
        case value(T)
        case refused
    }

    static func outcome<T: Decodable & Equatable>(_ decode: () throws -> T) -> Outcome<T> {
        (try? decode()).map(Outcome.value) ?? .refused
    }

    /// Decodes with both decoders; returns whether they agreed and whether the value decoded.
    @discardableResult
    static func expectSame<T: Decodable & Equatable>(_ type: T.Type, _ data: Data, _ what: String,
                                                     sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let expected = outcome { try JSONDecoder().decode(T.self, from: data) }
        let actual = outcome { try FastJSONDecoder().decode(T.self, from: data) }
        #expect(expected == actual, "\(what) as \(T.self)", sourceLocation: sourceLocation)
        return expected != .refused
    }

    /// Every exchange file, as every model type: values equal or both refused.
    @Test func everyFixtureDecodesAsWithJSONDecoderAsEveryModelType() throws {
        #expect(Self.exchanges.count >= 50, "fixtures not found in \(Self.directory.path)")
        var decodedTyped = 0
        for name in Self.exchanges {
            let data = try Data(contentsOf: Self.directory.appendingPathComponent(name))
            #expect(Self.expectSame(Exchange<JSONValue>.self, data, name))
            let typed = [
                Self.expectSame(Exchange<Deployment>.self, data, name), Self.expectSame(Exchange<KubeList<Deployment>>.self, data, name),
                Self.expectSame(Exchange<Service>.self, data, name), Self.expectSame(Exchange<KubeList<Service>>.self, data, name),
                Self.expectSame(Exchange<Pod>.self, data, name), Self.expectSame(Exchange<KubeList<Pod>>.self, data, name),
                Self.expectSame(Exchange<Node>.self, data, name), Self.expectSame(Exchange<KubeList<Node>>.self, data, name),
                Self.expectSame(Exchange<Event>.self, data, name), Self.expectSame(Exchange<KubeList<Event>>.self, data, name),
                Self.expectSame(Exchange<Lease>.self, data, name), Self.expectSame(Exchange<Status>.self, data, name),
                Self.expectSame(Exchange<CustomResourceDefinition>.self, data, name),
                Self.expectSame(Exchange<KubeList<JSONValue>>.self, data, name),
                Self.expectSame(Exchange<ObjectMeta>.self, data, name),
            ]
            decodedTyped += typed.filter { $0 }.count
        }
        // Not everything refused: the typed comparisons compared values.
        #expect(decodedTyped > Self.exchanges.count * 3)
    }

    @Test func listFixturesDecodeToTheSameItems() throws {
        func body(_ name: String) throws -> Data {
            let exchange = try JSONValue.parse(Data(contentsOf: Self.directory.appendingPathComponent("\(name).json")))
            return try (exchange["body"] ?? .null).jsonData()
        }
        let deployments = try FastJSONDecoder().decode(KubeList<Deployment>.self, from: body("deployment-list"))
        #expect(deployments == (try JSONDecoder().decode(KubeList<Deployment>.self, from: body("deployment-list"))))
        #expect(!deployments.items.isEmpty && deployments.items.allSatisfy { $0.spec?.template.spec?.containers.isEmpty == false })
        let pods = try FastJSONDecoder().decode(KubeList<Pod>.self, from: body("pod-list"))
        #expect(pods == (try JSONDecoder().decode(KubeList<Pod>.self, from: body("pod-list"))))
        #expect(!pods.items.isEmpty)
        let nodes = try FastJSONDecoder().decode(KubeList<Node>.self, from: body("node-list"))
        #expect(nodes == (try JSONDecoder().decode(KubeList<Node>.self, from: body("node-list"))))
        #expect(nodes.items.contains { $0.status?.capacity?.isEmpty == false })
    }

    /// Every line of every recorded watch stream, through the watch path and through JSONDecoder.
    @Test(arguments: watchStreams)
    func watchStreamsDecodeToTheSameEvents(name: String) throws {
        let stream = try Data(contentsOf: Self.directory.appendingPathComponent(name))
        let lines = stream.split(separator: 0x0A).map { Data($0) }
        #expect(!lines.isEmpty)
        for line in lines {
            #expect(Self.expectSame(WatchLine<Deployment>.self, line, name) || name.contains("too-old"))
            Self.expectSame(WatchLine<JSONValue>.self, line, name)
            Self.expectSame(WatchLine<Pod>.self, line, name)
            Self.expectSame(WatchLine<Service>.self, line, name)
        }
        var watchPath = WatchStreamDecoder<JSONValue>()
        let events = try watchPath.decode(stream) + (try watchPath.finish())
        #expect(events.map(WatchLine.init) == (try lines.map { try JSONDecoder().decode(WatchLine<JSONValue>.self, from: $0) }))
    }

    @Test func aDeploymentAsTheOperatorRendersItDecodesTheSame() throws {
        let deployment = try JSONDecoder().decode(Deployment.self, from: Data(ModelFixtures.deployment.utf8))
        let line = Data(#"{"type":"MODIFIED","object":"#.utf8) + (try JSONEncoder().encode(deployment)) + Data("}".utf8)
        var watchPath = WatchStreamDecoder<Deployment>()
        let events = try watchPath.decode(line + Data([0x0A]))
        #expect(events.map(WatchLine.init) == [try JSONDecoder().decode(WatchLine<Deployment>.self, from: line)])
        #expect(events.map(WatchLine.init) == [.modified(deployment)])
    }

    /// JSONValue builds itself from FastJSON's tape in one pass; it must give what its `init(from:)`
    /// gives through JSONDecoder's containers, and refuse what that refuses.
    @Test func jsonValuesDecodeAsThroughContainers() {
        let values = [
            "0", "-0", "1.0", "2.5", "1e3", "1E-2", "1e-400", "1e400", "9223372036854775807", "9223372036854775808",
            "-9223372036854775809", "9007199254740993.0", "01", "1.", "-", "0.1", "-0.0e-5", "true", "null", #""s""#,
            #""\u00e9\ud83d\ude80""#, #""\x""#, #""\ud800""#, "[]", "{}", "[1,[2,{\"a\":null}],\"x\",]", #"{"a":1,"a":2}"#,
            #"{"a":1,"b":[1,01]}"#, #"{"a":"\q"}"#, #"{"\u0061":1,"a":2}"#, #"{"a":{"b":{"c":[true,false,null]}}}"#,
        ]
        for value in values {
            Self.expectSame(JSONValue.self, Data(value.utf8), value)
            Self.expectSame([String: JSONValue].self, Data(#"{"v":\#(value)}"#.utf8), value)
            Self.expectSame(ListOutcome<JSONValue>.self, Data(#"{"items":[\#(value),{"metadata":{"name":"x"}}]}"#.utf8), value)
        }
        Self.expectSame(JSONValue.self, Data([0x22, 0xC3, 0x28, 0x22]), "invalid UTF-8")
    }

    @Test func undecodableObjectsAreSkippedByBothAndNamed() throws {
        let body = #"{"metadata":{"resourceVersion":"9"},"items":["#
            + UndecodableObjectTests.deployment("a", replicas: "1", version: "3") + ","
            + UndecodableObjectTests.deployment("huge", replicas: "9.223372036854776e+18", version: "4") + ","
            + UndecodableObjectTests.deployment("zero", replicas: "01", version: "5") + "]}"
        let fast = try FastJSONDecoder().decode(KubeList<Deployment>.self, from: Data(body.utf8))
        let foundation = try JSONDecoder().decode(KubeList<Deployment>.self, from: Data(body.utf8))
        #expect(fast.items == foundation.items && fast.items.map(\.metadata.name) == ["a"])
        #expect(fast.undecodable.map(\.name) == foundation.undecodable.map(\.name))
        #expect(fast.undecodable.map(\.problem) == [
            "items[1].spec.replicas: Number 9.223372036854776e+18 is not representable as Int",
            "items[2].spec.replicas: 01 is not a valid JSON number",
        ])
    }
}

/// A list reduced to what both decoders must agree on: the items, and how many were skipped (the
/// wording of why differs).
struct ListOutcome<Item: Decodable & Sendable & Equatable>: Decodable, Equatable {
    var items: [Item]
    var skipped: Int

    init(from decoder: Decoder) throws {
        let list = try KubeList<Item>(from: decoder)
        items = list.items
        skipped = list.undecodable.count
    }
}

/// A watch event reduced to something comparable (`WatchEnvelope` is not Equatable).
enum WatchLine<Object: Decodable & Sendable & Equatable>: Decodable, Equatable {
    case added(Object), modified(Object), deleted(Object), bookmark(String), error(Status)
    /// Skipped object: its identity (the problem's wording differs between decoders).
    case undecodable(String?, String?, String?)

    init(_ envelope: WatchEnvelope<Object>) {
        switch envelope {
        case .added(let object): self = .added(object)
        case .modified(let object): self = .modified(object)
        case .deleted(let object): self = .deleted(object)
        case .bookmark(let version): self = .bookmark(version)
        case .error(let status): self = .error(status)
        case .undecodable(let object): self = .undecodable(object.namespace, object.name, object.resourceVersion)
        }
    }

    init(from decoder: Decoder) throws {
        self.init(try WatchEnvelope<Object>(from: decoder))
    }
}
