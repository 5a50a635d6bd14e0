import Foundation

/// The bearer tokens the server accepts; nil means authentication is off. Changeable at runtime
/// (token-rotation tests). Restricted tokens authenticate a user who may do nothing: every resource
/// request with one is answered 403 Forbidden, as RBAC answers a service account without rights.
actor AuthGate {
    private var tokens: Set<String>?
    private let restricted: [String: String]

    init(tokens: Set<String>?, restricted: [String: String] = [:]) {
        self.tokens = tokens
        self.restricted = restricted
    }

    func setTokens(_ newTokens: Set<String>?) { tokens = newTokens }

    var enabled: Bool { tokens != nil }

    var anyToken: String? { tokens?.sorted().first }

    /// Whether a request with this `Authorization` header may proceed.
    func allows(authorization: String?) -> Bool {
        if let token = Self.bearer(authorization), restricted[token] != nil { return true }
        guard let tokens else { return true }
        guard let token = Self.bearer(authorization) else { return false }
        return tokens.contains(token)
    }

    /// The user a restricted token authenticates, nil for any other request.
    func restrictedUser(authorization: String?) -> String? {
        Self.bearer(authorization).flatMap { restricted[$0] }
    }

    private static func bearer(_ authorization: String?) -> String? {
        guard let authorization, authorization.hasPrefix("Bearer ") else { return nil }
        return String(authorization.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
    }
}
