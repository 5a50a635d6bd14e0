import Foundation
import KubeModel
import Logging

/// The cluster's state: every object as JSON, one global resourceVersion counter, the watch
/// history and subscribers, the served resource types, and per-verb write counters.
/// All mutations go through this actor, so each write is atomic and totally ordered.
public actor ClusterStore {
    var registry = ResourceRegistry()
    /// storage key (`deployments.apps`) -> objects by namespace/name.
    var objects: [String: [ObjectKey: JSONValue]] = [:]
    var currentResourceVersion: Int64 = 1000
    var history: WatchHistory
    var writeCounts: [String: Int] = [:]
    /// How many stored objects have owner references or a foregroundDeletion finalizer.
    var garbageCollectionRelevant = 0
    /// The uid of every stored object, so a new dependent's owners are checked without a scan.
    var liveUIDs: Set<String> = []
    /// storage key -> controller uid -> keys of the objects it controls, kept on every write, so
    /// the simulator finds a Deployment's ReplicaSets or a ReplicaSet's pods without a scan.
    var controlled = ControllerIndex()
    /// The scheduler's view of the pods (per-node usage, pending pods), kept on every pod write.
    var schedulerCache = SchedulerCache()
    let autoCreateNamespaces: Bool
    let logger: Logger

    init(historyWindow: Int, autoCreateNamespaces: Bool, logger: Logger) {
        self.history = WatchHistory(window: historyWindow)
        self.autoCreateNamespaces = autoCreateNamespaces
        self.logger = logger
        let now = Timestamp.now()
        for name in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            currentResourceVersion += 1
            let namespace: JSONValue = [
                "apiVersion": "v1", "kind": "Namespace",
                "metadata": ["name": .string(name), "uid": .string(UUID().uuidString.lowercased()),
                             "resourceVersion": .string(String(currentResourceVersion)),
                             "creationTimestamp": .string(now),
                             "labels": ["kubernetes.io/metadata.name": .string(name)]],
                "spec": ["finalizers": ["kubernetes"]],
                "status": ["phase": "Active"],
            ]
            objects[BuiltinResources.namespaces.storageKey, default: [:]][ObjectKey(namespace: "", name: name)] = namespace
            liveUIDs.insert(namespace.metaUID)
        }
        // Nothing before the initial state is in the history: a watch from an older resourceVersion (such as 1)
        // is too old, as on a real server whose etcd has been compacted.
        history.compact(through: currentResourceVersion)
    }

    // MARK: - Resource types

    func resourceType(group: String, version: String, plural: String) -> ResourceType? {
        registry.lookup(group: group, version: version, plural: plural)
    }

    func resourceType(apiVersion: String, kind: String) -> ResourceType? {
        registry.lookup(apiVersion: apiVersion, kind: kind)
    }

    func registrySnapshot() -> ResourceRegistry { registry }

    // MARK: - Reads

    /// The object, with `apiVersion` of the requested version.
    public func get(_ type: ResourceType, namespace: String?, name: String) throws(APIError) -> JSONValue {
        guard let object = objects[type.storageKey]?[key(type, namespace, name)] else {
            throw APIError.notFound(type, name)
        }
        return presented(object, as: type)
    }

    /// Every object of `type` (all namespaces when `namespace` is nil), sorted by namespace and name.
    public func list(_ type: ResourceType, namespace: String? = nil) -> [JSONValue] {
        (objects[type.storageKey] ?? [:])
            .filter { namespace == nil || $0.key.namespace == namespace }
            .sorted { $0.key < $1.key }
            .map { presented($0.value, as: type) }
    }

    /// One page of a list request.
    struct ListPage: Sendable {
        var items: [JSONValue]
        var resourceVersion: String
        var continueToken: String?
        var remainingItemCount: Int?
    }

    func listPage(_ type: ResourceType, namespace: String?, labelSelector: LabelSelector,
                  fieldSelector: FieldSelector, limit: Int?, continueToken: String?) throws(APIError) -> ListPage {
        var startAfter: ObjectKey?
        var listRV = currentResourceVersion
        if let continueToken, !continueToken.isEmpty {
            guard let token = ContinueToken(encoded: continueToken) else {
                throw APIError.badRequest("continue key is not valid: the continue token could not be decoded")
            }
            if token.resourceVersion >= 0, token.resourceVersion < history.compactedThrough {
                // The token to go on anyway (inconsistently) lists from the current state, as a real server's does.
                let restart = ContinueToken(resourceVersion: -1, after: token.after).encoded
                throw APIError(code: 410, reason: "Expired",
                               message: "The provided continue parameter is too old to display a consistent list result. "
                                   + "You can start a new list without the continue parameter, or use the continue token "
                                   + "in this response to retrieve the remainder of the results. Continuing with the "
                                   + "provided token results in an inconsistent list - objects that were created, "
                                   + "modified, or deleted between the time the first chunk was returned and now may "
                                   + "show up in the list.",
                               metadata: ["continue": .string(restart)])
            }
            startAfter = token.after
            if token.resourceVersion >= 0 { listRV = token.resourceVersion }
        }
        let matching = objects(type, asOf: listRV)
            .filter { namespace == nil || $0.key.namespace == namespace }
            .filter { entry in startAfter.map { entry.key > $0 } ?? true }
            .filter { labelSelector.matches(object: $0.value) && fieldSelector.matches($0.value) }
            .sorted { $0.key < $1.key }
        if let limit, limit > 0, matching.count > limit {
            let page = matching.prefix(limit)
            let last = page[page.index(before: page.endIndex)].key
            return ListPage(items: page.map { presented($0.value, as: type) }, resourceVersion: String(listRV),
                            continueToken: ContinueToken(resourceVersion: listRV, after: last).encoded,
                            remainingItemCount: matching.count - limit)
        }
        return ListPage(items: matching.map { presented($0.value, as: type) }, resourceVersion: String(listRV),
                        continueToken: nil, remainingItemCount: nil)
    }

    /// The objects of `type` as they were at `resourceVersion`: every page of one paged list comes
    /// from the snapshot its first page was read at, as a real API server serves them (an object
    /// created after the first page is not in a later one; one changed or deleted since is there as
    /// it was). Read back from the watch history, which reaches that far (an older continue token
    /// is 410 Expired before this).
    private func objects(_ type: ResourceType, asOf resourceVersion: Int64) -> [ObjectKey: JSONValue] {
        var snapshot = objects[type.storageKey] ?? [:]
        guard resourceVersion < currentResourceVersion else { return snapshot }
        let events = history.events
        // The first event after `resourceVersion` (events are in resourceVersion order).
        var low = events.startIndex, high = events.endIndex
        while low < high {
            let middle = low + (high - low) / 2
            if events[middle].resourceVersion <= resourceVersion { low = middle + 1 } else { high = middle }
        }
        var settled = Set<ObjectKey>()  // Keys whose state at `resourceVersion` is known: their first change since.
        for event in events[low...] where event.storageKey == type.storageKey {
            let objectKey = key(type, event.object.metaNamespace, event.object.metaName)
            guard settled.insert(objectKey).inserted else { continue }
            switch event.type {
            case .added: snapshot[objectKey] = nil  // Created since.
            case .modified: if let previous = event.previous { snapshot[objectKey] = previous }
            case .deleted: snapshot[objectKey] = event.object  // Deleted since: as it was.
            case .bookmark, .error: settled.remove(objectKey)  // Never stored; not a change of the object.
            }
        }
        return snapshot
    }

    /// The current global resourceVersion.
    public var resourceVersion: Int64 { currentResourceVersion }

    // MARK: - Watch

    /// Opens a watch: replays what happened after `resourceVersion` (or synthetic ADDED events
    /// for the current state when it is nil or "0"), then streams live changes. A resourceVersion
    /// older than the history window yields a single 410 Expired error item.
    func watch(_ type: ResourceType, namespace: String?, labelSelector: LabelSelector,
               fieldSelector: FieldSelector, resourceVersion: String?, sendInitialEvents: Bool = false, failExpired: Bool = false)
        throws(APIError)
        -> (stream: AsyncStream<WatchItem>, subscription: Int?)
    {
        let filter = WatchFilter(storageKey: type.storageKey, namespace: namespace, labelSelector: labelSelector,
                                 fieldSelector: fieldSelector)
        let (stream, continuation) = AsyncStream<WatchItem>.makeStream(bufferingPolicy: .unbounded)
        if !sendInitialEvents, let resourceVersion, !resourceVersion.isEmpty, resourceVersion != "0" {
            guard let rv = Int64(resourceVersion) else {
                throw APIError.badRequest("invalid resource version \"\(resourceVersion)\": must be an integer")
            }
            guard let replay = history.events(after: rv, matching: filter) else {
                if failExpired { throw APIError.gone("too old resource version: \(rv) (\(history.compactedThrough))") }
                continuation.yield(.error(APIError.gone(
                    "too old resource version: \(rv) (\(history.compactedThrough))")))
                continuation.finish()
                return (stream, nil)
            }
            for (eventType, object) in replay { continuation.yield(.event(eventType, object)) }
        } else {
            for (_, object) in (objects[type.storageKey] ?? [:]).sorted(by: { $0.key < $1.key })
            where filter.matches(object) {
                continuation.yield(.event(.added, WatchPayload(object)))
            }
        }
        if sendInitialEvents {
            continuation.yield(.bookmark(currentResourceVersion, initialEventsEnd: true))
        }
        let id = history.subscribe(filter, continuation: continuation)
        return (stream, id)
    }

    func bookmark(_ subscription: Int) {
        history.bookmark(subscription, resourceVersion: currentResourceVersion)
    }

    func endWatch(_ subscription: Int) {
        history.unsubscribe(subscription)
    }

    /// Drops the watch history: watches from any earlier resourceVersion now get 410 Expired.
    public func compactHistory() {
        history.compact(through: currentResourceVersion)
    }

    /// The number of open watches (for tests checking that watches end).
    public var openWatchCount: Int { history.subscriberCount }

    func shutdown() {
        history.finishAll()
    }

    // MARK: - Write counters

    func countWrite(_ verb: String, _ type: ResourceType, subresource: String? = nil) {
        let key = subresource.map { "\(verb)/\($0) \(type.storageKey)" } ?? "\(verb) \(type.storageKey)"
        writeCounts[key, default: 0] += 1
    }

    /// How many successful writes of `verb` (`create`, `update`, `patch`, `delete`, optionally with a
    /// subresource such as `update/status`) were made to `resource` (plural, optionally
    /// group-qualified: `deployments` or `deployments.apps`).
    public func writeCount(verb: String, resource: String) -> Int {
        writeCounts.filter { entry in
            let parts = entry.key.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[0] == verb else { return false }
            return parts[1] == resource || parts[1].split(separator: ".").first.map(String.init) == resource
        }.values.reduce(0, +)
    }

    /// Every write counter, keyed `"<verb>[/<subresource>] <plural>[.<group>]"`.
    public func allWriteCounts() -> [String: Int] { writeCounts }

    public func resetWriteCounts() { writeCounts.removeAll() }

    // MARK: - Helpers

    func key(_ type: ResourceType, _ namespace: String?, _ name: String) -> ObjectKey {
        ObjectKey(namespace: type.namespaced ? (namespace ?? "") : "", name: name)
    }

    /// The stored object as a client of `type`'s version sees it.
    func presented(_ object: JSONValue, as type: ResourceType) -> JSONValue {
        type.presenting(object)
    }

    func nextResourceVersion() -> Int64 {
        currentResourceVersion += 1
        return currentResourceVersion
    }
}

/// A list continuation: the list's resourceVersion and the last key returned.
struct ContinueToken {
    var resourceVersion: Int64
    var after: ObjectKey

    var encoded: String {
        let json: JSONValue = ["rv": .int(resourceVersion), "ns": .string(after.namespace), "name": .string(after.name)]
        // URL-safe base64 without padding, like the real server's tokens: safe in a query string unescaped.
        return Data(json.jsonString.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init(resourceVersion: Int64, after: ObjectKey) {
        self.resourceVersion = resourceVersion
        self.after = after
    }

    init?(encoded: String) {
        var standard = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        guard let data = Data(base64Encoded: standard), let json = try? JSONValue.parse(data),
              let rv = json["rv"]?.intValue, let name = json["name"]?.stringValue else { return nil }
        resourceVersion = rv
        after = ObjectKey(namespace: json["ns"]?.stringValue ?? "", name: name)
    }
}
