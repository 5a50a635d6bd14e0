/// One problem found in an InferenceModel: the field, a sentence that says what is wrong and
/// how to fix it, and how serious it is.
public struct ValidationIssue: Sendable, Hashable, CustomStringConvertible {
    /// Errors stop the operator from acting on the spec; warnings only inform.
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    /// The field path in the API's terms: `spec.manifest[1].sha256sum`, or `spec` for rules
    /// that span fields.
    public var field: String
    /// A sentence that names the field, says what is wrong and how to fix it.
    public var message: String
    public var severity: Severity
    /// The condition reason the operator reports for this issue (`InvalidSpec`,
    /// `VersionNotFound`, `InvalidURL`).
    public var reason: ModelConditionReason

    public init(field: String, message: String, severity: Severity = .error, reason: ModelConditionReason = .invalidSpec) {
        self.field = field
        self.message = message
        self.severity = severity
        self.reason = reason
    }

    public var description: String {
        severity == .warning ? "warning: \(message)" : message
    }
}

extension Array where Element == ValidationIssue {
    /// The issues that stop the operator from acting on the spec.
    public var errors: [ValidationIssue] { filter { $0.severity == .error } }
    /// The issues that only inform.
    public var warnings: [ValidationIssue] { filter { $0.severity == .warning } }
    /// Whether any issue is an error.
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// The errors as one message for a condition or an event: each sentence, separated by
    /// "; ", prefixed with how many there are when more than one.
    public var summary: String {
        let errors = self.errors
        switch errors.count {
        case 0: return ""
        case 1: return errors[0].message
        default: return "\(errors.count) problems: " + errors.map(\.message).joined(separator: "; ")
        }
    }

    /// The reason of the first error, for the `Ready` condition; `InvalidSpec` when mixed.
    public var reason: ModelConditionReason? {
        let reasons = Set(errors.map(\.reason))
        guard let first = errors.first?.reason else { return nil }
        return reasons.count == 1 ? first : .invalidSpec
    }
}
