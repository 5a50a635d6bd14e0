import Foundation
import KubeModel
import Logging

/// Runs a `WatchStateMachine` over HTTP: performs its lists, watches and sleeps through a
/// `RESTClient`, decodes the chunked stream, and hands events to a consumer. Runs until its task
/// is cancelled.
public struct WatchDriver<Object: WatchObject>: Sendable {
    public let client: RESTClient
    public let gvr: GroupVersionResource
    /// nil watches all namespaces (and is ignored for cluster-scoped resources).
    public let namespace: String?
    public let labelSelector: String?
    public let fieldSelector: String?
    public let configuration: WatchConfiguration
    public let clock: any WatchClock
    public let logger: Logger

    public init(client: RESTClient, gvr: GroupVersionResource, namespace: String? = nil, labelSelector: String? = nil,
                fieldSelector: String? = nil, configuration: WatchConfiguration = WatchConfiguration(),
                clock: any WatchClock = SystemWatchClock(),
                logger: Logger = Logger(label: "model-operator.watch")) {
        self.client = client
        self.gvr = gvr
        self.namespace = gvr.namespaced ? namespace : nil
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
    }

    /// Lists, watches and re-watches until cancelled, delivering each event in order.
    public func run(deliver: @Sendable (WatchEvent<Object>) async -> Void) async {
        var machine = WatchStateMachine<Object>(configuration: configuration)
        var pending = machine.handle(.start)
        while !pending.isEmpty, !Task.isCancelled {
            let action = pending.removeFirst()
            switch action {
            case .list:
                pending += await list(&machine, deliver: deliver)
            case .watch(let version, let timeoutSeconds):
                pending += await watch(&machine, from: version, timeoutSeconds: timeoutSeconds, deliver: deliver)
            case .emit(let events):
                for event in events { await deliver(event) }
            case .sleep(let delay):
                do {
                    try await clock.sleep(for: delay)
                } catch {
                    return
                }
                pending += machine.handle(.sleepFinished)
            case .closeWatch:
                continue
            case .finish:
                return
            }
        }
    }

    /// The request of one watch.
    public func watchRequest(from resourceVersion: String, timeoutSeconds: Int) -> HTTPRequest {
        let options = WatchOptions(labelSelector: labelSelector, fieldSelector: fieldSelector,
                                   resourceVersion: resourceVersion, allowWatchBookmarks: true,
                                   timeoutSeconds: timeoutSeconds)
        let path = ResourcePath.withQuery(ResourcePath.path(gvr, namespace: namespace), options.queryItems)
        // The server ends the stream after timeoutSeconds; the transport timeout only catches a dead connection.
        return HTTPRequest(method: "GET", path: path, headers: ["Accept": "application/json"],
                           timeout: .seconds(timeoutSeconds + 60))
    }

    /// Lists page by page: each page's objects are delivered as the page arrives (a list of
    /// ten thousand objects is never held whole), the deletes it implies and `.synced` after
    /// the last page.
    private func list(_ machine: inout WatchStateMachine<Object>,
                      deliver: @Sendable (WatchEvent<Object>) async -> Void) async -> [WatchStateMachine<Object>.Action] {
        let options = ListOptions(labelSelector: labelSelector, fieldSelector: fieldSelector,
                                  limit: configuration.pageSize)
        var count = 0
        do {
            let list = try await client.forEachPage(Object.self, gvr, namespace: namespace, options: options) { page in
                for object in page.undecodable { skipped(object) }
                count += page.items.count
                for case .emit(let events) in machine.handle(.listPage(items: page.items)) {
                    for event in events { await deliver(event) }
                }
            }
            logger.debug("listed \(gvr)", metadata: ["count": "\(count)",
                                                     "resourceVersion": "\(list.metadata.resourceVersion ?? "")"])
            return machine.handle(.listSucceeded(items: [], resourceVersion: list.metadata.resourceVersion ?? ""))
        } catch {
            if Task.isCancelled { return [] }
            logger.warning("list of \(gvr) failed: \(error)")
            return machine.handle(.listFailed(retryAfter: (error as? KubeAPIError)?.retryAfter))
        }
    }

    private func watch(_ machine: inout WatchStateMachine<Object>, from version: String, timeoutSeconds: Int,
                       deliver: @Sendable (WatchEvent<Object>) async -> Void) async
        -> [WatchStateMachine<Object>.Action]
    {
        let request = watchRequest(from: version, timeoutSeconds: timeoutSeconds)
        let response: HTTPStreamingResponse
        do {
            response = try await client.transport.stream(request)
        } catch {
            if Task.isCancelled { return [] }
            logger.warning("watch of \(gvr) could not connect: \(error)")
            return machine.handle(.watchFailed(now: await clock.now(), retryAfter: nil))
        }
        guard response.status == 200 else {
            let body = await collect(response.body, limit: 64 << 10)
            let error = KubeAPIError(code: response.status, headers: response.headers, body: body,
                                     method: request.method, path: request.path)
            if error.isGone {
                logger.info("watch of \(gvr) from resourceVersion \(version) is too old (410); relisting")
                return machine.handle(.watchGone)
            }
            logger.warning("watch of \(gvr) failed: \(error)")
            return machine.handle(.watchFailed(now: await clock.now(), retryAfter: error.retryAfter))
        }
        _ = machine.handle(.watchOpened(now: await clock.now()))
        var decoder = WatchStreamDecoder<Object>()
        do {
            for try await chunk in response.body {
                for envelope in try decoder.decode(chunk) {
                    if let next = await handle(envelope, &machine, deliver: deliver) { return next }
                }
            }
            for envelope in try decoder.finish() {
                if let next = await handle(envelope, &machine, deliver: deliver) { return next }
            }
        } catch {
            if Task.isCancelled { return [] }
            logger.warning("watch of \(gvr) broke: \(error)")
            return machine.handle(.watchFailed(now: await clock.now(), retryAfter: nil))
        }
        return machine.handle(.watchEnded(now: await clock.now()))
    }

    /// Feeds one event; delivers what it emits. Returns the next actions when the stream must be left.
    private func handle(_ envelope: WatchEnvelope<Object>, _ machine: inout WatchStateMachine<Object>,
                        deliver: @Sendable (WatchEvent<Object>) async -> Void) async
        -> [WatchStateMachine<Object>.Action]?
    {
        if case .error(let status) = envelope {
            logger.info("watch of \(gvr) got an ERROR event: \(status.code ?? 0) \(status.reason ?? "") \(status.message ?? "")")
        }
        if case .undecodable(let object) = envelope { skipped(object) }
        var leaving = false
        var rest: [WatchStateMachine<Object>.Action] = []
        for action in machine.handle(.watchEvent(envelope)) {
            switch action {
            case .emit(let events) where !leaving:
                for event in events { await deliver(event) }
            case .closeWatch:
                leaving = true
            default:
                rest.append(action)
            }
        }
        return leaving ? rest : nil
    }

    /// Logs and counts an object that did not decode; the list or watch goes on without it.
    private func skipped(_ object: UndecodableObject) {
        logger.error("skipping \(gvr.resource) \(object) (it is not reconciled until it is fixed)")
        UndecodableObjectMetrics.counter(resource: gvr.resource).increment()
    }

    private func collect(_ body: AsyncThrowingStream<Data, Error>, limit: Int) async -> Data {
        var data = Data()
        do {
            for try await chunk in body {
                data.append(chunk)
                if data.count >= limit { break }
            }
        } catch {}
        return data
    }
}

extension RESTClient {
    /// Watches a resource: lists (paged), then watches with bookmarks, re-watching on timeouts, relisting on
    /// 410 (delivering the deletes missed meanwhile) and reconnecting with backoff on errors. The first
    /// `.synced` marks the end of the initial list. Stops when the consumer stops iterating.
    public func watch(_ gvr: GroupVersionResource, namespace: String? = nil, labelSelector: String? = nil,
                      fieldSelector: String? = nil, configuration: WatchConfiguration = WatchConfiguration(),
                      clock: any WatchClock = SystemWatchClock(),
                      logger: Logger = Logger(label: "model-operator.watch")) -> AsyncStream<WatchEvent<JSONValue>> {
        WatchDriver<JSONValue>(client: self, gvr: gvr, namespace: namespace, labelSelector: labelSelector,
                               fieldSelector: fieldSelector, configuration: configuration, clock: clock,
                               logger: logger).events()
    }

    /// Watches a typed resource; see `watch(_:namespace:labelSelector:fieldSelector:configuration:clock:logger:)`.
    public func watch<T: KubeObject>(_ type: T.Type, namespace: String? = nil, labelSelector: String? = nil,
                                     fieldSelector: String? = nil,
                                     configuration: WatchConfiguration = WatchConfiguration(),
                                     clock: any WatchClock = SystemWatchClock(),
                                     logger: Logger = Logger(label: "model-operator.watch")) -> AsyncStream<WatchEvent<T>> {
        WatchDriver<T>(client: self, gvr: T.gvr, namespace: namespace, labelSelector: labelSelector,
                       fieldSelector: fieldSelector, configuration: configuration, clock: clock,
                       logger: logger).events()
    }
}

extension WatchDriver {
    /// Runs the driver in a task feeding an `AsyncStream`; ending the iteration cancels the task.
    public func events() -> AsyncStream<WatchEvent<Object>> {
        let (stream, continuation) = AsyncStream<WatchEvent<Object>>.makeStream()
        let task = Task {
            await run { continuation.yield($0) }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
