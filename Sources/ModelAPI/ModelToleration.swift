/// A toleration for the serving pods, with the keys and meaning of a Kubernetes pod
/// toleration (`key`, `operator` `Equal` or `Exists`, `value`, `effect`, `tolerationSeconds`).
public struct ModelToleration: Codable, Sendable, Hashable {
    public var key: String?
    /// `Equal` (the default) or `Exists`.
    public var `operator`: String?
    public var value: String?
    /// `NoSchedule`, `PreferNoSchedule` or `NoExecute`; nil matches every effect.
    public var effect: String?
    /// For `NoExecute`: how long the pod stays bound after the taint appears.
    public var tolerationSeconds: Int64?

    public init(
        key: String? = nil, operator: String? = nil, value: String? = nil, effect: String? = nil,
        tolerationSeconds: Int64? = nil
    ) {
        self.key = key
        self.operator = `operator`
        self.value = value
        self.effect = effect
        self.tolerationSeconds = tolerationSeconds
    }

    /// The operators Kubernetes accepts.
    public static let operators = ["Equal", "Exists"]
    /// The taint effects Kubernetes accepts.
    public static let effects = ["NoSchedule", "PreferNoSchedule", "NoExecute"]
}
