/// A JSON array read element by element, as Foundation's JSONDecoder reads one: `count` is known,
/// reading past the end is `valueNotFound` ("Unkeyed container is at end."), and `decodeIfPresent`
/// past the end returns nil.
struct TapeUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: TapeDecoder
    let count: Int?
    private(set) var currentIndex = 0
    /// The tape index of the element at `currentIndex`.
    private var cursor: Int

    /// `decoder` is at an array.
    init(decoder: TapeDecoder) {
        self.decoder = decoder
        count = Int(decoder.entry.second)
        cursor = decoder.index + 1
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var isAtEnd: Bool { currentIndex >= count ?? 0 }

    /// The decoder of the current element; `valueNotFound` past the end.
    @inline(__always)
    private func element(_ type: Any.Type, message: String = "Unkeyed container is at end.") throws -> TapeDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, DecodingError.Context(
                codingPath: codingPath + [TapeCodingKey(intValue: currentIndex)], debugDescription: message))
        }
        return decoder.child(cursor)
    }

    @inline(__always)
    private mutating func advance() {
        if !isAtEnd { cursor = decoder.document.next(after: cursor) }
        currentIndex += 1
    }

    /// Reads the current element and moves past it; an error leaves the position unchanged.
    @inline(__always)
    private mutating func read<T>(_ type: T.Type, _ body: (TapeDecoder) throws -> T) throws -> T {
        let value = try body(try element(T.self))
        advance()
        return value
    }

    /// Reads the current element unless it is null or the end; moves past it either way.
    @inline(__always)
    private mutating func readIfPresent<T>(_ type: T.Type, _ body: (TapeDecoder) throws -> T) throws -> T? {
        guard !isAtEnd else {
            currentIndex += 1
            return nil
        }
        let current = try element(T.self)
        let value = current.decodeNil() ? nil : try body(current)
        advance()
        return value
    }

    mutating func decodeNil() throws -> Bool {
        guard try element(Never.self).decodeNil() else { return false }
        advance()
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try read(type) { try $0.decode(type) } }
    mutating func decode(_ type: String.Type) throws -> String { try read(type) { try $0.decode(type) } }
    mutating func decode(_ type: Double.Type) throws -> Double { try read(type) { try $0.decode(type) } }
    mutating func decode(_ type: Float.Type) throws -> Float { try read(type) { try $0.decode(type) } }
    mutating func decode(_ type: Int.Type) throws -> Int { try read(type) { try $0.decode(type) } }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try read(type) { try $0.decode(type) } }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try read(type) { try $0.decode(type) } }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try read(type) { try $0.decode(type) } }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try read(type) { try $0.decode(type) } }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try read(type) { try $0.decode(type) } }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try read(type) { try $0.decode(type) } }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try read(type) { try $0.decode(type) } }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try read(type) { try $0.decode(type) } }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try read(type) { try $0.decode(type) } }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try read(type) { try $0.decode(type) } }

    mutating func decodeIfPresent(_ type: Bool.Type) throws -> Bool? { try readIfPresent(type) { try $0.decode(type) } }
    mutating func decodeIfPresent(_ type: String.Type) throws -> String? { try readIfPresent(type) { try $0.decode(type) } }
    mutating func decodeIfPresent(_ type: Double.Type) throws -> Double? { try readIfPresent(type) { try $0.decode(type) } }
    mutating func decodeIfPresent(_ type: Float.Type) throws -> Float? { try readIfPresent(type) { try $0.decode(type) } }
    mutating func decodeIfPresent(_ type: Int.Type) throws -> Int? { try readIfPresent(type) { try $0.decode(type) } }
    mutating func decodeIfPresent(_ type: Int8.Type) throws -> Int8? { try readIfPresent(type) { try $0.decode(type) } }
    mutating func decodeIfPresent(_ type: Int16.Type) throws -> Int16? { try readIfPresent(type) { try $0.decode(type) } }
    mutating func decodeIfPresent(_ type: Int32.Type) throws -> Int32? { try readIfPresent(type) { try $0.decode(type) } }
    mutating func decodeIfPresent(_ type: Int64.Type) throws -> Int64? { try readIfPresent(type) { try $0.decode(type) } }
    mutating func decodeIfPresent(_ type: UInt.Type) throws -> UInt? { try readIfPresent(type) { try $0.decode(type) } }
    mutating func decodeIfPresent(_ type: UInt8.Type) throws -> UInt8? { try readIfPresent(type) { try $0.decode(type) } }
    mutating func decodeIfPresent(_ type: UInt16.Type) throws -> UInt16? { try readIfPresent(type) { try $0.decode(type) } }
    mutating func decodeIfPresent(_ type: UInt32.Type) throws -> UInt32? { try readIfPresent(type) { try $0.decode(type) } }
    mutating func decodeIfPresent(_ type: UInt64.Type) throws -> UInt64? { try readIfPresent(type) { try $0.decode(type) } }
    mutating func decodeIfPresent<T: Decodable>(_ type: T.Type) throws -> T? {
        try readIfPresent(type) { try $0.decode(type) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try read(KeyedDecodingContainer<NestedKey>.self) { try $0.container(keyedBy: type) }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let current = try element(UnkeyedDecodingContainer.self,
                                  message: "Cannot get nested unkeyed container -- unkeyed container is at end.")
        let nested = try current.unkeyedContainer()
        advance()
        return nested
    }

    mutating func superDecoder() throws -> any Decoder {
        let current = try element(Decoder.self, message: "Cannot get superDecoder() -- unkeyed container is at end.")
        advance()
        return current
    }
}
