/// What a watch needs from an object: a cache key and its resourceVersion. Every `KubeObject`
/// has them; so does an untyped `JSONValue` object (through `metadata`).
public protocol WatchObject: Decodable, Sendable {
    var objectKey: ObjectKey { get }
    var objectResourceVersion: String? { get }
}

extension JSONValue: WatchObject {
    public var objectKey: ObjectKey {
        ObjectKey(namespace: self[path: ["metadata", "namespace"]]?.stringValue,
                  name: self[path: ["metadata", "name"]]?.stringValue ?? "")
    }

    public var objectResourceVersion: String? { self[path: ["metadata", "resourceVersion"]]?.stringValue }
}
