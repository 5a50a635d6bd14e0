import KubeModel
import Synchronization

/// The canonical spellings of quantities as the API server stores them (`1000m` → `1`), worked
/// out once per process for each text: a pod spec's few quantities (`500m`, `1Gi`) recur in every
/// Deployment, ReplicaSet and pod written, and formatting one (exact decimal arithmetic) cost
/// more than the rest of decoding the body.
enum CanonicalQuantities {
    /// Spellings by text, nil for a text that is not a quantity (at most 4,096 kept).
    private static let spellings = Mutex<[String: String?]>([:])

    /// ``Quantity/canonicalSpelling(of:)`` of `text`.
    static func spelling(of text: String) -> String? {
        if let known = spellings.withLock({ $0[text] }) { return known }
        let spelling = Quantity.canonicalSpelling(of: text)
        spellings.withLock { spellings in
            if spellings.count >= 4096 { spellings.removeAll() }
            spellings[text] = .some(spelling)
        }
        return spelling
    }
}
