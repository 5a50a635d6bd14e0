/// The API server's `Status` object: the body of every error response, and of `ERROR` watch events.
public struct Status: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ListMeta?
    /// `Success` or `Failure`.
    public var status: String?
    public var message: String?
    /// Machine-readable cause: `NotFound`, `AlreadyExists`, `Conflict`, `Expired`, `Invalid`, ...
    public var reason: String?
    public var details: StatusDetails?
    /// The HTTP status code this corresponds to (410 for an expired watch).
    public var code: Int?

    public init(status: String? = nil, message: String? = nil, reason: String? = nil, details: StatusDetails? = nil,
                code: Int? = nil) {
        self.apiVersion = "v1"
        self.kind = "Status"
        self.status = status
        self.message = message
        self.reason = reason
        self.details = details
        self.code = code
    }
}

/// Which object a `Status` is about, and the individual causes (field errors of an `Invalid` reply).
public struct StatusDetails: Codable, Sendable, Hashable {
    public var name: String?
    public var group: String?
    public var kind: String?
    public var uid: String?
    public var causes: [StatusCause]?
    public var retryAfterSeconds: Int?

    public init(name: String? = nil, group: String? = nil, kind: String? = nil, uid: String? = nil,
                causes: [StatusCause]? = nil, retryAfterSeconds: Int? = nil) {
        self.name = name
        self.group = group
        self.kind = kind
        self.uid = uid
        self.causes = causes
        self.retryAfterSeconds = retryAfterSeconds
    }
}

/// One cause of a failure, such as a field that did not validate.
public struct StatusCause: Codable, Sendable, Hashable {
    public var reason: String?
    public var message: String?
    public var field: String?

    public init(reason: String? = nil, message: String? = nil, field: String? = nil) {
        self.reason = reason
        self.message = message
        self.field = field
    }
}
