import ModelAPI

/// Names of the objects emitted for a model.
public enum ChildNaming {
    /// The Service and the single Deployment share the model's name.
    public static func primary(_ model: InferenceModel) -> String { model.metadata.name ?? "" }

    /// A per-node Deployment: `<model>-<node>`, shortened with a stable hash when too long.
    public static func pinned(_ model: InferenceModel, node: String) -> String {
        let base = primary(model)
        let name = "\(base)-\(node)".lowercased()
        if name.count <= 63, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) { return name }
        return "\(base.prefix(46))-\(stableHash(node))"
    }

    /// 16 hex digits of FNV-1a: stable across processes (unlike `Hasher`).
    static func stableHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
