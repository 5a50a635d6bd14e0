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
        let decoded = decodeStruct(object, root, path: [], displayPath: "", unknown: &unknown, error: &firstError)
        if let firstError { throw Failure(detail: firstError) }
        return Result(object: decoded ?? .object([:]), unknownFields: unknown.sorted())
    }

    // MARK: - Walking

    /// `path` holds field names only (as Go reports type errors); `displayPath` adds list indices
    /// (as strict decoding reports unknown fields).
    private func decode(_ value: JSONValue, _ shape: FieldShape, owner: String, path: [String], displayPath: String,
                        unknown: inout [String], error: inout String?) -> JSONValue? {
        if value.isNull { return nil }
        func mismatch(_ valueText: String? = nil) -> JSONValue? {
            if error == nil {
                error = "json: cannot unmarshal \(valueText ?? Self.jsonKind(value)) into Go struct field "
                    + "\(owner).\(path.joined(separator: ".")) of type \(shape.goTypeName)"
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
                return mismatch("number \(Self.render(number))")
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
                if error == nil { error = "json: cannot unmarshal \(Self.jsonKind(value)) into Go value of type string" }
                return nil
            }
        case .quantity:
            let text: String
            switch value {
            case .string(let string): text = string
            case .int(let number): text = String(number)
            case .double(let number): text = Self.render(number)
            default:
                if error == nil { error = Self.quantityGrammar }
                return nil
            }
            guard let canonical = Quantity.canonicalSpelling(of: text) else {
                if error == nil { error = Self.quantityGrammar }
                return nil
            }
            return .string(canonical)
        case .time:
            // Any string is kept: the format is not checked here (a difference from a real server).
            guard case .string = value else {
                if error == nil { error = "json: cannot unmarshal \(Self.jsonKind(value)) into Go value of type string" }
                return nil
            }
            return value
        case .object(let structShape):
            guard case .object = value else { return mismatch() }
            return decodeStruct(value, structShape, path: path, displayPath: displayPath, unknown: &unknown, error: &error)
        case .map(let valueShape):
            guard case .object(let members) = value else { return mismatch() }
            var result: [String: JSONValue] = [:]
            for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                if let decoded = decode(member, valueShape, owner: owner, path: path,
                                        displayPath: displayPath + "." + key, unknown: &unknown, error: &error) {
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
                if let decoded = decode(element, elementShape, owner: owner, path: path,
                                        displayPath: "\(displayPath)[\(index)]", unknown: &unknown, error: &error) {
                    result.append(decoded)
                }
            }
            return .array(result)
        }
    }

    private func decodeStruct(_ value: JSONValue, _ shape: StructShape, path: [String], displayPath: String,
                              unknown: inout [String], error: inout String?) -> JSONValue? {
        guard case .object(let members) = value else { return nil }
        var result: [String: JSONValue] = [:]
        for (key, member) in members.sorted(by: { $0.key < $1.key }) {
            let childDisplay = displayPath.isEmpty ? key : "\(displayPath).\(key)"
            guard let fieldShape = shape.fields[key] else {
                if shape.open {
                    result[key] = member
                } else {
                    unknown.append(childDisplay)
                }
                continue
            }
            if let decoded = decode(member, fieldShape, owner: shape.goName, path: path + [key],
                                    displayPath: childDisplay, unknown: &unknown, error: &error) {
                result[key] = decoded
            }
        }
        return .object(result)
    }

    private static func jsonKind(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "bool"
        case .int, .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    private static func render(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) + ".0" : String(number)
    }
}
