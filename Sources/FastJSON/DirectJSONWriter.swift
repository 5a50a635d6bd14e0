import Foundation

/// The text and open containers of one ``FastJSONEncoder/encode(_:)`` call. A container is open
/// while it is on the stack; writing to a container closes the ones opened inside it first
/// (their values are complete once their parent moves on).
final class DirectJSONWriter {
    /// One open object or array: whether a member was written (for the comma) and its identity.
    struct OpenContainer {
        let isObject: Bool
        let identity: Int
        var isEmpty = true
    }

    var text = JSONText(capacity: 2048)
    private(set) var open: [OpenContainer] = []
    private var nextIdentity = 0

    /// Writes any value: scalars and Foundation's special types directly, anything else through
    /// its `encode(to:)` at this position.
    func writeValue<T: Encodable>(_ value: T, path: EncodingPath) throws {
        if try writeScalar(value, path: path) { return }
        let depth = open.count
        let start = text.bytes.count
        let encoder = DirectEncoder(writer: self, depth: depth, path: path)
        try value.encode(to: encoder)
        close(deeperThan: depth)
        if text.bytes.count == start { text.append(literal: "{}") }  // Encoded nothing: Foundation writes {}.
    }

    /// Writes `value` when it is a scalar or a type Foundation's encoder writes specially; false otherwise.
    /// The type is compared first (a pointer comparison): most values are neither, and a failed
    /// cast per candidate type would cost more than writing them.
    private func writeScalar<T: Encodable>(_ value: T, path: EncodingPath) throws -> Bool {
        let type = T.self
        if type == String.self, let string = value as? String {
            text.append(string: string)
        } else if type == Int.self, let number = value as? Int {
            text.append(integer: Int64(number))
        } else if type == Bool.self, let flag = value as? Bool {
            text.append(literal: flag ? "true" : "false")
        } else if type == Int64.self, let number = value as? Int64 {
            text.append(integer: number)
        } else if type == Double.self, let number = value as? Double {
            try write(double: number, path: path)
        } else if type == Int32.self, let number = value as? Int32 {
            text.append(integer: Int64(number))
        } else if type == UInt64.self, let number = value as? UInt64 {
            text.append(unsigned: number)
        } else if type == UInt.self, let number = value as? UInt {
            text.append(unsigned: UInt64(number))
        } else if type == UInt32.self, let number = value as? UInt32 {
            text.append(unsigned: UInt64(number))
        } else if type == Int16.self, let number = value as? Int16 {
            text.append(integer: Int64(number))
        } else if type == Int8.self, let number = value as? Int8 {
            text.append(integer: Int64(number))
        } else if type == UInt16.self, let number = value as? UInt16 {
            text.append(unsigned: UInt64(number))
        } else if type == UInt8.self, let number = value as? UInt8 {
            text.append(unsigned: UInt64(number))
        } else if type == Float.self, let number = value as? Float {
            try write(double: Double(number), path: path)
        } else if type == Data.self, let data = value as? Data {
            text.append(string: data.base64EncodedString())
        } else if type == URL.self, let url = value as? URL {
            text.append(string: url.absoluteString)
        } else if type == Decimal.self, let decimal = value as? Decimal {
            text.append(contentsOf: decimal.description.utf8)
        } else {
            return false
        }
        return true
    }

    func write(double number: Double, path: EncodingPath) throws {
        guard text.append(double: number) else {
            throw EncodingError.invalidValue(number, EncodingError.Context(
                codingPath: path.codingPath, debugDescription: "Unable to encode Double.\(number) directly in JSON."))
        }
    }

    // MARK: Containers

    /// Opens an object or array inside the container at `depth` (or at the top); returns its identity.
    func openContainer(isObject: Bool) -> Int {
        text.append(isObject ? UInt8(ascii: "{") : UInt8(ascii: "["))
        nextIdentity += 1
        open.append(OpenContainer(isObject: isObject, identity: nextIdentity))
        return nextIdentity
    }

    /// Closes every container deeper than `depth` containers.
    func close(deeperThan depth: Int) {
        while open.count > depth, let last = open.popLast() {
            text.append(last.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        }
    }

    /// Prepares the container `identity` at `depth` for its next member (at `path`): closes what
    /// was opened inside it and writes the comma. Throws when that container was closed already.
    func beginMember(of identity: Int, depth: Int, path: @autoclosure () -> EncodingPath) throws {
        guard depth > 0, depth <= open.count, open[depth - 1].identity == identity else {
            throw EncodingError.invalidValue((), EncodingError.Context(
                codingPath: path().codingPath,
                debugDescription: "a container was written to after its parent moved on; encode members in order"))
        }
        close(deeperThan: depth)
        if open[depth - 1].isEmpty {
            open[depth - 1].isEmpty = false
        } else {
            text.append(UInt8(ascii: ","))
        }
    }

    /// Begins an object member: the comma, the key and the colon.
    func beginMember(of identity: Int, depth: Int, key: String, path: @autoclosure () -> EncodingPath) throws {
        try beginMember(of: identity, depth: depth, path: path())
        text.append(string: key)
        text.append(UInt8(ascii: ":"))
    }
}
