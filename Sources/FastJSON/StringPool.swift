import Synchronization

/// One shared copy of the strings that recur across decoded objects: the keys of JSON objects
/// decoded as dictionaries (label and annotation keys such as `app.kubernetes.io/managed-by`),
/// and their values when those are strings (label values, annotation values). Swift keeps a
/// string of up to 15 UTF-8 bytes inline; a longer one is a heap object of its own, so ten
/// thousand cached Deployments would otherwise hold ten thousand copies of each label key. The
/// pool is bounded (`limit` strings): past it, strings are returned as they are, so a stream of
/// unique strings cannot grow it without end.
final class StringPool: Sendable {
    /// The pool the decoder uses.
    static let shared = StringPool(limit: 16_384)

    private let strings: Mutex<Set<String>>
    let limit: Int

    init(limit: Int) {
        self.limit = limit
        strings = Mutex([])
    }

    /// The pooled copy of `string` (the first one seen), or `string` itself.
    func pooled(_ string: String) -> String {
        guard string.utf8.count > 15 else { return string }
        return strings.withLock { pool in
            if let index = pool.firstIndex(of: string) { return pool[index] }
            if pool.count < limit { pool.insert(string) }
            return string
        }
    }

    /// How many strings the pool holds.
    var count: Int { strings.withLock { $0.count } }
}
