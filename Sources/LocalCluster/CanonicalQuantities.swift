import KubeModel

/// The canonical spellings of quantities as the API server stores them (`1000m` → `1`), worked
/// out once per process for each text: a pod spec's few quantities (`500m`, `1Gi`) recur in every
/// Deployment, ReplicaSet and pod written, and formatting one (exact decimal arithmetic) cost
/// more than the rest of decoding the body.
enum CanonicalQuantities {
    /// Spellings by text, nil for a text that is not a quantity.
    private static let spellings = BoundedMemo<String?>(capacity: 4096)

    /// ``Quantity/canonicalSpelling(of:)`` of `text`.
    static func spelling(of text: String) -> String? {
        spellings.value(for: text) { Quantity.canonicalSpelling(of: text) }
    }
}
