import Foundation

/// The bearer tokens the server accepts; nil means authentication is off. Changeable at runtime
/// (token-rotation tests).
actor AuthGate {
    private var tokens: Set<String>?

    init(tokens: Set<String>?) { self.tokens = tokens }

    func setTokens(_ newTokens: Set<String>?) { tokens = newTokens }

    var enabled: Bool { tokens != nil }

    var anyToken: String? { tokens?.sorted().first }

    /// Whether a request with this `Authorization` header may proceed.
    func allows(authorization: String?) -> Bool {
        guard let tokens else { return true }
        guard let authorization, authorization.hasPrefix("Bearer ") else { return false }
        return tokens.contains(String(authorization.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces))
    }
}
