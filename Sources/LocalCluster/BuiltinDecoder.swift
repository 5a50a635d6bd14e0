import KubeModel

/// Decodes a built-in object the way the API server's typed decoding does: a JSON value of the
/// wrong type is a 400 (`json: cannot unmarshal bool into Go struct field Container.spec...`), an
/// explicit `null` means "unset", fields the type does not have are dropped (and reported, for
/// strict field validation and warnings), and quantities come back in their canonical spelling.
struct BuiltinDecoder {
    /// What decoding found.
    struct Result {
        var object: JSONValue
        /// Dotted paths (`spec.bogusField`, `spec.template.spec.containers[0].foo`) of dropped fields.
        var unknownFields: [String]
    }

    /// Why an object could not be decoded (the text after `X in version "v" cannot be handled as a X: `).
    struct Failure: Error {
        var detail: String
    }

    static let quantityGrammar = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"

    let root: StructShape

    /// The shape of a served built-in kind, nil for kinds decoded without a shape (custom resources and
    /// the built-ins LocalCluster does not type-check).
    static func forType(_ type: ResourceType) -> BuiltinDecoder? {
        guard !type.isCustom, let shape = BuiltinShapes.kinds[type.storageKey] else { return nil }
        return BuiltinDecoder(root: shape)
    }

    /// The 400 a real server answers for an object of `type` that does not decode.
    static func badRequest(_ type: ResourceType, _ detail: String) -> APIError {
        APIError.badRequest("\(type.kind) in version \"\(type.version)\" cannot be handled as a \(type.kind): \(detail)")
    }

    func decode(_ object: JSONValue) throws(Failure) -> Result {
        var unknown: [String] = []
        var firstError: String?
        // Members are walked in the objects' own order; only a body with an error is walked again
        // in sorted order, so that the error reported is always the same one.
        let decoded = Walk(sortsMembers: false).decodeStruct(object, root, at: .root, unknown: &unknown, error: &firstError)
        if firstError != nil {
            var sortedError: String?
            var ignored: [String] = []
            _ = Walk(sortsMembers: true).decodeStruct(object, root, at: .root, unknown: &ignored, error: &sortedError)
            throw Failure(detail: sortedError ?? firstError ?? "")
        }
        return Result(object: decoded ?? .object([:]), unknownFields: unknown.sorted())
    }
}

/// Where the decoder stands in a body, rendered only for an error or an unknown field (building
/// both paths' text at every field was most of the decoder's cost).
indirect enum DecodingLocation {
    case root
    /// A struct field: part of both paths.
    case field(String, parent: DecodingLocation)
    /// A map key: only in the display path.
    case mapKey(String, parent: DecodingLocation)
    /// A list position: only in the display path.
    case index(Int, parent: DecodingLocation)

    /// Field names joined by `.` (as Go names the struct field of a type error).
    var goPath: String {
        var names: [String] = []
        var node = self
        while true {
            switch node {
            case .root: return names.reversed().joined(separator: ".")
            case .field(let name, let parent): names.append(name); node = parent
            case .mapKey(_, let parent), .index(_, let parent): node = parent
            }
        }
    }

    /// `spec.template.spec.containers[0].foo`, as strict decoding names unknown fields.
    var display: String {
        switch self {
        case .root: return ""
        case .field(let name, let parent):
            let prefix = parent.display
            return prefix.isEmpty ? name : "\(prefix).\(name)"
        case .mapKey(let key, let parent): return parent.display + "." + key
        case .index(let position, let parent): return "\(parent.display)[\(position)]"
        }
    }
}

extension BuiltinDecoder {
    /// One walk over a body, members in the objects' own order or sorted by key.
    private struct Walk {
        let sortsMembers: Bool

        /// Calls `body` with each member, in the dictionary's order (no copy) or sorted by key.
        private func forEachMember(_ members: [String: JSONValue], _ body: (String, JSONValue) -> Void) {
            if sortsMembers {
                for (key, member) in members.sorted(by: { $0.key < $1.key }) { body(key, member) }
            } else {
                for (key, member) in members { body(key, member) }
            }
        }

        /// `location` gives the field names Go reports type errors with, and the display path (with
        /// list indices) strict decoding reports unknown fields with.
        func decode(_ value: JSONValue, _ shape: FieldShape, owner: String, at location: DecodingLocation,
                    unknown: inout [String], error: inout String?) -> JSONValue? {
            if value.isNull { return nil }
            func mismatch(_ valueText: String? = nil) -> JSONValue? {
                if error == nil {
                    error = "json: cannot unmarshal \(valueText ?? BuiltinDecoder.jsonKind(value)) into Go struct field "
                        + "\(owner).\(location.goPath) of type \(shape.goTypeName)"
                }
                return nil
            }
            switch shape {
            case .any:
                return value
            case .string:
                if case .string = value { return value }
                return mismatch()
            case .bool:
                if case .bool = value { return value }
                return mismatch()
            case .int32, .int64:
                let bits: Int64 = { if case .int32 = shape { return 31 } else { return 63 } }()
                switch value {
                case .int(let number):
                    if bits == 31, number < -(1 << 31) || number > (1 << 31) - 1 { return mismatch("number \(number)") }
                    return value
                case .double(let number):
                    return mismatch("number \(BuiltinDecoder.render(number))")
                default:
                    return mismatch()
                }
            case .float64:
                switch value {
                case .int, .double: return value
                default: return mismatch()
                }
            case .intOrString:
                switch value {
                case .int, .string: return value
                case .double(let number) where number.rounded() == number: return .int(Int64(number))
                default:
                    if error == nil { error = "json: cannot unmarshal \(BuiltinDecoder.jsonKind(value)) into Go value of type string" }
                    return nil
                }
            case .quantity:
                let text: String
                switch value {
                case .string(let string): text = string
                case .int(let number): text = String(number)
                case .double(let number): text = BuiltinDecoder.render(number)
                default:
                    if error == nil { error = BuiltinDecoder.quantityGrammar }
                    return nil
                }
                guard let canonical = CanonicalQuantities.spelling(of: text) else {
                    if error == nil { error = BuiltinDecoder.quantityGrammar }
                    return nil
                }
                return .string(canonical)
            case .time:
                // Any string is kept: the format is not checked here (a difference from a real server).
                guard case .string = value else {
                    if error == nil { error = "json: cannot unmarshal \(BuiltinDecoder.jsonKind(value)) into Go value of type string" }
                    return nil
                }
                return value
            case .object(let structShape):
                guard case .object = value else { return mismatch() }
                return decodeStruct(value, structShape, at: location, unknown: &unknown, error: &error)
            case .map(let valueShape):
                guard case .object(let members) = value else { return mismatch() }
                var result: [String: JSONValue] = [:]
                forEachMember(members) { key, member in
                    if let decoded = decode(member, valueShape, owner: owner, at: .mapKey(key, parent: location),
                                            unknown: &unknown, error: &error) {
                        result[key] = decoded
                    }
                }
                return .object(result)
            case .array(let elementShape):
                guard case .array(let elements) = value else { return mismatch() }
                var result: [JSONValue] = []
                for (index, element) in elements.enumerated() {
                    // Go leaves a zero value for a null element; a struct element stays an empty object.
                    if element.isNull {
                        if case .object = elementShape { result.append(.object([:])) }
                        continue
                    }
                    if let decoded = decode(element, elementShape, owner: owner, at: .index(index, parent: location),
                                            unknown: &unknown, error: &error) {
                        result.append(decoded)
                    }
                }
                return .array(result)
            }
        }

        func decodeStruct(_ value: JSONValue, _ shape: StructShape, at location: DecodingLocation,
                          unknown: inout [String], error: inout String?) -> JSONValue? {
            guard case .object(let members) = value else { return nil }
            var result: [String: JSONValue] = [:]
            result.reserveCapacity(members.count)
            forEachMember(members) { key, member in
                let child = DecodingLocation.field(key, parent: location)
                guard let fieldShape = shape.fields[key] else {
                    if shape.open {
                        result[key] = member
                    } else {
                        unknown.append(child.display)
                    }
                    return
                }
                if let decoded = decode(member, fieldShape, owner: shape.goName, at: child, unknown: &unknown, error: &error) {
                    result[key] = decoded
                }
            }
            return .object(result)
        }
    }

    fileprivate static func jsonKind(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "bool"
        case .int, .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    fileprivate static func render(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) + ".0" : String(number)
    }
}
