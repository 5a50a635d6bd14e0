import KubeModel

/// Reads Kubernetes quantities in the units placement counts in, through KubeModel's
/// `Quantity`: thousandths (`by: 1000`, CPU millicores) or base units (`by: 1`, bytes and
/// devices), rounding fractions up as Kubernetes does. Negative quantities are rejected:
/// nothing a node offers or a model asks for is negative.
enum QuantityParsing {
    /// The quantity of a JSON value (a string, or a bare number), scaled by `factor` (1 or 1000).
    static func scaled(_ value: JSONValue, field: String, by factor: Int64) throws -> Int64 {
        switch value {
        case .string(let text): return try scaled(text, field: field, by: factor)
        case .int(let number): return try scaled(String(number), field: field, by: factor)
        case .double(let number): return try scaled(String(number), field: field, by: factor)
        default: throw PlacementQuantityError(text: value.jsonString, field: field)
        }
    }

    static func scaled(_ raw: String, field: String, by factor: Int64) throws -> Int64 {
        let error = PlacementQuantityError(text: raw, field: field)
        guard let quantity = try? Quantity(parsing: raw.trimmingSpaces), quantity.decimal >= 0 else { throw error }
        return factor == 1000 ? quantity.milliValue : quantity.value * factor
    }
}

/// A quantity in a Node that could not be read, naming the field. (An InferenceModel's
/// quantities are ModelAPI's to validate.)
public struct PlacementQuantityError: Error, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var field: String

    public var description: String {
        "\(field): \"\(text)\" is not a Kubernetes quantity; write a number with an optional suffix, such as 500m, 2, 1.5, 100M, 16Gi or 1e3"
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
