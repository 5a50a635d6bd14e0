import FastJSON
import Foundation
import Testing

/// The same JSON as Foundation's encoder (`.withoutEscapingSlashes`), member order aside.
private func canonical(_ data: Data) throws -> String {
    let object = try JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)
    let sorted = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed])
    return String(decoding: sorted, as: UTF8.self)
}

private func foundation<T: Encodable>(_ value: T) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes]
    return try encoder.encode(value)
}

/// A class hierarchy: the subclass encodes into the same keyed container and into a super encoder.
private class Base: Encodable {
    var id = 7
    private enum Keys: String, CodingKey { case id }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(id, forKey: .id)
    }
}

private final class Derived: Base {
    var note = "derived"
    private enum Keys: String, CodingKey { case note, extra }
    override func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(note, forKey: .note)
        try super.encode(to: encoder)
        var again = encoder.container(keyedBy: Keys.self)
        try again.encode("second", forKey: .extra)
    }
}

/// Nested containers in every combination, and super encoders.
private struct Containers: Encodable {
    private enum Keys: String, CodingKey { case object, list, after, parent }
    private enum Inner: String, CodingKey { case a, b }

    func encode(to encoder: any Encoder) throws {
        var root = encoder.container(keyedBy: Keys.self)
        var object = root.nestedContainer(keyedBy: Inner.self, forKey: .object)
        try object.encode(1, forKey: .a)
        var deeper = object.nestedUnkeyedContainer(forKey: .b)
        try deeper.encode(true)
        try deeper.encodeNil()
        var list = root.nestedUnkeyedContainer(forKey: .list)
        var element = list.nestedContainer(keyedBy: Inner.self)
        try element.encode("x", forKey: .a)
        var inner = list.nestedUnkeyedContainer()
        try inner.encode(2.5)
        try list.encode([1, 2])
        try root.encode("done", forKey: .after)
        try Nested(id: 3, note: nil).encode(to: root.superEncoder(forKey: .parent))
        try Nested(id: 4, note: "s").encode(to: root.superEncoder())
    }
}

/// Writes to a nested container after its parent moved on: a misuse that must not corrupt the text.
private struct OutOfOrder: Encodable {
    private enum Keys: String, CodingKey { case first, second }
    func encode(to encoder: any Encoder) throws {
        var root = encoder.container(keyedBy: Keys.self)
        var first = root.nestedUnkeyedContainer(forKey: .first)
        try root.encode(1, forKey: .second)
        try first.encode(2)
    }
}

private struct Specials: Encodable {
    var data = Data([0, 1, 2, 250, 255])
    var url = URL(string: "http://127.0.0.1:8080/models/a%20b?x=1")
    var decimal = Decimal(string: "12.50")
    var date = Date(timeIntervalSinceReferenceDate: 1234.5)
    var empty = EncodesNothing()
}

private struct EncodesNothing: Encodable {
    func encode(to encoder: any Encoder) throws {}
}

@Suite("FastJSONEncoder writes what Foundation's JSONEncoder writes")
struct EncoderTests {
    @Test func aRichValueEncodesToTheSameJSON() throws {
        let sample = try FastJSONDecoder().decode(Sample.self, from: Data(sampleDocument.utf8))
        let fast = try FastJSONEncoder().encode(sample)
        #expect(try canonical(fast) == canonical(foundation(sample)))
        #expect(try FastJSONDecoder().decode(Sample.self, from: fast) == sample)
    }

    @Test func scalarsAndStringsAreWrittenByteForByte() throws {
        let text = "model-é\n \"q\" / \\ 🚀 \u{1} \t\u{8}\u{C}\r\u{1F}"
        #expect(try FastJSONEncoder().encode(text) == foundation(text))
        for number in [0.0, -0.0, 1.0, 0.5, -2.25, 1e300, 1e-7, 123456789.125, 9_007_199_254_740_992.0, 9_007_199_254_740_994.0, 1e16, -1e20] {
            #expect(try FastJSONEncoder().encode(number) == foundation(number), "\(number)")
        }
        #expect(try FastJSONEncoder().encode(Int64.min) == foundation(Int64.min))
        #expect(try FastJSONEncoder().encode(UInt64.max) == foundation(UInt64.max))
        #expect(try FastJSONEncoder().encode(Float(3.25)) == foundation(Float(3.25)))
        #expect(try FastJSONEncoder().encode([true, false]) == foundation([true, false]))
        #expect(try FastJSONEncoder().encode(["a": Box(v: 1)]) == foundation(["a": Box(v: 1)]))
        #expect(try FastJSONEncoder().encode([String?.none, "x"]) == foundation([String?.none, "x"]))
    }

    @Test func nestedContainersSuperEncodersAndRepeatedContainersMatch() throws {
        #expect(try canonical(FastJSONEncoder().encode(Containers())) == canonical(foundation(Containers())))
        #expect(try canonical(FastJSONEncoder().encode(Derived())) == canonical(foundation(Derived())))
        #expect(try canonical(FastJSONEncoder().encode(Derived())) == #"{"extra":"second","id":7,"note":"derived"}"#)
    }

    @Test func foundationsSpecialTypesAreWrittenAsFoundationWritesThem() throws {
        #expect(try canonical(FastJSONEncoder().encode(Specials())) == canonical(foundation(Specials())))
        let text = String(decoding: try FastJSONEncoder().encode(Specials()), as: UTF8.self)
        #expect(text.contains(#""data":"AAEC+v8=""#))
        #expect(text.contains(#""url":"http://127.0.0.1:8080/models/a%20b?x=1""#))
        #expect(text.contains(#""decimal":12.5"#))
        #expect(text.contains(#""date":1234.5"#))
        #expect(text.contains(#""empty":{}"#))
    }

    @Test func aNumberJSONCannotCarryIsRefusedWithItsPath() throws {
        #expect {
            try FastJSONEncoder().encode(["items": [Box(v: 1.0), Box(v: Double.nan)]])
        } throws: { error in
            guard case EncodingError.invalidValue(_, let context) = error else { return false }
            return context.codingPath.map(\.stringValue) == ["items", "Index 1", "v"]
        }
        #expect(throws: EncodingError.self) { try FastJSONEncoder().encode(Float.infinity) }
    }

    @Test func writingToAContainerItsParentMovedOnFromIsAnError() throws {
        #expect(throws: EncodingError.self) { try FastJSONEncoder().encode(OutOfOrder()) }
    }
}
