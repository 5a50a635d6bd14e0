/// The condition types of an InferenceModel.
///
/// | type | True means | False reasons |
/// | --- | --- | --- |
/// | `Ready` | the target version (or image) serves on every desired replica and the spec is valid; the summary `kubectl get` shows | `InvalidSpec`, `VersionNotFound`, any reason of the conditions below |
/// | `Verified` | the target version's archive was downloaded and its SHA-256 matched (`ChecksumMatched`), or the model is image-based (`ImageBased`) | `ChecksumMismatch`, `DownloadFailed`, `InvalidURL`, `VersionNotFound` |
/// | `Scheduled` | every replica has a node (and a GPU when needed) (`Placed`) | `Unschedulable` |
/// | `Available` | at least one replica serves, so `status.url` answers (`MinimumReplicasAvailable`) | `NoReplicasAvailable` |
/// | `Progressing` | a rollout to the target version is under way (`RollingOut`); `False` with `Serving` once it completed | `RolloutFailed` |
///
/// A failure of `Verified` never disturbs the version that is serving: `Available` stays True
/// while `Ready` turns False with the failure's reason and message.
public struct ModelConditionType: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }


    public var description: String { rawValue }

    /// The summary: everything asked for is serving.
    public static let ready: ModelConditionType = "Ready"
    /// The target version's archive matched its sha256sum (or the model is image-based).
    public static let verified: ModelConditionType = "Verified"
    /// Every replica has a node (and a GPU when needed).
    public static let scheduled: ModelConditionType = "Scheduled"
    /// At least one replica serves.
    public static let available: ModelConditionType = "Available"
    /// A rollout to a new version or spec is under way.
    public static let progressing: ModelConditionType = "Progressing"

    /// Every type the operator sets, in the order it lists them.
    public static let all: [ModelConditionType] = [.ready, .verified, .scheduled, .available, .progressing]
}

/// The reasons the operator gives in conditions and events: CamelCase, one per cause.
public struct ModelConditionReason: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }


    public var description: String { rawValue }

    // Spec problems.
    /// The spec breaks a rule the validator checks; the message lists each problem.
    public static let invalidSpec: ModelConditionReason = "InvalidSpec"
    /// `targetVersion` names no manifest entry.
    public static let versionNotFound: ModelConditionReason = "VersionNotFound"

    // Verification.
    /// The archive's SHA-256 matched `sha256sum`.
    public static let checksumMatched: ModelConditionReason = "ChecksumMatched"
    /// The archive's SHA-256 differs from `sha256sum`; the message carries both digests.
    public static let checksumMismatch: ModelConditionReason = "ChecksumMismatch"
    /// The archive could not be downloaded (connection, HTTP status, size limit, timeout).
    public static let downloadFailed: ModelConditionReason = "DownloadFailed"
    /// `downloadURL` is not an http(s) URL the operator can fetch.
    public static let invalidURL: ModelConditionReason = "InvalidURL"
    /// The model comes in its image; there is no archive to verify.
    public static let imageBased: ModelConditionReason = "ImageBased"
    /// The archive is being downloaded and verified.
    public static let verifying: ModelConditionReason = "Verifying"

    // Placement.
    /// Every replica has a node.
    public static let placed: ModelConditionReason = "Placed"
    /// No node (or GPU) satisfies the model's layer, selector, architecture or GPU needs.
    public static let unschedulable: ModelConditionReason = "Unschedulable"

    // Rollout and serving.
    /// A new version or spec is rolling out; the previous version keeps serving.
    public static let rollingOut: ModelConditionReason = "RollingOut"
    /// The target version serves on every desired replica.
    public static let serving: ModelConditionReason = "Serving"
    /// The rollout stopped making progress (the Deployment's deadline passed).
    public static let rolloutFailed: ModelConditionReason = "RolloutFailed"
    /// At least one replica is available.
    public static let minimumReplicasAvailable: ModelConditionReason = "MinimumReplicasAvailable"
    /// No replica is available yet.
    public static let noReplicasAvailable: ModelConditionReason = "NoReplicasAvailable"
    /// `replicas` is 0: nothing is meant to serve.
    public static let scaledToZero: ModelConditionReason = "ScaledToZero"
    /// The Deployment cannot create pods (its `ReplicaFailure` condition: a PodSecurity refusal,
    /// a quota); the message is the server's.
    public static let replicaFailure: ModelConditionReason = "ReplicaFailure"
    /// An object of the name the model's Service or Deployment needs exists and belongs to
    /// someone else; it is never taken over.
    public static let notOwned: ModelConditionReason = "NotOwned"
    /// Nothing rolls out: the version to roll out is not verified or not placed yet.
    public static let waiting: ModelConditionReason = "Waiting"
    /// The operator has not yet computed this condition.
    public static let pending: ModelConditionReason = "Pending"
    /// A condition read without a reason.
    public static let unknownReason: ModelConditionReason = "Unknown"
}
