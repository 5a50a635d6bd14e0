import KubeClient

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

    public init(kind: Kind, key: ObjectKey, old: Object?, new: Object?) {
        self.kind = kind
        self.key = key
        self.old = old
        self.new = new
    }

    /// The most recent state: `new`, or for a delete the last known `old`.
    public var object: Object? { new ?? old }
}
