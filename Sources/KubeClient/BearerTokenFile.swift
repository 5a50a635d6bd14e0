import Foundation

/// A bearer token kept in a file (a projected service-account token). The token is cached and
/// re-read once it is older than `refreshInterval` (a minute by default) or when `reload()` is
/// called after the server answered 401.
public actor BearerTokenFile {
    public nonisolated let path: String
    public nonisolated let refreshInterval: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    private var cached: (token: String, readAt: ContinuousClock.Instant)?

    public init(path: String, refreshInterval: Duration = .seconds(60),
                now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.path = path
        self.refreshInterval = refreshInterval
        self.now = now
    }

    /// The current token, from the cache while it is fresh.
    public func token() throws -> String {
        if let cached, now() - cached.readAt < refreshInterval { return cached.token }
        return try reload()
    }

    /// Reads the file now, whatever the cache holds.
    @discardableResult
    public func reload() throws -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ClusterConfigError("cannot read the bearer token file \(path): \(error.localizedDescription); "
                                     + "check that the file exists and is readable")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw ClusterConfigError("the bearer token file \(path) is empty; it must hold the token")
        }
        cached = (token, now())
        return token
    }
}
