/// A JSON object read through `CodingKey`s. Lookups compare the key's UTF-8 bytes with the object's
/// keys in place (no dictionary, no strings built for keys); with duplicate keys the first wins, as
/// in Foundation's JSONDecoder. Objects with many members, or with keys that are escaped or not
/// ASCII, get a dictionary of their keys instead, built (and checked) when the container is made.
struct TapeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: TapeDecoder
    private let members: Int
    private let keyBits: UInt32
    private let keyIndex: TapeKeyIndex?

    /// Objects with more members than this are looked up through a dictionary.
    static var scanLimit: Int { 32 }

    /// `decoder` is at an object.
    init(decoder: TapeDecoder) throws {
        self.decoder = decoder
        let entry = decoder.entry
        members = Int(entry.second)
        keyBits = entry.keyBits
        if entry.flags.contains(.hasComplexKey) || members > Self.scanLimit {
            do {
                keyIndex = try TapeKeyIndex(document: decoder.document, object: decoder.index)
            } catch {
                throw decoder.corrupted(error)
            }
        } else {
            keyIndex = nil
        }
    }

    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] {
        if let keyIndex { return keyIndex.names.compactMap { Key(stringValue: $0) } }
        var names: [String] = []
        names.reserveCapacity(members)
        var child = decoder.index + 1
        for _ in 0..<members {
            // Keys here are unescaped ASCII, so reading them cannot fail.
            let name = (try? decoder.document.string(at: child)) ?? ""
            if !names.contains(name) { names.append(name) }
            child = decoder.document.next(after: child + 1)
        }
        return names.compactMap { Key(stringValue: $0) }
    }

    func contains(_ key: Key) -> Bool { valueIndex(for: key) != nil }

    /// The tape index of the value of `key` (its first occurrence), or nil.
    @inline(__always)
    private func valueIndex(for key: Key) -> Int? { valueIndex(named: key.stringValue) }

    /// The tape index of the value of the member `name` (its first occurrence), or nil.
    @inline(__always)
    private func valueIndex(named key: String) -> Int? {
        if let keyIndex { return keyIndex.valueIndices[key] }
        var name = key
        let document = decoder.document
        let first = decoder.index + 1
        let members = members
        let keyBits = keyBits
        return name.withUTF8 { utf8 -> Int? in
            let bytes = UnsafeRawBufferPointer(utf8)
            guard keyBits & TapeEntry.keyBit(bytes) != 0 else { return nil }
            var child = first
            for _ in 0..<members {
                if document.plainKey(at: child, equals: bytes) { return child + 1 }
                child = document.next(after: child + 1)
            }
            return nil
        }
    }

    /// The decoder of the value of `key`; `keyNotFound` when absent.
    @inline(__always)
    private func value(_ key: Key) throws -> TapeDecoder {
        guard let index = valueIndex(for: key) else {
            throw DecodingError.keyNotFound(key, DecodingError.Context(
                codingPath: codingPath, debugDescription: "No value associated with key \(key) (\"\(key.stringValue)\")."))
        }
        return decoder.child(index)
    }

    /// The decoder of the value of `key`, or nil when absent or null.
    @inline(__always)
    private func presentValue(_ key: Key) -> TapeDecoder? {
        guard let index = valueIndex(for: key), decoder.document[index].kind != .null else { return nil }
        return decoder.child(index)
    }

    func decodeNil(forKey key: Key) throws -> Bool { try value(key).decodeNil() }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try value(key).decode(type) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try value(key).decode(type) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try value(key).decode(type) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try value(key).decode(type) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try value(key).decode(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try value(key).decode(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try value(key).decode(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try value(key).decode(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try value(key).decode(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try value(key).decode(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try value(key).decode(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try value(key).decode(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try value(key).decode(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try value(key).decode(type) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try value(key).decode(type) }

    // One lookup each (the protocol's defaults would look the key up three times).
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try presentValue(key)?.decode(type) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try presentValue(key)?.decode(type) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try presentValue(key)?.decode(type) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try presentValue(key)?.decode(type) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try presentValue(key)?.decode(type) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try presentValue(key)?.decode(type) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try presentValue(key)?.decode(type) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try presentValue(key)?.decode(type) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try presentValue(key)?.decode(type) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try presentValue(key)?.decode(type) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try presentValue(key)?.decode(type) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try presentValue(key)?.decode(type) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try presentValue(key)?.decode(type) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try presentValue(key)?.decode(type) }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try presentValue(key)?.decode(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try value(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try value(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { superDecoder(named: TapeCodingKey.super) }

    func superDecoder(forKey key: Key) throws -> any Decoder { superDecoder(named: key) }

    /// As Foundation: the value of the key (whose path in the document is this container's path
    /// and the key), or a null at that path when the key is absent.
    private func superDecoder(named key: some CodingKey) -> TapeDecoder {
        guard let index = valueIndex(named: key.stringValue) else { return TapeDecoder(document: .null(at: codingPath + [key]), index: 0) }
        return decoder.child(index)
    }
}
