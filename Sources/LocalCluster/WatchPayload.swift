import KubeModel
import Synchronization

/// One committed object as the watches of its resource send it. Every HTTP watch that passes
/// the object on needs the same JSON (the object with its type's `apiVersion` and `kind`), so
/// the first one encodes it and the others reuse those bytes: an object two clients watch is
/// encoded once, not once per watch.
final class WatchPayload: Sendable {
    let object: JSONValue
    private let encoded = Mutex<[UInt8]?>(nil)

    init(_ object: JSONValue) {
        self.object = object
    }

    /// The object as compact JSON with `type`'s `apiVersion` and `kind`, members in the stored
    /// dictionaries' order (clients read JSON objects, not their order; sorting every object of
    /// every event was a large part of serving watches). A payload belongs to one resource, so
    /// the first caller's type is every caller's type.
    func json(presentingAs type: ResourceType) -> [UInt8] {
        encoded.withLock { cached in
            if let cached { return cached }
            let bytes = type.presenting(object).jsonBytes(sortedKeys: false)
            cached = bytes
            return bytes
        }
    }

    /// A watch event's line: `{"object":…,"type":"…"}` and a newline.
    func eventLine(_ eventType: WatchEventType, presentingAs type: ResourceType) -> [UInt8] {
        let object = json(presentingAs: type)
        var line: [UInt8] = []
        line.reserveCapacity(object.count + 32)
        line.append(contentsOf: #"{"object":"#.utf8)
        line.append(contentsOf: object)
        line.append(contentsOf: #","type":""#.utf8)
        line.append(contentsOf: eventType.rawValue.utf8)
        line.append(contentsOf: "\"}\n".utf8)
        return line
    }
}
