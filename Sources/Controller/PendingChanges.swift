import KubeModel
import OrderedCollections

/// The changes a subscriber has not taken yet, at most one per key: a subscriber that falls
/// behind holds one entry per changed object, never a backlog of every event (client-go's
/// DeltaFIFO compresses per key in the same spirit). Entries keep the state before the first
/// change not yet taken (`old`); the state after is read from the store when the change is
/// taken, so a pending change holds no copy of the current object.
///
/// Merging a new change into a pending one, by kind (pending + new):
/// - added + updated: added; updated + updated: updated from the first old state;
/// - added + deleted: nothing (the subscriber never saw the object);
/// - updated + deleted: deleted, with the final state;
/// - deleted + added: updated, from the deleted object's final state to the new one.
struct PendingChanges<Object: Sendable>: Sendable {
    struct Entry: Sendable {
        var kind: InformerChange<Object>.Kind
        /// The state before the first untaken change; for `.deleted`, the final state. Boxed: a
        /// replay of ten thousand cached objects is ten thousand entries without one, and an
        /// inline `Object?` would reserve an object's whole size in each.
        var oldBox: CachedObject<Object>?
        var fromInitialList: Bool

        init(kind: InformerChange<Object>.Kind, old: Object?, fromInitialList: Bool) {
            self.kind = kind
            self.oldBox = old.map(CachedObject.init)
            self.fromInitialList = fromInitialList
        }

        var old: Object? { oldBox?.object }
    }

    private(set) var entries: OrderedDictionary<ObjectKey, Entry> = [:]

    var count: Int { entries.count }

    /// Records a change, merged with the pending one of the same key.
    mutating func record(_ change: InformerChange<Object>) {
        let incoming = Entry(kind: change.kind, old: change.old, fromInitialList: change.fromInitialList)
        guard let pending = entries[change.key] else {
            entries[change.key] = incoming
            return
        }
        let fromInitialList = pending.fromInitialList && change.fromInitialList
        switch (pending.kind, change.kind) {
        case (.added, .deleted):
            entries.removeValue(forKey: change.key)
        case (_, .deleted):
            entries[change.key] = Entry(kind: .deleted, old: change.old, fromInitialList: fromInitialList)
        case (.deleted, _):
            entries[change.key] = Entry(kind: .updated, old: pending.old, fromInitialList: fromInitialList)
        case (.added, _), (.updated, _):
            entries[change.key]?.fromInitialList = fromInitialList
        }
    }

    /// Takes the oldest pending change; `current` gives the store's object for a key (the state
    /// after an add or update). An entry whose object the store no longer has is skipped.
    mutating func takeFirst(current: (ObjectKey) -> Object?) -> InformerChange<Object>? {
        while let (key, entry) = entries.elements.first {
            entries.removeFirst()
            if entry.kind == .deleted {
                return InformerChange(kind: .deleted, key: key, old: entry.old, new: nil,
                                      fromInitialList: entry.fromInitialList)
            }
            guard let new = current(key) else { continue }
            return InformerChange(kind: entry.kind, key: key, old: entry.old, new: new,
                                  fromInitialList: entry.fromInitialList)
        }
        return nil
    }
}
