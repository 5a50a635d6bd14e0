/// The `Encoder` a value's `encode(to:)` writes through: its containers write into the shared
/// ``DirectJSONWriter`` at this value's position (`depth` containers deep).
final class DirectEncoder: Encoder {
    let writer: DirectJSONWriter
    let depth: Int
    let path: EncodingPath
    var codingPath: [any CodingKey] { path.codingPath }
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// The container this value opened, once it asked for one: asking again gets the same one.
    private var opened: (identity: Int, isObject: Bool)?

    init(writer: DirectJSONWriter, depth: Int, path: EncodingPath) {
        self.writer = writer
        self.depth = depth
        self.path = path
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(DirectKeyedContainer<Key>(
            writer: writer, identity: openOnce(isObject: true), depth: depth + 1, path: path))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        DirectUnkeyedContainer(writer: writer, identity: openOnce(isObject: false), depth: depth + 1, path: path)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        DirectSingleValueContainer(writer: writer, path: path)
    }

    /// Opens this value's object or array, or returns the one it already opened.
    private func openOnce(isObject: Bool) -> Int {
        if let opened, opened.isObject == isObject { return opened.identity }
        let identity = writer.openContainer(isObject: isObject)
        opened = (identity, isObject)
        return identity
    }
}

/// An object's members, written as they come.
struct DirectKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: DirectJSONWriter
    let identity: Int
    let depth: Int
    let path: EncodingPath
    var codingPath: [any CodingKey] { path.codingPath }

    private func begin(_ key: String) throws {
        try writer.beginMember(of: identity, depth: depth, key: key, path: .member(key, parent: path))
    }

    mutating func encodeNil(forKey key: Key) throws {
        try begin(key.stringValue)
        writer.text.append(literal: "null")
    }

    mutating func encode(_ value: String, forKey key: Key) throws {
        try begin(key.stringValue)
        writer.text.append(string: value)
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        try begin(key.stringValue)
        writer.text.append(literal: value ? "true" : "false")
    }

    mutating func encode(_ value: Int, forKey key: Key) throws {
        try begin(key.stringValue)
        writer.text.append(integer: Int64(value))
    }

    mutating func encode(_ value: Int64, forKey key: Key) throws {
        try begin(key.stringValue)
        writer.text.append(integer: value)
    }

    mutating func encode(_ value: Double, forKey key: Key) throws {
        let name = key.stringValue
        try begin(name)
        try writer.write(double: value, path: .member(name, parent: path))
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        let name = key.stringValue
        try begin(name)
        try writer.writeValue(value, path: .member(name, parent: path))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let name = key.stringValue
        return KeyedEncodingContainer(DirectKeyedContainer<NestedKey>(
            writer: writer, identity: open(name, isObject: true), depth: depth + 1, path: .member(name, parent: path)))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let name = key.stringValue
        return DirectUnkeyedContainer(writer: writer, identity: open(name, isObject: false), depth: depth + 1,
                                      path: .member(name, parent: path))
    }

    mutating func superEncoder() -> any Encoder {
        superEncoder(named: "super")
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        superEncoder(named: key.stringValue)
    }

    private func superEncoder(named name: String) -> any Encoder {
        // These requirements cannot throw: writing to a closed container fails at the nested
        // encoder's first write instead (its container's identity is not open).
        _ = try? begin(name)
        return DirectEncoder(writer: writer, depth: depth, path: .member(name, parent: path))
    }

    /// Begins member `name` and opens an object or array as its value; -1 when this container is closed.
    private func open(_ name: String, isObject: Bool) -> Int {
        guard (try? begin(name)) != nil else { return -1 }
        return writer.openContainer(isObject: isObject)
    }
}

/// An array's elements, written as they come.
struct DirectUnkeyedContainer: UnkeyedEncodingContainer {
    let writer: DirectJSONWriter
    let identity: Int
    let depth: Int
    let path: EncodingPath
    var codingPath: [any CodingKey] { path.codingPath }
    private(set) var count = 0

    init(writer: DirectJSONWriter, identity: Int, depth: Int, path: EncodingPath) {
        self.writer = writer
        self.identity = identity
        self.depth = depth
        self.path = path
    }

    /// Begins the next element; returns its path.
    private mutating func begin() throws -> EncodingPath {
        let element = EncodingPath.index(count, parent: path)
        try writer.beginMember(of: identity, depth: depth, path: element)
        count += 1
        return element
    }

    mutating func encodeNil() throws {
        _ = try begin()
        writer.text.append(literal: "null")
    }

    mutating func encode(_ value: String) throws {
        _ = try begin()
        writer.text.append(string: value)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try writer.writeValue(value, path: try begin())
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        let (identity, element) = open(isObject: true)
        return KeyedEncodingContainer(DirectKeyedContainer<NestedKey>(
            writer: writer, identity: identity, depth: depth + 1, path: element))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let (identity, element) = open(isObject: false)
        return DirectUnkeyedContainer(writer: writer, identity: identity, depth: depth + 1, path: element)
    }

    mutating func superEncoder() -> any Encoder {
        let element = (try? begin()) ?? .index(count, parent: path)  // See DirectKeyedContainer.superEncoder.
        return DirectEncoder(writer: writer, depth: depth, path: element)
    }

    /// Begins the next element and opens an object or array as it; identity -1 when this container is closed.
    private mutating func open(isObject: Bool) -> (Int, EncodingPath) {
        guard let element = try? begin() else { return (-1, .index(count, parent: path)) }
        return (writer.openContainer(isObject: isObject), element)
    }
}

/// One value, written where the encoder stands.
struct DirectSingleValueContainer: SingleValueEncodingContainer {
    let writer: DirectJSONWriter
    let path: EncodingPath
    var codingPath: [any CodingKey] { path.codingPath }

    mutating func encodeNil() throws { writer.text.append(literal: "null") }
    mutating func encode(_ value: String) throws { writer.text.append(string: value) }
    mutating func encode(_ value: Bool) throws { writer.text.append(literal: value ? "true" : "false") }
    mutating func encode(_ value: Int) throws { writer.text.append(integer: Int64(value)) }
    mutating func encode(_ value: Int64) throws { writer.text.append(integer: value) }
    mutating func encode(_ value: Double) throws { try writer.write(double: value, path: path) }
    mutating func encode<T: Encodable>(_ value: T) throws { try writer.writeValue(value, path: path) }
}
