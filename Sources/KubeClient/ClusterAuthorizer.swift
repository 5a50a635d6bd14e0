import Foundation

/// Produces the `Authorization` header for a `ClusterCredentials`, re-reading token files as
/// `BearerTokenFile` describes.
public struct ClusterAuthorizer: Sendable {
    private enum Source: Sendable {
        case none
        case fixed(String)
        case tokenFile(BearerTokenFile)
    }

    private let source: Source

    public init(credentials: ClusterCredentials, tokenRefreshInterval: Duration = .seconds(60),
                now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        switch credentials {
        case .none:
            source = .none
        case .bearerToken(let token):
            source = .fixed("Bearer " + token)
        case .bearerTokenFile(let path):
            source = .tokenFile(BearerTokenFile(path: path, refreshInterval: tokenRefreshInterval, now: now))
        case .basic(let username, let password):
            source = .fixed("Basic " + Data("\(username):\(password)".utf8).base64EncodedString())
        }
    }

    /// The header value to send now, or nil for none.
    public func authorization() async throws -> String? {
        switch source {
        case .none: return nil
        case .fixed(let value): return value
        case .tokenFile(let file): return "Bearer " + (try await file.token())
        }
    }

    /// After a 401: re-reads a token file and returns the new header when it differs from
    /// `rejected`, which makes a retry worthwhile; nil when retrying cannot help.
    public func authorizationAfterUnauthorized(rejected: String?) async throws -> String? {
        guard case .tokenFile(let file) = source else { return nil }
        let fresh = "Bearer " + (try await file.reload())
        return fresh == rejected ? nil : fresh
    }
}
