/// Counts the API writes the operator makes, by kind: tests check that a restart rewrites
/// nothing unchanged, and the benchmark reports writes per model.
public actor WriteCounter {
    public enum Kind: String, Sendable, CaseIterable {
        case created, updated, deleted, statusUpdated
    }

    private var counts: [Kind: Int] = [:]

    public init() {}

    public func record(_ kind: Kind) { counts[kind, default: 0] += 1 }

    public func count(_ kind: Kind) -> Int { counts[kind] ?? 0 }

    public var total: Int { counts.values.reduce(0, +) }
}
