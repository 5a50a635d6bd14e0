import Foundation

/// The `Authorization` header value for an archive server, from a Secret's keys or the
/// environment variables the `fetch` init container gets from that Secret.
///
/// One form per Secret: `authorization` (the whole header value), `token` (a bearer token), or
/// `username` and `password` (HTTP Basic). The value never appears in a description, log or
/// error: `description` says only which form it is.
public struct ArchiveCredentials: Sendable, Equatable, CustomStringConvertible {
    /// The `Authorization` header's value.
    public let headerValue: String
    /// Which form the credentials came in (`authorization`, `token`, `username and password`).
    public let form: String

    public var description: String { "credentials (\(form))" }

    /// Reads a Secret's data (or the environment, through `ArchiveCredentialKeys`): nil when no
    /// key is present; an error naming what is missing or malformed otherwise.
    public init?(keys: [String: String]) throws(ArchiveCredentialsError) {
        func value(_ key: String) -> String? {
            keys[key].map { $0.trimmingCharacters(in: .newlines) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        let authorization = value("authorization")
        let token = value("token")
        let username = value("username")
        let password = value("password")
        let forms = [authorization != nil, token != nil, username != nil || password != nil].filter { $0 }.count
        guard forms > 0 else { return nil }
        guard forms == 1 else {
            throw ArchiveCredentialsError("holds more than one form of credentials; keep only one of authorization, token, or username and password")
        }
        let header: String
        if let authorization {
            header = authorization
            form = "authorization"
        } else if let token {
            header = "Bearer " + token
            form = "token"
        } else {
            guard let username, let password else {
                throw ArchiveCredentialsError("has \(username == nil ? "password" : "username") without \(username == nil ? "username" : "password"); give both")
            }
            guard !username.contains(":") else { throw ArchiveCredentialsError("has a username with \":\", which HTTP Basic cannot carry") }
            header = "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
            form = "username and password"
        }
        // A header value cannot carry line breaks or other control characters (header injection).
        guard !header.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw ArchiveCredentialsError("has control characters or line breaks inside a value")
        }
        headerValue = header
    }

    /// Reads the `fetch` environment (`ArchiveCredentialKeys`).
    public static func fromEnvironment(_ environment: [String: String]) throws(ArchiveCredentialsError) -> ArchiveCredentials? {
        var keys: [String: String] = [:]
        for (key, variable) in ArchiveCredentialKeys.all {
            if let value = environment[variable] { keys[key] = value }
        }
        return try ArchiveCredentials(keys: keys)
    }
}

/// The Secret keys credentials are read from and the `fetch` environment variables that carry
/// them into the init container.
public enum ArchiveCredentialKeys {
    public static let all: [(key: String, variable: String)] = [
        ("authorization", "MODEL_ARCHIVE_AUTHORIZATION"), ("token", "MODEL_ARCHIVE_TOKEN"),
        ("username", "MODEL_ARCHIVE_USERNAME"), ("password", "MODEL_ARCHIVE_PASSWORD"),
    ]
}

/// Credentials that cannot be used; the message completes "the Secret …" / "the environment …".
public struct ArchiveCredentialsError: Error, Sendable, Equatable, CustomStringConvertible {
    public let problem: String
    public init(_ problem: String) { self.problem = problem }
    public var description: String { problem }
}
