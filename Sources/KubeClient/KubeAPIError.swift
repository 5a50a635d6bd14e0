import Foundation
import KubeModel

/// An error reply from the API server: the HTTP code plus the decoded `Status` body (reason, message,
/// details). A body that is not a `Status` still yields a clear error with the code and an excerpt.
public struct KubeAPIError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status code (404, 409, 410, 422, 429, ...).
    public var code: Int
    /// `NotFound`, `AlreadyExists`, `Conflict`, `Expired`, `Invalid`, `TooManyRequests`, ...; nil when the body had none.
    public var reason: String?
    public var message: String
    /// The decoded `Status` body, when there was one.
    public var status: Status?
    /// The request that failed: `GET /apis/apps/v1/namespaces/default/deployments/x`.
    public var request: String
    /// How long the server asked us to wait (the `Retry-After` header or `details.retryAfterSeconds`).
    public var retryAfter: Duration?

    public init(code: Int, reason: String?, message: String, status: Status? = nil, request: String = "",
                retryAfter: Duration? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.status = status
        self.request = request
        self.retryAfter = retryAfter
    }

    /// Builds the error for a non-2xx response.
    public init(response: HTTPResponse, method: String, path: String) {
        self.init(code: response.status, headers: response.headers, body: response.body, method: method, path: path)
    }

    /// Builds the error from a status code, headers and body.
    public init(code: Int, headers: [String: String], body: Data, method: String, path: String) {
        let decoded = try? JSONDecoder().decode(Status.self, from: body)
        let status = (decoded?.kind == "Status" || decoded?.code != nil || decoded?.reason != nil) ? decoded : nil
        var retryAfter: Duration?
        if let header = headers["retry-after"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) {
            retryAfter = .seconds(header)
        } else if let seconds = status?.details?.retryAfterSeconds {
            retryAfter = .seconds(seconds)
        }
        let message: String
        if let text = status?.message, !text.isEmpty {
            message = text
        } else {
            message = KubeAPIError.excerpt(of: body).map { "unexpected response body: \($0)" }
                ?? "empty response body"
        }
        self.init(code: status?.code ?? code, reason: status?.reason, message: message, status: status,
                  request: "\(method) \(path)", retryAfter: retryAfter)
    }

    /// Builds the error from the `Status` object of a watch `ERROR` event.
    public init(watchStatus status: Status, request: String) {
        self.init(code: status.code ?? 500, reason: status.reason,
                  message: status.message ?? "watch error without a message", status: status, request: request,
                  retryAfter: status.details?.retryAfterSeconds.map { .seconds($0) })
    }

    public var description: String {
        let reasonText = reason.map { " \($0)" } ?? ""
        let requestText = request.isEmpty ? "" : " (\(request))"
        return "Kubernetes API error \(code)\(reasonText): \(message)\(requestText)"
    }

    public var isNotFound: Bool { code == 404 || reason == "NotFound" }
    public var isAlreadyExists: Bool { reason == "AlreadyExists" }
    /// A write lost an optimistic-concurrency race (stale resourceVersion): get the object again and retry.
    public var isConflict: Bool { reason == "Conflict" || (code == 409 && reason != "AlreadyExists") }
    /// The resourceVersion is too old (watch or list): relist.
    public var isGone: Bool { code == 410 || reason == "Expired" || reason == "Gone" }
    /// Throttled; wait `retryAfter` (when given) before retrying.
    public var isTooManyRequests: Bool { code == 429 || reason == "TooManyRequests" }
    public var isInvalid: Bool { code == 422 || reason == "Invalid" }
    public var isForbidden: Bool { code == 403 || reason == "Forbidden" }
    public var isUnauthorized: Bool { code == 401 || reason == "Unauthorized" }

    /// The first 512 bytes of a body as text, or nil when empty.
    static func excerpt(of body: Data) -> String? {
        guard !body.isEmpty else { return nil }
        let prefix = body.prefix(512)
        var text = String(decoding: prefix, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if body.count > 512 { text += "… (\(body.count) bytes)" }
        return text
    }
}

/// A request the client refused to send, or a response it could not understand.
public enum KubeClientError: Error, Sendable, CustomStringConvertible {
    /// The caller asked for something the API cannot do; the text says what to change.
    case invalidRequest(String)
    /// A 2xx response whose body did not decode as the expected type.
    case undecodableResponse(request: String, type: String, problem: String, excerpt: String)

    public var description: String {
        switch self {
        case .invalidRequest(let text):
            return "invalid request: \(text)"
        case .undecodableResponse(let request, let type, let problem, let excerpt):
            return "could not decode the response of \(request) as \(type): \(problem); body starts: \(excerpt)"
        }
    }
}
