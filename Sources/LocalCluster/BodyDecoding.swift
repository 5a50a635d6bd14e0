import KubeModel
import Logging

/// Reads a request body as a 1.25 API server's decoder does, before anything else looks at it:
/// type-checked built-ins (``BuiltinDecoder``) answer a wrong JSON type with 400 and drop unknown
/// fields; custom resources drop fields their schema does not declare. Under
/// `fieldValidation=Strict` (what kubectl sends) any unknown field is a 400; under `Warn` (the
/// default) each becomes a `Warning` response header; `Ignore` drops them silently.
enum BodyDecoding {
    /// The body with unknown fields dropped (a custom resource's schema also fills in its defaults,
    /// as the server's decoder does), and the dotted paths of the unknown fields.
    static func decode(_ body: JSONValue, type: ResourceType, logger: Logger?) throws(APIError)
        -> (object: JSONValue, unknownFields: [String])
    {
        if let decoder = BuiltinDecoder.forType(type) {
            do {
                let result = try decoder.decode(body)
                return (result.object, result.unknownFields)
            } catch {
                throw BuiltinDecoder.badRequest(type, error.detail)
            }
        }
        if type.isCustom, let schema = type.schema {
            let normalized = SchemaValidator(schema: schema, logger: logger).normalize(body)
            return (normalized.object, normalized.pruned.sorted())
        }
        return (body, [])
    }

    /// ``decode(_:type:logger:)``, refusing unknown fields with 400 under `Strict` validation.
    static func checked(_ body: JSONValue, type: ResourceType, fieldValidation: String, logger: Logger?) throws(APIError)
        -> JSONValue
    {
        let (object, unknown) = try decode(body, type: type, logger: logger)
        if fieldValidation == "Strict", !unknown.isEmpty {
            throw BuiltinDecoder.badRequest(type, "strict decoding error: "
                + unknown.map { "unknown field \"\($0)\"" }.joined(separator: ", "))
        }
        return object
    }

    /// The `Warning` headers for unknown fields under `Warn` validation: `299 - "unknown field \"spec.x\""`.
    static func warnings(unknownFields: [String]) -> [(name: String, value: String)] {
        unknownFields.map { field in
            let text = "unknown field \"\(field)\"".replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"")
            // A field name is the client's text: a CR or LF in it must not end the header (or the
            // response) early, so control characters are written escaped.
            return (name: "Warning", value: "299 - \"\(DisplayText.sanitized(text, maxScalars: 1024))\"")
        }
    }

    /// A strategic-merge or apply patch without its `$`-directives, so it can be checked for unknown fields.
    static func withoutDirectives(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var result: [String: JSONValue] = [:]
            for (key, member) in members where !key.hasPrefix("$") { result[key] = withoutDirectives(member) }
            return .object(result)
        case .array(let elements):
            return .array(elements.map(withoutDirectives))
        default:
            return value
        }
    }
}
