import Foundation

/// Encodes `Encodable` values as compact JSON like Foundation's `JSONEncoder` with
/// `.withoutEscapingSlashes` and its default strategies (dates deferred to `Date`, data as
/// base64, URLs as their absolute string, decimals as numbers, non-finite floats refused), but
/// writes the text as the value's `encode(to:)` runs instead of building a tree of boxes first.
/// Members come in the order they are encoded (a dictionary's in its own order): JSON objects
/// are unordered, and the Kubernetes API reads them so.
///
/// Containers must be used in order, as every `Codable` conformance does: once a container's
/// parent is written to again, the container is closed, and writing to it throws.
public struct FastJSONEncoder: Sendable {
    public init() {}

    /// The JSON text of `value`.
    public func encode<T: Encodable>(_ value: T) throws -> Data {
        let writer = DirectJSONWriter()
        try writer.writeValue(value, path: .root)
        return Data(writer.text.bytes)
    }
}
