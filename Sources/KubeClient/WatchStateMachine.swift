import KubeModel

/// The list-then-watch protocol of DESIGN.md section 6 as a pure state machine: feed it inputs
/// (what happened), get back actions (what to do). It does no I/O and reads no clock, so every
/// path — bookmarks, 410 relists with synthesized deletes, timeouts, backoff — is unit-testable.
/// `WatchDriver` performs the actions over HTTP.
///
/// It keeps each object's key and resourceVersion, to tell what a relist changed, but not the
/// objects: the consumer's store holds each object once (DESIGN.md section 7). A delete missed
/// while the watch was down arrives as `.deletedFinalStateUnknown(key)`, as in client-go, and the
/// store delivers the state it last held.
public struct WatchStateMachine<Object: WatchObject>: Sendable {
    /// What happened.
    public enum Input: Sendable {
        /// Begin: the machine asks for a list.
        case start
        /// One page of the list that is running: its objects are delivered at once, so a long
        /// list is never held whole (the deletes it implies wait for the last page).
        case listPage(items: [Object])
        /// The list's last page arrived (with `items`, possibly none); `resourceVersion` is the list's.
        case listSucceeded(items: [Object], resourceVersion: String)
        /// The list failed (connection, 5xx, 429 with an optional Retry-After, ...).
        case listFailed(retryAfter: Duration?)
        /// The watch request got HTTP 200 at time `now`; events follow.
        case watchOpened(now: Duration)
        /// One decoded line of the watch stream.
        case watchEvent(WatchEnvelope<Object>)
        /// The watch request got HTTP 410 Gone: the resourceVersion is too old.
        case watchGone
        /// The watch failed: connection error, non-200 reply, malformed stream.
        case watchFailed(now: Duration, retryAfter: Duration?)
        /// The stream ended normally (the server's `timeoutSeconds` elapsed).
        case watchEnded(now: Duration)
        /// The delay of an earlier `.sleep` action is over.
        case sleepFinished
        /// Stop for good.
        case stop
    }

    /// What to do, in order.
    public enum Action: Sendable {
        /// List all pages (a consistent, most-recent read).
        case list
        /// Open a watch from `resourceVersion` with `allowWatchBookmarks=true` and this `timeoutSeconds`.
        case watch(resourceVersion: String, timeoutSeconds: Int)
        /// Abandon the open watch stream.
        case closeWatch
        /// Deliver these events to the consumer.
        case emit([WatchEvent<Object>])
        /// Wait, then feed `.sleepFinished`.
        case sleep(Duration)
        /// Nothing more will happen.
        case finish
    }

    /// Where the machine is.
    public enum Phase: Sendable, Hashable {
        case idle
        case listing
        /// A watch was requested; `opened` once the server answered 200.
        case watching(opened: Bool)
        /// Backing off before retrying `retry`.
        case waiting(retry: Retry)
        case stopped
    }

    /// What a backoff wait ends in.
    public enum Retry: Sendable, Hashable {
        case list
        case watch
    }

    public private(set) var phase: Phase = .idle
    /// The version the next watch starts from: the list's, then every event's and bookmark's.
    public private(set) var resourceVersion: String?
    /// The resourceVersion of each object the consumer has been told about ("" when the server
    /// gave none: such an object counts as changed on every relist).
    public private(set) var knownVersions: [ObjectKey: String] = [:]
    /// Whether the initial list has been delivered (`.synced` emitted).
    public private(set) var hasSynced = false
    /// Backoff waits in a row since the last reset (a healthy connection or a successful list).
    public private(set) var failuresSinceReset = 0

    private let configuration: WatchConfiguration
    private var random: SplitMix64
    private var watchOpenedAt: Duration?
    private var eventsSinceOpen = 0
    /// Watch failures in a row, other than 410; enough of them relist.
    private var watchFailuresInARow = 0
    /// The keys and versions the pages of the running list have delivered so far.
    private var listed: [ObjectKey: String] = [:]

    public init(configuration: WatchConfiguration = WatchConfiguration()) {
        self.configuration = configuration
        self.random = SplitMix64(seed: configuration.seed ?? UInt64.random(in: .min ... .max))
    }

    /// Advances the machine by one input.
    public mutating func handle(_ input: Input) -> [Action] {
        if phase == .stopped { return [] }
        switch input {
        case .start:
            guard phase == .idle else { return [] }
            return [beginList()]

        case .listPage(let items):
            guard phase == .listing else { return [] }
            let events = take(page: items)
            return events.isEmpty ? [] : [.emit(events)]

        case .stop:
            let wasWatching = if case .watching = phase { true } else { false }
            phase = .stopped
            return wasWatching ? [.closeWatch, .finish] : [.finish]

        case .listSucceeded(let items, let version):
            guard phase == .listing else { return [] }
            let events = take(page: items) + finishList()
            resourceVersion = version
            var actions: [Action] = []
            var emitted = events
            if !hasSynced {
                hasSynced = true
                emitted.append(.synced)
            }
            if !emitted.isEmpty { actions.append(.emit(emitted)) }
            actions.append(startWatch())
            return actions

        case .listFailed(let retryAfter):
            guard phase == .listing else { return [] }
            return [wait(retry: .list, retryAfter: retryAfter, failedAt: nil)]

        case .watchOpened(let now):
            guard case .watching = phase else { return [] }
            phase = .watching(opened: true)
            watchOpenedAt = now
            eventsSinceOpen = 0
            return []

        case .watchEvent(let envelope):
            guard case .watching = phase else { return [] }
            eventsSinceOpen += 1
            watchFailuresInARow = 0
            return apply(envelope)

        case .watchGone:
            guard case .watching = phase else { return [] }
            return relist()

        case .watchFailed(let now, let retryAfter):
            guard case .watching = phase else { return [] }
            return [wait(retry: .watch, retryAfter: retryAfter, failedAt: now)]

        case .watchEnded(let now):
            guard case .watching(let opened) = phase else { return [] }
            // A stream that ends at once with nothing in it is a failing server, not a timeout:
            // back off rather than reconnect in a tight loop.
            let lasted = watchOpenedAt.map { now - $0 } ?? .zero
            if !opened || (eventsSinceOpen == 0 && lasted < .seconds(1)) {
                return [wait(retry: .watch, retryAfter: nil, failedAt: now)]
            }
            if lasted >= configuration.healthyPeriod { failuresSinceReset = 0 }
            return [startWatch()]

        case .sleepFinished:
            guard case .waiting(let retry) = phase else { return [] }
            switch retry {
            case .list:
                return [beginList()]
            case .watch:
                return [startWatch()]
            }
        }
    }

    // MARK: - Transitions

    private mutating func startWatch() -> Action {
        phase = .watching(opened: false)
        watchOpenedAt = nil
        eventsSinceOpen = 0
        let range = configuration.timeoutSecondsRange
        return .watch(resourceVersion: resourceVersion ?? "", timeoutSeconds: Int.random(in: range, using: &random))
    }

    private mutating func relist() -> [Action] {
        watchFailuresInARow = 0
        return [.closeWatch, beginList()]
    }

    /// Starts a list from its first page.
    private mutating func beginList() -> Action {
        phase = .listing
        listed = [:]
        return .list
    }

    private mutating func wait(retry: Retry, retryAfter: Duration?, failedAt now: Duration?) -> Action {
        var retry = retry
        if let now, let openedAt = watchOpenedAt, now - openedAt >= configuration.healthyPeriod {
            failuresSinceReset = 0
            watchFailuresInARow = 0
        }
        if retry == .watch {
            watchFailuresInARow += 1
            if watchFailuresInARow >= configuration.relistAfterWatchFailures {
                watchFailuresInARow = 0
                retry = .list
            }
        }
        failuresSinceReset += 1
        let policy = configuration.backoff
        let unit = policy.jitter.lowerBound < policy.jitter.upperBound ? Double.random(in: 0..<1, using: &random) : 0
        var delay = policy.delay(afterFailures: failuresSinceReset, unit: unit)
        if let retryAfter, retryAfter > delay { delay = retryAfter }
        phase = .waiting(retry: retry)
        watchOpenedAt = nil
        return .sleep(delay)
    }

    /// Applies one watch event to the known versions and says what to deliver.
    private mutating func apply(_ envelope: WatchEnvelope<Object>) -> [Action] {
        switch envelope {
        case .added(let received), .modified(let received):
            let object = received.trimmedForCache
            let key = object.objectKey
            let existed = knownVersions.updateValue(object.objectResourceVersion ?? "", forKey: key) != nil
            if let version = object.objectResourceVersion { resourceVersion = version }
            return [.emit([existed ? .modified(object) : .added(object)])]
        case .deleted(let object):
            knownVersions[object.objectKey] = nil
            if let version = object.objectResourceVersion { resourceVersion = version }
            return [.emit([.deleted(object)])]
        case .bookmark(let version):
            resourceVersion = version
            return []
        case .undecodable(let object):
            // Skipped (the driver counts it); the watch goes on past it.
            if let version = object.resourceVersion { resourceVersion = version }
            return []
        case .error(let status):
            if status.code == 410 || status.reason == "Expired" || status.reason == "Gone" {
                return relist()
            }
            let retryAfter = status.details?.retryAfterSeconds.map { Duration.seconds($0) }
            return [.closeWatch, wait(retry: .watch, retryAfter: retryAfter, failedAt: nil)]
        }
    }

    /// Takes one page of a list: its added and changed objects, in list order. Objects are
    /// delivered as `trimmedForCache`: no `managedFields`.
    private mutating func take(page items: [Object]) -> [WatchEvent<Object>] {
        var events: [WatchEvent<Object>] = []
        events.reserveCapacity(items.count)
        for received in items {
            let item = received.trimmedForCache
            let key = item.objectKey
            let version = item.objectResourceVersion ?? ""
            listed[key] = version
            if let known = knownVersions[key] {
                if known != version || version.isEmpty { events.append(.modified(item)) }
            } else {
                events.append(.added(item))
            }
        }
        return events
    }

    /// Ends a list: the keys it no longer has (sorted) as `.deletedFinalStateUnknown`; what it
    /// listed becomes what is known.
    private mutating func finishList() -> [WatchEvent<Object>] {
        let gone = knownVersions.keys.filter { listed[$0] == nil }.sorted()
        knownVersions = listed
        listed = [:]
        return gone.map { .deletedFinalStateUnknown($0) }
    }
}
