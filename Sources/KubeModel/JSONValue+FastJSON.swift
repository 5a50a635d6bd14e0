import FastJSON

extension JSONValue {
    /// Builds the value in one pass from a document `FastJSONDecoder` is decoding, with the outcome
    /// `init(from:)` has through `Decoder` containers: a number is `.int` when it reads as Int64
    /// (`2.0` does), else `.double`; with duplicate keys the first wins; a malformed string or
    /// number, or one that fits neither Int64 nor Double, is an error.
    init(fastJSON value: FastJSONValue) throws {
        switch value.kind {
        case .null:
            self = .null
        case .bool:
            self = .bool(value.boolValue == true)
        case .number:
            if let integer = try? value.int64() {
                self = .int(integer)
            } else {
                self = .double(try value.double())
            }
        case .string:
            self = .string(try value.string())
        case .array:
            self = .array(try value.elements.map(JSONValue.init(fastJSON:)))
        case .object:
            let members = try value.members()
            var object: [String: JSONValue] = [:]
            object.reserveCapacity(members.count)
            for (key, member) in members where object[key] == nil {
                object[key] = try JSONValue(fastJSON: member)
            }
            self = .object(object)
        }
    }
}
