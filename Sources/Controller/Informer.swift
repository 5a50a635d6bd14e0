import Foundation
import KubeClient
import KubeModel
import Logging

/// Keeps a local, always-current cache of one resource (optionally one namespace and label
/// selector) by running a watch, and tells subscribers about every change.
///
/// Run it as a service (`run()`, as the `Manager` does: the watch lives in the caller's task) or
/// call `start()`; then `waitForSync()` before trusting `list()`: until the initial list has
/// arrived the cache is incomplete. Subscribers (`changes()`) get every change after they
/// subscribe, preceded by an `.added` for each object already cached, so a work queue fed by
/// them sees every object at least once; a subscriber that falls behind gets the changes of one
/// object merged into one (see `PendingChanges`), so what it has not taken is bounded by the
/// number of objects. The cache is the only copy of each object (the watch keeps versions only).
public actor Informer<Object: WatchObject> {
    public nonisolated let gvr: GroupVersionResource
    public nonisolated let namespace: String?
    public nonisolated let labelSelector: String?

    private let driver: WatchDriver<Object>
    private let logger: Logger
    /// The objects, each boxed: a dictionary keeps room for more entries than it holds, and an
    /// inline object (hundreds of bytes for a typed Kubernetes object) would fill that room.
    private var cache: [ObjectKey: CachedObject<Object>] = [:]
    private var indexes: [String: InformerIndex<Object>] = [:]
    /// Objects this process wrote, by the resourceVersion the server answered: older watch events
    /// for them are not applied, so the cache never goes back behind a write it has seen.
    private var writtenVersions: [ObjectKey: UInt64] = [:]
    private var synced = false
    private var watchTask: Task<Void, Never>?
    private var running = false
    private var subscribers: [UUID: PendingChanges<Object>] = [:]
    /// Subscribers waiting in `nextChange(for:)` for a change.
    private var changeWaiters: [UUID: CheckedContinuation<InformerChange<Object>?, Never>] = [:]
    private var syncWaiters: [UUID: CheckedContinuation<Void, Error>] = [:]

    /// An informer of any resource; `Object` is `JSONValue` for untyped use or a `KubeObject` model.
    public init(client: RESTClient, gvr: GroupVersionResource, namespace: String? = nil,
                labelSelector: String? = nil, fieldSelector: String? = nil,
                configuration: WatchConfiguration = WatchConfiguration(), clock: any WatchClock = SystemWatchClock(),
                logger: Logger = Logger(label: "model-operator.informer")) {
        self.gvr = gvr
        self.namespace = gvr.namespaced ? namespace : nil
        self.labelSelector = labelSelector
        self.logger = logger
        self.driver = WatchDriver(client: client, gvr: gvr, namespace: namespace, labelSelector: labelSelector,
                                  fieldSelector: fieldSelector, configuration: configuration, clock: clock,
                                  logger: logger)
    }

    deinit {
        watchTask?.cancel()
    }

    // MARK: - Lifecycle

    /// Starts the watch; calling it again while running does nothing.
    public func start() {
        guard watchTask == nil else { return }
        let driver = self.driver
        watchTask = Task { [weak self] in
            await driver.run { [weak self] event in await self?.apply(event) }
        }
        logger.debug("informer started", metadata: ["resource": "\(gvr)"])
    }

    /// Runs the watch in the calling task until that task is cancelled, then ends every
    /// subscriber's stream as `stop()` does. Does nothing when already running.
    public func run() async {
        guard watchTask == nil, !running else { return }
        running = true
        logger.debug("informer started", metadata: ["resource": "\(gvr)"])
        let driver = self.driver
        await driver.run { [weak self] event in await self?.apply(event) }
        running = false
        stop()
    }

    /// Whether the watch runs (`run()` or `start()`, not yet stopped).
    public var isRunning: Bool { running || watchTask != nil }

    /// Stops the watch and ends every subscriber's stream. Waiters for sync get `CancellationError`.
    public func stop() {
        watchTask?.cancel()
        watchTask = nil
        subscribers.removeAll()
        for waiter in changeWaiters.values { waiter.resume(returning: nil) }
        changeWaiters.removeAll()
        for waiter in syncWaiters.values { waiter.resume(throwing: CancellationError()) }
        syncWaiters.removeAll()
    }

    // MARK: - Sync

    /// Whether the initial list has been loaded into the cache.
    public var hasSynced: Bool { synced }

    /// Returns once the initial list is in the cache; throws `CancellationError` if the caller is
    /// cancelled or the informer stopped first.
    public func waitForSync() async throws {
        if synced { return }
        let id = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if synced {
                    continuation.resume()
                } else if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    syncWaiters[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    /// Waits for sync at most `timeout`; returns whether the informer synced.
    public func waitForSync(timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await self.waitForSync()) != nil }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    private func cancelWaiter(_ id: UUID) {
        syncWaiters.removeValue(forKey: id)?.resume(throwing: CancellationError())
    }

    // MARK: - Cache

    /// The cached object with this key.
    public func get(_ key: ObjectKey) -> Object? { cache[key]?.object }

    /// The cached object `namespace/name` (or `name` when cluster-scoped).
    public func get(namespace: String?, name: String) -> Object? {
        cache[ObjectKey(namespace: namespace, name: name)]?.object
    }

    /// Every cached object, sorted by key; `namespace` narrows to one namespace.
    public func list(namespace: String? = nil) -> [Object] {
        cache.filter { namespace == nil || $0.key.namespace == namespace }
            .sorted { $0.key < $1.key }
            .map(\.value.object)
    }

    /// Folds every cached object into a result, in no particular order, without copying or
    /// sorting the cache (for counts over all objects).
    public func reduce<Result: Sendable>(into initial: Result, _ update: @Sendable (inout Result, Object) -> Void) -> Result {
        var result = initial
        for entry in cache.values { update(&result, entry.object) }
        return result
    }

    /// Adds a secondary index (client-go's Indexer): `values` gives each object's index values.
    /// Replaces an index of the same name; objects already cached are indexed at once.
    public func addIndex(_ name: String, values: @escaping @Sendable (Object) -> [String]) {
        var index = InformerIndex(values: values)
        for (key, entry) in cache { index.update(key: key, old: nil, new: entry.object) }
        indexes[name] = index
    }

    /// The cached objects whose index `name` has `value`, sorted by key; empty for an unknown index.
    public func byIndex(_ name: String, _ value: String) -> [Object] {
        (indexes[name]?.entries[value] ?? []).sorted().compactMap { cache[$0]?.object }
    }

    /// Every cached key, sorted.
    public func keys() -> [ObjectKey] { cache.keys.sorted() }

    /// The number of cached objects.
    public var count: Int { cache.count }

    // MARK: - Notifications

    /// Every change from now on, preceded (when `replayExisting`) by `.added` for each cached object.
    /// The sequence ends when the informer stops or the iterating task is cancelled; dropping it
    /// unsubscribes.
    public func changes(replayExisting: Bool = true) -> InformerSubscription<Object> {
        var pending = PendingChanges<Object>()
        if replayExisting {
            for key in cache.keys.sorted() {
                pending.record(InformerChange(kind: .added, key: key, old: nil, new: nil, fromInitialList: true))
            }
        }
        let id = UUID()
        subscribers[id] = pending
        return InformerSubscription(informer: self, id: id)
    }

    /// The subscriber's next change, waiting for one; nil once the informer stopped, the
    /// subscriber is gone or the calling task is cancelled.
    func nextChange(for id: UUID) async -> InformerChange<Object>? {
        guard subscribers[id] != nil else { return nil }
        if let change = takeChange(for: id) { return change }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if subscribers[id] == nil || Task.isCancelled {
                    continuation.resume(returning: nil)
                } else {
                    changeWaiters[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.cancelChangeWait(id) }
        }
    }

    private func takeChange(for id: UUID) -> InformerChange<Object>? {
        let cache = self.cache
        return subscribers[id]?.takeFirst { cache[$0]?.object }
    }

    private func cancelChangeWait(_ id: UUID) {
        changeWaiters.removeValue(forKey: id)?.resume(returning: nil)
    }

    func unsubscribe(_ id: UUID) {
        subscribers.removeValue(forKey: id)
        changeWaiters.removeValue(forKey: id)?.resume(returning: nil)
    }

    /// Takes the object a write of this process returned into the cache at once, without
    /// notifying subscribers (the watch event that follows does): a reconcile that runs before
    /// the watch caught up then sees its own write, instead of creating the object again or
    /// updating from a stale resourceVersion (409s and wasted writes). client-go's mutation
    /// cache does the same. resourceVersions are compared as numbers, as etcd issues them; an
    /// object whose version is not a number is taken as is.
    public func recordWrite(_ written: Object) {
        let object = written.trimmedForCache
        let key = object.objectKey
        if let version = object.objectResourceVersion.flatMap(UInt64.init) {
            if let cached = cache[key]?.object.objectResourceVersion.flatMap(UInt64.init), cached >= version { return }
            writtenVersions[key] = version
        }
        let old = cache.updateValue(CachedObject(object), forKey: key)?.object
        updateIndexes(key: key, old: old, new: object)
    }

    /// Whether a watch event is older than a write this process already took into the cache.
    private func isBehindOwnWrite(_ object: Object) -> Bool {
        let key = object.objectKey
        guard let written = writtenVersions[key] else { return false }
        guard let version = object.objectResourceVersion.flatMap(UInt64.init), version < written else {
            writtenVersions[key] = nil
            return false
        }
        return true
    }

    // MARK: - Applying watch events

    private func apply(_ event: WatchEvent<Object>) {
        switch event {
        case .synced:
            synced = true
            for waiter in syncWaiters.values { waiter.resume() }
            syncWaiters.removeAll()
            logger.debug("informer synced", metadata: ["resource": "\(gvr)", "objects": "\(cache.count)"])
        case .added(let object), .modified(let object):
            if isBehindOwnWrite(object) { return }
            let key = object.objectKey
            let old = cache.updateValue(CachedObject(object), forKey: key)?.object
            updateIndexes(key: key, old: old, new: object)
            // Until `.synced`, every event is an item of the initial list.
            notify(InformerChange(kind: old == nil ? .added : .updated, key: key, old: old, new: object,
                                  fromInitialList: !synced))
        case .deleted(let object):
            // The event carries the object's final state, newer than or equal to the cache's.
            remove(object.objectKey, finalState: object)
        case .deletedFinalStateUnknown(let key):
            // Deleted while the watch was down: the last state is the one cached here.
            if let last = cache[key]?.object { remove(key, finalState: last) }
        }
    }

    private func remove(_ key: ObjectKey, finalState: Object) {
        writtenVersions[key] = nil
        let removed = cache.removeValue(forKey: key)?.object
        updateIndexes(key: key, old: removed, new: nil)
        notify(InformerChange(kind: .deleted, key: key, old: finalState, new: nil))
    }

    /// Updates every index in place. The names are copied first: mutating `indexes` while
    /// iterating its `keys` view would copy the dictionary, and with it each index's entries, on
    /// every event (quadratic in the number of cached objects).
    private func updateIndexes(key: ObjectKey, old: Object?, new: Object?) {
        guard !indexes.isEmpty else { return }
        let names = Array(indexes.keys)
        for name in names { indexes[name]?.update(key: key, old: old, new: new) }
    }

    /// Records the change for every subscriber and wakes those waiting for one.
    private func notify(_ change: InformerChange<Object>) {
        for id in subscribers.keys {
            subscribers[id]?.record(change)
            if changeWaiters[id] != nil, let next = takeChange(for: id) {
                changeWaiters.removeValue(forKey: id)?.resume(returning: next)
            }
        }
    }
}

extension Informer where Object: KubeObject {
    /// An informer of a typed resource (`Informer<Deployment>(client: client, namespace: "prod")`).
    public init(client: RESTClient, namespace: String? = nil, labelSelector: String? = nil,
                fieldSelector: String? = nil, configuration: WatchConfiguration = WatchConfiguration(),
                clock: any WatchClock = SystemWatchClock(),
                logger: Logger = Logger(label: "model-operator.informer")) {
        self.init(client: client, gvr: Object.gvr, namespace: namespace, labelSelector: labelSelector,
                  fieldSelector: fieldSelector, configuration: configuration, clock: clock,
                  logger: logger)
    }
}
