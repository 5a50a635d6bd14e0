import CurlHTTP
import Foundation

/// Where and how to reach one Kubernetes API server: its URL, the TLS material to trust it and
/// to identify ourselves, and the credentials for the `Authorization` header.
public struct ClusterConfig: Sendable {
    /// The API server's base URL, without a trailing slash (`https://10.0.0.1:443`).
    public var server: String
    /// CA to trust, client certificate and key, and whether verification is (explicitly) off.
    public var tls: TLSOptions
    public var credentials: ClusterCredentials
    /// The namespace of the selected context (or of the service account); "default" otherwise.
    public var namespace: String
    /// Where this configuration came from, for logs and error messages.
    public var source: String

    public init(server: String, tls: TLSOptions = TLSOptions(), credentials: ClusterCredentials = .none,
                namespace: String = "default", source: String = "explicit configuration") {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.tls = tls
        self.credentials = credentials
        self.namespace = namespace
        self.source = source
    }
}

/// How requests authenticate, besides a client certificate (which lives in `TLSOptions`).
public enum ClusterCredentials: Sendable, Hashable {
    case none
    /// A fixed bearer token.
    case bearerToken(String)
    /// A bearer token read from a file, re-read every minute and after a 401, so rotated
    /// service-account tokens are picked up.
    case bearerTokenFile(String)
    /// HTTP basic authentication.
    case basic(username: String, password: String)
}

/// A cluster configuration that could not be found or used; `description` says what is wrong
/// and how to fix it.
public struct ClusterConfigError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
