import KubeModel

/// An API failure as the Kubernetes API server reports it: an HTTP code, a machine-readable
/// reason (`NotFound`, `Conflict`, ...), a human message and optional details. Rendered as a
/// `Status` object (`kind: Status, apiVersion: v1`).
public struct APIError: Error, Sendable, Equatable {
    public var code: Int
    public var reason: String
    public var message: String
    public var details: JSONValue?
    /// The Status's list metadata (an expired `continue` answer carries a token to go on inconsistently).
    public var metadata: JSONValue?

    public init(code: Int, reason: String, message: String, details: JSONValue? = nil, metadata: JSONValue? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
        self.metadata = metadata
    }

    /// The `Status` object sent as the response body (and inside watch `ERROR` events).
    public var status: JSONValue {
        var object: JSONValue = [
            "kind": "Status", "apiVersion": "v1", "metadata": metadata ?? [:], "status": "Failure",
            "message": .string(message), "reason": .string(reason), "code": .int(Int64(code)),
        ]
        if let details { object["details"] = details }
        return object
    }

    static func detailsFor(name: String, type: ResourceType) -> JSONValue {
        var details: JSONValue = ["name": .string(name), "kind": .string(type.plural)]
        if !type.group.isEmpty { details["group"] = .string(type.group) }
        return details
    }

    static func notFound(_ type: ResourceType, _ name: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "\(type.qualifiedPlural) \"\(name)\" not found",
                 details: detailsFor(name: name, type: type))
    }

    static func alreadyExists(_ type: ResourceType, _ name: String) -> APIError {
        APIError(code: 409, reason: "AlreadyExists", message: "\(type.qualifiedPlural) \"\(name)\" already exists",
                 details: detailsFor(name: name, type: type))
    }

    static func conflict(_ type: ResourceType, _ name: String) -> APIError {
        APIError(code: 409, reason: "Conflict",
                 message: "Operation cannot be fulfilled on \(type.qualifiedPlural) \"\(name)\": the object has been "
                     + "modified; please apply your changes to the latest version and try again",
                 details: detailsFor(name: name, type: type))
    }

    static func badRequest(_ message: String) -> APIError {
        APIError(code: 400, reason: "BadRequest", message: message)
    }

    static func methodNotAllowed(_ message: String = "the server does not allow this method on the requested resource")
        -> APIError
    {
        APIError(code: 405, reason: "MethodNotAllowed", message: message)
    }

    static func gone(_ message: String) -> APIError {
        APIError(code: 410, reason: "Expired", message: message)
    }

    static func unsupportedMediaType(_ contentType: String) -> APIError {
        APIError(code: 415, reason: "UnsupportedMediaType",
                 message: "the body of the request was in an unknown format - accepted media types include: "
                     + "application/json, application/merge-patch+json, application/json-patch+json, "
                     + "application/strategic-merge-patch+json, application/apply-patch+yaml (got \(contentType))")
    }

    static let unauthorized = APIError(code: 401, reason: "Unauthorized", message: "Unauthorized")

    /// A 403 as RBAC words it: `deployments.apps is forbidden: User "u" cannot list resource "deployments"
    /// in API group "apps" in the namespace "ns"`.
    static func forbidden(user: String, verb: String, type: ResourceType, namespace: String?, name: String?,
                          subresource: String?) -> APIError {
        let resource = subresource.map { "\(type.plural)/\($0)" } ?? type.plural
        let subject = name.map { "\(type.qualifiedPlural) \"\($0)\"" } ?? type.qualifiedPlural
        let scope = namespace.map { "in the namespace \"\($0)\"" } ?? "at the cluster scope"
        var details: JSONValue = ["kind": .string(type.plural)]
        if !type.group.isEmpty { details["group"] = .string(type.group) }
        if let name { details["name"] = .string(name) }
        return APIError(code: 403, reason: "Forbidden",
                        message: "\(subject) is forbidden: User \"\(user)\" cannot \(verb) resource \"\(resource)\" "
                            + "in API group \"\(type.group)\" \(scope)",
                        details: details)
    }

    /// A 422 Invalid error listing field errors the way the real server words them.
    static func invalid(_ type: ResourceType, _ name: String, _ causes: [FieldError]) -> APIError {
        let joined = causes.map(\.description)
        let list = joined.count == 1 ? joined[0] : "[" + joined.joined(separator: ", ") + "]"
        var details = detailsFor(name: name, type: type)
        details["kind"] = .string(type.kind)
        details["causes"] = .array(causes.map {
            ["reason": .string($0.reason), "message": .string($0.detail), "field": .string($0.field)]
        })
        return APIError(code: 422, reason: "Invalid",
                        message: "\(type.kind)\(type.group.isEmpty ? "" : "." + type.group) \"\(name)\" is invalid: \(list)",
                        details: details)
    }
}

/// One invalid field: `spec.servingPort: Invalid value: 70000: spec.servingPort in body should be ...`.
public struct FieldError: Sendable, Equatable, CustomStringConvertible {
    /// `FieldValueInvalid`, `FieldValueRequired`, `FieldValueNotSupported`, `FieldValueTooLong`, ...
    public var reason: String
    public var field: String
    /// The text after the field name, such as `Required value`.
    public var detail: String

    public var description: String { field.isEmpty ? detail : "\(field): \(detail)" }

    static func invalid(_ field: String, _ value: JSONValue, _ why: String) -> FieldError {
        FieldError(reason: "FieldValueInvalid", field: field, detail: "Invalid value: \(value.errorRendering): \(why)")
    }

    static func required(_ field: String) -> FieldError {
        FieldError(reason: "FieldValueRequired", field: field, detail: "Required value")
    }
}

extension JSONValue {
    /// How field errors print a value: strings quoted, numbers bare, objects and arrays by type.
    var errorRendering: String {
        switch self {
        case .string(let s): return "\"\(s)\""
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return String(b)
        case .null: return "null"
        case .array: return "\"array\""
        case .object: return "\"object\""
        }
    }
}
