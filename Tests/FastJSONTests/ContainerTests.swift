import FastJSON
import Foundation
import Testing

/// Containers behave as Foundation's: what a custom `init(from:)` sees is the same.
@Suite struct ContainerTests {
    /// Walks a document through every container operation and records what each returned or threw.
    struct Trace: Decodable, Equatable {
        var steps: [String] = []

        enum Keys: String, CodingKey { case list, object, missing, null, number }

        init(from decoder: Decoder) throws {
            func record(_ name: String, _ body: () throws -> String) {
                do {
                    steps.append("\(name): \(try body())")
                } catch let error as DecodingError {
                    steps.append("\(name): \(Self.kind(error))")
                } catch {
                    steps.append("\(name): refused")
                }
            }
            let keyed = try decoder.container(keyedBy: Keys.self)
            record("keys") { keyed.allKeys.map(\.stringValue).sorted().joined(separator: ",") }
            record("contains missing") { "\(keyed.contains(.missing))" }
            record("contains null") { "\(keyed.contains(.null))" }
            record("nil null") { "\(try keyed.decodeNil(forKey: .null))" }
            record("nil number") { "\(try keyed.decodeNil(forKey: .number))" }
            record("nil missing") { "\(try keyed.decodeNil(forKey: .missing))" }
            record("if-present missing") { "\(String(describing: try keyed.decodeIfPresent(Int.self, forKey: .missing)))" }
            record("if-present null") { "\(String(describing: try keyed.decodeIfPresent(Int.self, forKey: .null)))" }
            record("if-present wrong") { "\(String(describing: try keyed.decodeIfPresent(String.self, forKey: .number)))" }
            record("super") { "\(try Int(from: keyed.superDecoder()))" }
            record("super missing") { "\(try keyed.superDecoder(forKey: .missing).singleValueContainer().decodeNil())" }
            record("super number") { "\(try Int(from: keyed.superDecoder(forKey: .number)))" }
            record("super path") { pathText(try keyed.superDecoder(forKey: .number).codingPath) }
            record("nested object") {
                let nested = try keyed.nestedContainer(keyedBy: Keys.self, forKey: .object)
                return "\(try nested.decode(Int.self, forKey: .number)) \(pathText(nested.codingPath))"
            }
            record("nested wrong") { _ = try keyed.nestedContainer(keyedBy: Keys.self, forKey: .list); return "" }
            record("nested null") { _ = try keyed.nestedUnkeyedContainer(forKey: .null); return "" }
            var list = try keyed.nestedUnkeyedContainer(forKey: .list)
            record("count") { "\(String(describing: list.count)) \(list.isAtEnd)" }
            record("nil 0") { "\(try list.decodeNil()) \(list.currentIndex)" }
            record("nil 1") { "\(try list.decodeNil()) \(list.currentIndex)" }
            record("string 1 as int") { "\(try list.decode(Int.self))" }
            record("index after error") { "\(list.currentIndex)" }
            record("string 1") { try list.decode(String.self) }
            record("nested 2") {
                var inner = try list.nestedUnkeyedContainer()
                return "\(try inner.decode(Int.self)) \(pathText(inner.codingPath))"
            }
            record("if-present null 3") { "\(String(describing: try list.decodeIfPresent(Int.self))) \(list.currentIndex)" }
            record("keyed 4") {
                let object = try list.nestedContainer(keyedBy: Keys.self)
                return "\(try object.decode(Int.self, forKey: .number))"
            }
            record("super 5") { pathText(try list.superDecoder().codingPath) }
            record("at end") { "\(list.isAtEnd) \(list.currentIndex)" }
            record("past end") { "\(try list.decode(Int.self))" }
            record("nil past end") { "\(try list.decodeNil())" }
            record("if-present past end") { "\(String(describing: try list.decodeIfPresent(Int.self))) \(list.currentIndex)" }
            record("nested past end") { _ = try list.nestedUnkeyedContainer(); return "" }
            record("single") { "\(try decoder.singleValueContainer().decodeNil())" }
            record("as unkeyed") { _ = try decoder.unkeyedContainer(); return "" }
        }

        static func kind(_ error: DecodingError) -> String {
            switch error {
            case .typeMismatch(_, let context): return "typeMismatch \(pathText(context.codingPath))"
            case .valueNotFound(_, let context): return "valueNotFound \(pathText(context.codingPath))"
            case .keyNotFound(let key, let context): return "keyNotFound \(pathText(context.codingPath + [key]))"
            case .dataCorrupted: return "refused"
            @unknown default: return "refused"
            }
        }
    }

    @Test func everyContainerOperationBehavesAsInFoundation() throws {
        let json = #"{"super":9,"number":5,"null":null,"object":{"number":6},"list":[null,"1",[2],null,{"number":4},7]}"#
        let expected = try JSONDecoder().decode(Trace.self, from: Data(json.utf8))
        let actual = try FastJSONDecoder().decode(Trace.self, from: Data(json.utf8))
        #expect(expected.steps.count > 30)
        for (want, got) in zip(expected.steps, actual.steps) { #expect(want == got) }
        #expect(expected.steps.count == actual.steps.count)
    }

    @Test func aDecoderThatEscapesStaysUsable() throws {
        struct Keeper: Decodable {
            let decoder: any Decoder
            init(from decoder: any Decoder) throws { self.decoder = decoder }
        }
        struct Holder: Decodable { var v: Keeper }
        let holder = try FastJSONDecoder().decode(Holder.self, from: Data(#"{"v":{"a":"kept"}}"#.utf8))
        let container = try holder.v.decoder.container(keyedBy: TraceKey.self)
        #expect(try container.decode(String.self, forKey: TraceKey(stringValue: "a")) == "kept")
    }

    struct TraceKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
