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
        if let printable = printableASCIILabelValue(text) { return printable }
        let allowed = text.map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) ? $0 : "-" }
        var value = String(allowed.prefix(63))
        while let last = value.last, !(last.isLetter || last.isNumber) { value.removeLast() }
        while let first = value.first, !(first.isLetter || first.isNumber) { value.removeFirst() }
        return value
    }

    /// `labelValue` of printable ASCII text, where each byte is a character, computed on bytes
    /// (rendering every model's labels character by character was a visible part of each
    /// reconcile); nil for any other text.
    private static func printableASCIILabelValue(_ text: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(text.utf8.count, 63))
        for byte in text.utf8 {
            guard (0x20...0x7E).contains(byte) else { return nil }
            if bytes.count < 63 { bytes.append(isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                                               || byte == UInt8(ascii: ".") ? byte : UInt8(ascii: "-")) }
        }
        guard let first = bytes.firstIndex(where: isAlphanumeric),
              let last = bytes.lastIndex(where: isAlphanumeric) else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
