/// What a watch needs from an object: a cache key and its resourceVersion. Every `KubeObject`
/// has them; so does an untyped `JSONValue` object (through `metadata`).
public protocol WatchObject: Decodable, Sendable {
    var objectKey: ObjectKey { get }
    var objectResourceVersion: String? { get }
    /// The object as a cache keeps it: without what no reader uses. Typed objects do not model
    /// `managedFields`, so they are kept as decoded.
    var trimmedForCache: Self { get }
}

extension WatchObject {
    public var trimmedForCache: Self { self }
}

extension JSONValue: WatchObject {
    public var objectKey: ObjectKey {
        ObjectKey(namespace: self[path: ["metadata", "namespace"]]?.stringValue,
                  name: self[path: ["metadata", "name"]]?.stringValue ?? "")
    }

    public var objectResourceVersion: String? { self[path: ["metadata", "resourceVersion"]]?.stringValue }

    /// Without `metadata.managedFields` (server-side apply bookkeeping, often the largest part
    /// of a small object; nothing the operator reads).
    public var trimmedForCache: JSONValue {
        guard self[path: ["metadata", "managedFields"]] != nil else { return self }
        var copy = self
        copy[path: ["metadata", "managedFields"]] = nil
        return copy
    }
}
