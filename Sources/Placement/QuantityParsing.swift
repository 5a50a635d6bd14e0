import KubeClient

/// A Kubernetes resource quantity that could not be read.
public struct QuantityError: Error, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var field: String

    public var description: String {
        "\(field): \"\(text)\" is not a Kubernetes quantity; write a number with an optional suffix, such as 500m, 2, 1.5, 100M, 16Gi or 1e3"
    }
}

/// A small parser for Kubernetes quantities (`500m`, `2`, `1.5`, `100M`, `16Gi`, `1e3`).
///
/// Internal to Placement until the KubeClient `Quantity` type lands; the results match
/// Kubernetes' own rounding: fractions of the target unit round up.
enum QuantityParsing {
    /// The quantity in thousandths of its base unit (CPU millicores).
    static func millis(_ text: String, field: String) throws -> Int64 {
        try scaled(text, field: field, by: 1000)
    }

    /// The quantity in its base unit (bytes, devices).
    static func units(_ text: String, field: String) throws -> Int64 {
        try scaled(text, field: field, by: 1)
    }

    /// The quantity of a JSON value (a string, or a bare number), scaled by `factor`.
    static func scaled(_ value: JSONValue, field: String, by factor: Double) throws -> Int64 {
        switch value {
        case .string(let text): return try scaled(text, field: field, by: factor)
        case .int(let number): return try scaled(String(number), field: field, by: factor)
        case .double(let number): return try scaled(String(number), field: field, by: factor)
        default: throw QuantityError(text: value.jsonString, field: field)
        }
    }

    static func scaled(_ raw: String, field: String, by factor: Double) throws -> Int64 {
        let text = raw.trimmingSpaces
        let error = QuantityError(text: raw, field: field)
        let suffixes: [(String, Double)] = [
            ("Ki", 1024), ("Mi", 1_048_576), ("Gi", 1_073_741_824), ("Ti", 1_099_511_627_776),
            ("Pi", 1_125_899_906_842_624), ("Ei", 1_152_921_504_606_846_976),
            ("n", 1e-9), ("u", 1e-6), ("m", 1e-3), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("P", 1e15), ("E", 1e18),
        ]
        var number = Substring(text)
        var multiplier = 1.0
        if let (suffix, value) = suffixes.first(where: { text.hasSuffix($0.0) }) {
            number = number.dropLast(suffix.count)
            multiplier = value
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isNumber || "+-.eE".contains($0) }),
              number.first.map({ $0.isNumber || "+-.".contains($0) }) ?? false,
              let parsed = Double(number), parsed.isFinite, parsed >= 0
        else { throw error }
        let result = (parsed * multiplier * factor).rounded(.up)
        guard result < 9.2e18 else { throw error }
        // Values like 0.1 * 1e3 land a hair above the integer; take that integer.
        let nearest = (parsed * multiplier * factor).rounded()
        return abs(nearest - parsed * multiplier * factor) < 1e-6 ? Int64(nearest) : Int64(result)
    }
}

extension String {
    var trimmingSpaces: String {
        var view = Substring(self)
        while view.first?.isWhitespace == true { view = view.dropFirst() }
        while view.last?.isWhitespace == true { view = view.dropLast() }
        return String(view)
    }
}
