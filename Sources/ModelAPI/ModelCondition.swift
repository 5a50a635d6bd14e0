import Foundation

/// One condition of an InferenceModel, in the Kubernetes convention (`metav1.Condition`):
/// a type, a status (`True`, `False`, `Unknown`), a CamelCase reason, a message for people,
/// when the status last changed, and the generation it was computed for.
public struct ModelCondition: Codable, Sendable, Hashable {
    /// `True`, `False` or `Unknown`.
    public enum Status: String, Codable, Sendable, Hashable {
        case `true` = "True"
        case `false` = "False"
        case unknown = "Unknown"

        /// Reads anything other than `True` or `False` as `Unknown`.
        public init(from decoder: Decoder) throws {
            let text = try decoder.singleValueContainer().decode(String.self)
            self = Status(rawValue: text) ?? .unknown
        }
    }

    public var type: ModelConditionType
    public var status: Status
    public var reason: ModelConditionReason
    public var message: String
    /// When `status` last changed (whole seconds, written as RFC 3339).
    public var lastTransitionTime: Date
    /// The `metadata.generation` the condition was computed for.
    public var observedGeneration: Int64?

    public init(
        type: ModelConditionType, status: Status, reason: ModelConditionReason, message: String,
        lastTransitionTime: Date, observedGeneration: Int64? = nil
    ) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastTransitionTime = TimeCoding.wholeSeconds(lastTransitionTime)
        self.observedGeneration = observedGeneration
    }

    enum CodingKeys: String, CodingKey {
        case type, status, reason, message, lastTransitionTime, observedGeneration
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(ModelConditionType.self, forKey: .type)
        status = try container.decodeIfPresentNonNull(Status.self, forKey: .status) ?? .unknown
        reason = try container.decodeIfPresentNonNull(ModelConditionReason.self, forKey: .reason) ?? .unknownReason
        message = try container.decodeIfPresentNonNull(String.self, forKey: .message) ?? ""
        if container.contains(.lastTransitionTime), try !container.decodeNil(forKey: .lastTransitionTime) {
            lastTransitionTime = try container.decodeRFC3339(forKey: .lastTransitionTime)
        } else {
            lastTransitionTime = Date(timeIntervalSince1970: 0)
        }
        observedGeneration = try container.decodeIfPresentNonNull(Int64.self, forKey: .observedGeneration)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(status, forKey: .status)
        try container.encode(reason, forKey: .reason)
        try container.encode(message, forKey: .message)
        try container.encodeRFC3339(lastTransitionTime, forKey: .lastTransitionTime)
        try container.encodeIfPresent(observedGeneration, forKey: .observedGeneration)
    }

    public var isTrue: Bool { status == .true }
}
