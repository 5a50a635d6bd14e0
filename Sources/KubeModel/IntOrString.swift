/// A field that holds either an integer or a string (`targetPort: 8080` or `targetPort: http`,
/// `maxSurge: 1` or `maxSurge: 25%`).
public enum IntOrString: Codable, Sendable, Hashable, CustomStringConvertible,
    ExpressibleByIntegerLiteral, ExpressibleByStringLiteral
{
    case int(Int)
    case string(String)

    public init(integerLiteral value: Int) { self = .int(value) }
    public init(stringLiteral value: String) { self = .string(value) }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else {
            throw DecodingError.typeMismatch(IntOrString.self, .init(
                codingPath: decoder.codingPath,
                debugDescription: "expected an integer or a string (such as 8080 or \"http\" or \"25%\")"))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        }
    }

    public var description: String {
        switch self {
        case .int(let value): return String(value)
        case .string(let value): return value
        }
    }

    /// Resolves the value against a total: an int as is, `"25%"` as a share of `total`
    /// (rounded up when `roundUp`, as maxSurge is, or down, as maxUnavailable is).
    public func scaledValue(total: Int, roundUp: Bool) -> Int? {
        switch self {
        case .int(let value): return value
        case .string(let text):
            guard text.hasSuffix("%"), let percent = Int(text.dropLast()) else { return Int(text) }
            let product = percent * total
            return roundUp ? (product + 99) / 100 : product / 100
        }
    }
}
