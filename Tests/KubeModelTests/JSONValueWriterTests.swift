import Foundation
import Testing
@testable import KubeModel

/// The hand-written JSON writer gives Foundation's bytes (compact, without escaped slashes).
@Suite struct JSONValueWriterTests {
    private func foundation(_ value: JSONValue, sorted: Bool) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = sorted ? [.withoutEscapingSlashes, .sortedKeys] : [.withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private func written(_ value: JSONValue, sorted: Bool) -> String? {
        var writer = JSONValueWriter(sortedKeys: sorted)
        return writer.write(value) ? String(decoding: writer.bytes, as: UTF8.self) : nil
    }

    @Test func writesWhatFoundationWrites() throws {
        let values: [JSONValue] = [
            .null, true, false, 0, -7, .int(Int64.max), .int(Int64.min),
            1.0, 1.5, -2.25, 0.1, 1e20, 1e-7, 123456789.125, .double(-0.0), 9_007_199_254_740_992.0, 1e16,
            "", "plain", "a/b \"quoted\" back\\slash", "tab\tnew\nline\rret\u{08}\u{0C}", "\u{01}\u{1F}\u{7F}",
            "モデル✓ café 🚀", [], [:], [1, "two", [3.5, nil], ["k": false]],
            ["metadata": ["name": "web", "labels": ["b": "2", "a": "1", "A": "0", "a.b/c": "x"]],
             "spec": ["replicas": 2, "template": ["spec": ["containers": [["name": "c", "args": ["--x=1"]]]]]]],
        ]
        for value in values {
            #expect(written(value, sorted: true) == (try foundation(value, sorted: true)), "\(value)")
        }
        // Unsorted: the same members, in the dictionary's own order either way.
        let object: JSONValue = ["x": 1]
        #expect(written(object, sorted: false) == (try foundation(object, sorted: false)))
    }

    @Test func randomObjectsMatchFoundation() throws {
        var random = SystemRandomNumberGenerator()
        func value(depth: Int) -> JSONValue {
            switch Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &random) {
            case 0: return .null
            case 1: return .bool(Bool.random(using: &random))
            case 2: return .int(Int64.random(in: -1_000_000...1_000_000, using: &random))
            case 3: return .double(Double(Int.random(in: -10_000...10_000, using: &random)) / 64)
            case 4: return .string(String((0..<Int.random(in: 0..<12, using: &random)).map { _ in
                "aZ09 -_./\"\\\n\té🚀".randomElement(using: &random) ?? "a" }))
            case 5: return .array((0..<Int.random(in: 0..<4, using: &random)).map { _ in value(depth: depth + 1) })
            default:
                var members: [String: JSONValue] = [:]
                for _ in 0..<Int.random(in: 0..<5, using: &random) {
                    members[String((0..<Int.random(in: 1..<6, using: &random)).map { _ in
                        "abcXYZ-._/".randomElement(using: &random) ?? "a" })] = value(depth: depth + 1)
                }
                return .object(members)
            }
        }
        for _ in 0..<500 {
            let sample = value(depth: 0)
            #expect(written(sample, sorted: true) == (try foundation(sample, sorted: true)), "\(sample)")
        }
    }

    @Test func numbersJSONCannotCarryAreRefused() {
        #expect(written(.double(.nan), sorted: true) == nil)
        #expect(written(["x": .double(.infinity)], sorted: true) == nil)
        #expect(throws: (any Error).self) { _ = try JSONValue.double(.nan).jsonData() }
    }
}
