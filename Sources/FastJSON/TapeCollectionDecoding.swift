/// Arrays and string-keyed dictionaries, which `FastJSONDecoder` builds straight from the tape: the
/// same elements, members and errors as their `init(from:)` through containers (first occurrence
/// of a duplicate key wins, as in Foundation), without boxing a container or making a coding key
/// per element.
protocol TapeCollectionDecodable {
    static func decode(fromTape decoder: TapeDecoder) throws -> Self
}

extension Array: TapeCollectionDecodable where Element: Decodable {
    static func decode(fromTape decoder: TapeDecoder) throws -> [Element] {
        let entry = decoder.entry
        guard entry.kind == .array else {
            // What `unkeyedContainer()` reports, which `Array.init(from:)` asks for first.
            _ = try decoder.unkeyedContainer()
            return []
        }
        let count = Int(entry.second)
        var elements: [Element] = []
        elements.reserveCapacity(count)
        var cursor = decoder.index + 1
        for _ in 0..<count {
            elements.append(try decoder.child(cursor).decode(Element.self))
            cursor = decoder.document.next(after: cursor)
        }
        return elements
    }
}

extension Dictionary: TapeCollectionDecodable where Key == String, Value: Decodable {
    static func decode(fromTape decoder: TapeDecoder) throws -> [String: Value] {
        let entry = decoder.entry
        guard entry.kind == .object else {
            // What `container(keyedBy:)` reports, which `Dictionary.init(from:)` asks for first.
            _ = try decoder.container(keyedBy: TapeCodingKey.self)
            return [:]
        }
        let document = decoder.document
        let count = Int(entry.second)
        // Check every key first, as making the keyed container does.
        if entry.flags.contains(.hasComplexKey) { _ = try decoder.container(keyedBy: TapeCodingKey.self) }
        var members: [String: Value] = [:]
        members.reserveCapacity(count)
        // Keys, and string values, recur across objects (labels, annotations): share one copy.
        let pool = StringPool.shared
        let stringValues = Value.self == String.self
        var child = decoder.index + 1
        for _ in 0..<count {
            let key: String
            do {
                key = pool.pooled(try document.string(at: child))
            } catch {
                throw decoder.corrupted(error)
            }
            if members[key] == nil {
                let value = try decoder.child(child + 1).decode(Value.self)
                if stringValues, let text = value as? String, let shared = pool.pooled(text) as? Value {
                    members[key] = shared
                } else {
                    members[key] = value
                }
            }
            child = document.next(after: child + 1)
        }
        return members
    }
}
