/// One cached object, held by reference: the informer's cache and a subscriber's pending
/// changes keep pointers, not objects of hundreds of bytes inline in their tables.
final class CachedObject<Object: Sendable>: Sendable {
    let object: Object

    init(_ object: Object) {
        self.object = object
    }
}
