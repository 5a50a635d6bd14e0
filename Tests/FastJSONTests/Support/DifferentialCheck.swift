import FastJSON
import Foundation
import Testing

/// The outcome of one decode: the value, or the error reduced to what must agree between decoders.
enum DecodeOutcome<T: Equatable>: Equatable, CustomStringConvertible {
    case value(T)
    /// A `DecodingError` whose kind and coding path must match Foundation's.
    case checked(kind: String, path: String)
    /// A refusal whose details may differ (Foundation throws its own error for malformed numbers
    /// and strings inside a value, and names no path for syntax errors).
    case refused

    var description: String {
        switch self {
        case .value(let value): return "value \(value)"
        case .checked(let kind, let path): return "\(kind) at \"\(path)\""
        case .refused: return "refused"
        }
    }
}

/// `a.b[2].c`, from a coding path.
func pathText(_ path: [any CodingKey]) -> String {
    path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
}

/// The outcome of Foundation's JSONDecoder: type errors keep their kind and path.
func foundationOutcome<T: Decodable & Equatable>(_ type: T.Type, _ data: Data) -> DecodeOutcome<T> {
    do {
        return .value(try JSONDecoder().decode(T.self, from: data))
    } catch DecodingError.typeMismatch(_, let context) {
        return .checked(kind: "typeMismatch", path: pathText(context.codingPath))
    } catch DecodingError.valueNotFound(_, let context) {
        return .checked(kind: "valueNotFound", path: pathText(context.codingPath))
    } catch DecodingError.keyNotFound(let key, let context) {
        return .checked(kind: "keyNotFound", path: pathText(context.codingPath + [key]))
    } catch {
        return .refused
    }
}

/// The outcome of FastJSONDecoder, which must always throw a `DecodingError` with a description.
func fastOutcome<T: Decodable & Equatable>(_ type: T.Type, _ data: Data,
                                          sourceLocation: SourceLocation = #_sourceLocation) -> DecodeOutcome<T> {
    do {
        return .value(try FastJSONDecoder().decode(T.self, from: data))
    } catch let error as DecodingError {
        switch error {
        case .typeMismatch(_, let context): return .checked(kind: "typeMismatch", path: pathText(context.codingPath))
        case .valueNotFound(_, let context): return .checked(kind: "valueNotFound", path: pathText(context.codingPath))
        case .keyNotFound(let key, let context):
            return .checked(kind: "keyNotFound", path: pathText(context.codingPath + [key]))
        case .dataCorrupted(let context):
            #expect(!context.debugDescription.isEmpty, "an error without a description", sourceLocation: sourceLocation)
            return .refused
        @unknown default:
            return .refused
        }
    } catch {
        Issue.record("FastJSONDecoder threw \(error), not a DecodingError", sourceLocation: sourceLocation)
        return .refused
    }
}

/// Decodes `data` with both decoders and expects the same outcome: equal values, or a refusal by
/// both (with the same kind and path for type errors). Returns whether both decoded.
@discardableResult
func expectSameDecoding<T: Decodable & Equatable>(_ type: T.Type, _ data: Data, _ comment: @autoclosure () -> String = "",
                                                  sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    let expected = foundationOutcome(T.self, data)
    let actual = fastOutcome(T.self, data, sourceLocation: sourceLocation)
    let same: Bool
    switch (expected, actual) {
    // Foundation refuses a malformed number or string inside a value with an error of its own; ours is typed.
    case (.refused, .checked): same = true
    default: same = expected == actual
    }
    #expect(same, Comment(rawValue: "\(T.self) from \(String(decoding: data, as: UTF8.self).debugDescription) "
                + "\(comment()): Foundation gave \(expected), FastJSON gave \(actual)"), sourceLocation: sourceLocation)
    if case .value = expected { return true }
    return false
}

func expectSameDecoding<T: Decodable & Equatable>(_ type: T.Type, _ text: String, _ comment: @autoclosure () -> String = "",
                                                  sourceLocation: SourceLocation = #_sourceLocation) {
    expectSameDecoding(type, Data(text.utf8), comment(), sourceLocation: sourceLocation)
}
