import ModelAPI

/// The labels and annotations the operator puts on what it emits.
public enum ModelLabels {
    /// Selects every serving pod of an InferenceModel (the Service's selector).
    public static let model = "ai.kubeedge.io/inferencemodel"
    /// Tells the per-node Deployments of one model apart.
    public static let placement = "ai.kubeedge.io/placement"
    /// The manifest version (or image) a Deployment's pod template serves.
    public static let servingVersionAnnotation = "ai.kubeedge.io/model-version"
    /// The archive digest a Deployment's pod template serves.
    public static let sha256Annotation = "ai.kubeedge.io/model-sha256"
    public static let managedBy = "model-operator"

    /// The standard `app.kubernetes.io/*` labels plus the model selector label.
    public static func common(for model: InferenceModel) -> [String: String] {
        [
            "app.kubernetes.io/name": labelValue(model.spec.modelName),
            "app.kubernetes.io/instance": model.metadata.name ?? "",
            "app.kubernetes.io/component": "inference-server",
            "app.kubernetes.io/part-of": "kubeedge-inference",
            "app.kubernetes.io/managed-by": managedBy,
            Self.model: model.metadata.name ?? "",
        ]
    }

    /// The Service's (and scale subresource's) selector.
    public static func selector(for model: InferenceModel) -> [String: String] {
        [Self.model: model.metadata.name ?? ""]
    }

    /// The selector as `kubectl` writes it: `ai.kubeedge.io/inferencemodel=name`.
    public static func selectorString(for model: InferenceModel) -> String {
        selector(for: model).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    /// A label value: at most 63 characters of `[A-Za-z0-9._-]`, starting and ending alphanumeric.
    public static func labelValue(_ text: String) -> String {
        let allowed = text.map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) ? $0 : "-" }
        var value = String(allowed.prefix(63))
        while let last = value.last, !(last.isLetter || last.isNumber) { value.removeLast() }
        while let first = value.first, !(first.isLetter || first.isNumber) { value.removeFirst() }
        return value
    }
}
