import Foundation
import Testing
@testable import FastJSON

/// Recurring dictionary keys and string values are held once, and the pool stays bounded.
@Suite struct StringPoolTests {
    private func storage(_ text: String) -> UnsafeRawPointer? {
        var copy = text
        return copy.withUTF8 { UnsafeRawPointer($0.baseAddress) }
    }

    @Test func labelsOfTwoObjectsShareTheirLongKeysAndValues() throws {
        let document = Data(#"{"app.kubernetes.io/managed-by-pool-test": "kubeedge-inference-pool-test", "k": "v"}"#.utf8)
        let first = try FastJSONDecoder().decode([String: String].self, from: document)
        let second = try FastJSONDecoder().decode([String: String].self, from: document)
        #expect(first == second)
        let key = "app.kubernetes.io/managed-by-pool-test"
        let firstKey = try #require(first.keys.first { $0 == key })
        let secondKey = try #require(second.keys.first { $0 == key })
        #expect(storage(firstKey) == storage(secondKey), "one copy of the key")
        #expect(storage(first[key] ?? "") == storage(second[key] ?? ""), "one copy of the value")
    }

    @Test func thePoolStopsGrowingAtItsLimit() {
        let pool = StringPool(limit: 3)
        let strings = (0..<10).map { "a string longer than fifteen bytes \($0)" }
        for text in strings { _ = pool.pooled(text) }
        #expect(pool.count == 3)
        // Pooled strings are still shared; the others are returned as they came.
        let again = String(strings[0].utf8.map { Character(UnicodeScalar($0)) })
        #expect(storage(pool.pooled(again)) == storage(pool.pooled(strings[0])))
        #expect(pool.pooled(strings[9]) == strings[9])
        // Short strings live inline in the String value: never pooled.
        let inline = StringPool(limit: 3)
        _ = inline.pooled("short")
        #expect(inline.count == 0)
    }
}
