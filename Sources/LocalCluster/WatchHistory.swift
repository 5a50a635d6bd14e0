import DequeModule
import KubeModel

/// The kind of change a watch event reports.
public enum WatchEventType: String, Sendable {
    case added = "ADDED"
    case modified = "MODIFIED"
    case deleted = "DELETED"
    case bookmark = "BOOKMARK"
    case error = "ERROR"
}

/// One committed change, kept in the bounded history for watches that resume from a resourceVersion.
struct StoredEvent: Sendable {
    var resourceVersion: Int64
    var storageKey: String
    var type: WatchEventType
    var object: JSONValue
    /// The object before the change (for MODIFIED), so selector transitions can be reported.
    var previous: JSONValue?
}

/// What a watch subscriber receives: events, or the 410 Expired error that ends the watch.
enum WatchItem: Sendable {
    case event(WatchEventType, WatchPayload)
    /// A BOOKMARK at this resourceVersion (ordered after every event up to it).
    case bookmark(Int64, initialEventsEnd: Bool)
    case error(APIError)
}

/// A watch's filter: the resource, an optional namespace and selectors.
struct WatchFilter: Sendable {
    var storageKey: String
    var namespace: String?
    var labelSelector: LabelSelector
    var fieldSelector: FieldSelector

    func matches(_ object: JSONValue) -> Bool {
        if let namespace, object.metaNamespace != namespace { return false }
        return labelSelector.matches(object: object) && fieldSelector.matches(object)
    }

    /// The type of event a subscriber sees for `event`, taking objects moving in or out of the
    /// selection into account; nil when it sees none.
    func translate(_ event: StoredEvent) -> WatchEventType? {
        guard event.storageKey == storageKey else { return nil }
        let nowMatches = matches(event.object)
        switch event.type {
        case .added, .deleted, .bookmark, .error:
            return nowMatches ? event.type : nil
        case .modified:
            let wasMatching = event.previous.map(matches) ?? nowMatches
            switch (wasMatching, nowMatches) {
            case (true, true): return .modified
            case (false, true): return .added
            case (true, false): return .deleted
            case (false, false): return nil
            }
        }
    }
}

/// The bounded event history plus the live subscribers.
struct WatchHistory {
    var window: Int
    /// A deque: once the window is full every write drops the oldest event, which an array did by
    /// moving all the others.
    private(set) var events: Deque<StoredEvent> = []
    /// Watches from a resourceVersion below this are too old (410 Expired).
    private(set) var compactedThrough: Int64 = 0
    private var subscribers: [Int: (filter: WatchFilter, continuation: AsyncStream<WatchItem>.Continuation)] = [:]
    private var nextSubscriberID = 0

    init(window: Int) { self.window = max(1, window) }

    var subscriberCount: Int { subscribers.count }

    mutating func record(_ event: StoredEvent) {
        events.append(event)
        if events.count > window {
            let dropped = events.count - window
            compactedThrough = events[dropped - 1].resourceVersion
            events.removeFirst(dropped)
        }
        // One payload for every live watch the event goes to, so its JSON is written once; the
        // history keeps the object only, and the bytes go when the last watch has sent them.
        var payload: WatchPayload?
        for (_, subscriber) in subscribers {
            if let type = subscriber.filter.translate(event) {
                let shared = payload ?? WatchPayload(event.object)
                payload = shared
                subscriber.continuation.yield(.event(type, shared))
            }
        }
    }

    /// Drops the whole history: any watch from a resourceVersion before `currentRV` now gets 410.
    mutating func compact(through currentRV: Int64) {
        events.removeAll()
        compactedThrough = currentRV
    }

    /// Events after `resourceVersion` matching `filter`, or nil when the history no longer reaches back that far.
    func events(after resourceVersion: Int64, matching filter: WatchFilter) -> [(WatchEventType, WatchPayload)]? {
        if resourceVersion < compactedThrough { return nil }
        return events.filter { $0.resourceVersion > resourceVersion }.compactMap { event in
            filter.translate(event).map { ($0, WatchPayload(event.object)) }
        }
    }

    mutating func subscribe(_ filter: WatchFilter, continuation: AsyncStream<WatchItem>.Continuation) -> Int {
        nextSubscriberID += 1
        subscribers[nextSubscriberID] = (filter, continuation)
        return nextSubscriberID
    }

    /// Sends a bookmark to one subscriber, in order with its events.
    func bookmark(_ id: Int, resourceVersion: Int64, initialEventsEnd: Bool = false) {
        subscribers[id]?.continuation.yield(.bookmark(resourceVersion, initialEventsEnd: initialEventsEnd))
    }

    mutating func unsubscribe(_ id: Int) {
        subscribers.removeValue(forKey: id)?.continuation.finish()
    }

    mutating func finishAll() {
        for (_, subscriber) in subscribers { subscriber.continuation.finish() }
        subscribers.removeAll()
    }
}
