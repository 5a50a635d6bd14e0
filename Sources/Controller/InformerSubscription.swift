import Foundation
import KubeModel

/// The changes an informer tells one subscriber, as an async sequence (`informer.changes()`).
/// Bounded: what the subscriber has not taken yet is held at most once per key
/// (`PendingChanges`), so a slow subscriber costs memory in proportion to the objects that
/// changed, not to the events. Ends when the informer stops, or when the iterating task is
/// cancelled; dropping the sequence unsubscribes.
public struct InformerSubscription<Object: WatchObject>: AsyncSequence, Sendable {
    public typealias Element = InformerChange<Object>
    public typealias Failure = Never

    private let lease: Lease

    init(informer: Informer<Object>, id: UUID) {
        lease = Lease(informer: informer, id: id)
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(lease: lease)
    }

    /// Takes the subscriber's changes one at a time from the informer.
    public struct Iterator: AsyncIteratorProtocol {
        public typealias Failure = Never
        fileprivate let lease: Lease

        public mutating func next() async -> InformerChange<Object>? {
            await lease.informer.nextChange(for: lease.id)
        }
    }

    /// Unsubscribes when the last copy of the sequence or its iterator is gone.
    fileprivate final class Lease: Sendable {
        let informer: Informer<Object>
        let id: UUID

        init(informer: Informer<Object>, id: UUID) {
            self.informer = informer
            self.id = id
        }

        deinit {
            // A deinit cannot await: one hop onto the informer's actor drops the entry.
            Task { [informer, id] in await informer.unsubscribe(id) }
        }
    }
}
