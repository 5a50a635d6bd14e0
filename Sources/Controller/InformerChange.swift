import KubeModel

/// A change an informer observed, with the object's state before and after.
public struct InformerChange<Object: Sendable>: Sendable {
    public enum Kind: Sendable, Hashable {
        case added
        case updated
        case deleted
    }

    public var kind: Kind
    public var key: ObjectKey
    /// The state before the change (for `.deleted`, the object's final state); nil for `.added`.
    public var old: Object?
    /// The state after the change; nil for `.deleted`.
    public var new: Object?
    /// Whether the change came from the informer's initial list (or a replay of its cache to a
    /// new subscriber) rather than from a watch event: work it causes can wait behind real changes.
    public var fromInitialList: Bool

    public init(kind: Kind, key: ObjectKey, old: Object?, new: Object?, fromInitialList: Bool = false) {
        self.kind = kind
        self.key = key
        self.old = old
        self.new = new
        self.fromInitialList = fromInitialList
    }

    /// The most recent state: `new`, or for a delete the last known `old`.
    public var object: Object? { new ?? old }
}
