import DequeModule

/// A work queue with the guarantees controllers rely on (client-go's workqueue semantics):
///
/// - an item added many times before it is taken is processed once;
/// - the same item is never handed to two workers at once;
/// - an item added while it is being processed is processed again after `done`;
/// - failures back off per item (`addRateLimited`), and `forget` clears the backoff;
/// - items from real changes (`.change`) are handed out before `.background` items
///   (initial list, resync), and a background item re-added as a change is promoted.
public actor WorkQueue<Item: Hashable & Sendable> {
    private var lanes: [WorkQueuePriority: Deque<Item>] = [.change: [], .background: []]
    /// Items waiting to be processed (queued, or re-added while processing), with their lane.
    private var dirty: [Item: WorkQueuePriority] = [:]
    private var processing: Set<Item> = []
    private var enqueuedAt: [Item: ContinuousClock.Instant] = [:]
    private var startedAt: [Item: ContinuousClock.Instant] = [:]
    private var failures: [Item: Int] = [:]
    private var waiters: Deque<CheckedContinuation<Item?, Never>> = []
    private var shuttingDown = false
    private var drainWaiters: [CheckedContinuation<Void, Never>] = []

    public let backoff: ItemBackoff
    private let metrics: WorkQueueMetrics?
    private let clock = ContinuousClock()

    public init(backoff: ItemBackoff = ItemBackoff(), metrics: WorkQueueMetrics? = nil) {
        self.backoff = backoff
        self.metrics = metrics
    }

    /// Queues an item. Does nothing after shutdown.
    public func add(_ item: Item, priority: WorkQueuePriority = .change) {
        guard !shuttingDown else { return }
        metrics?.adds.increment()
        if let lane = dirty[item] {
            if priority > lane, !processing.contains(item) {
                // Promote: move it from the background lane to the change lane.
                lanes[lane]?.removeAll { $0 == item }
                lanes[priority, default: []].append(item)
                dirty[item] = priority
            }
            return
        }
        dirty[item] = priority
        enqueuedAt[item] = clock.now
        if processing.contains(item) { return }
        enqueue(item, priority)
    }

    /// Queues an item after a delay.
    public nonisolated func add(_ item: Item, after delay: Duration, priority: WorkQueuePriority = .background) {
        Task {
            try? await Task.sleep(for: delay)
            await self.add(item, priority: priority)
        }
    }

    /// Queues an item after its per-item backoff, and counts the failure.
    public func addRateLimited(_ item: Item) {
        guard !shuttingDown else { return }
        let count = (failures[item] ?? 0) + 1
        failures[item] = count
        metrics?.retries.increment()
        add(item, after: backoff.delay(afterFailures: count))
    }

    /// Clears an item's backoff (call after it succeeded).
    public func forget(_ item: Item) {
        failures[item] = nil
    }

    /// How many consecutive failures the item has had.
    public func failureCount(_ item: Item) -> Int { failures[item] ?? 0 }

    /// Items waiting (not counting those being processed).
    public var depth: Int { lanes.values.reduce(0) { $0 + $1.count } }

    /// Takes the next item, waiting for one; nil once the queue is shut down and empty.
    public func next() async -> Item? {
        if let item = dequeue() { return item }
        if shuttingDown { return nil }
        return await withCheckedContinuation { waiters.append($0) }
    }

    /// Marks an item processed; if it was re-added meanwhile it is queued again.
    public func done(_ item: Item) {
        processing.remove(item)
        if let started = startedAt.removeValue(forKey: item) {
            metrics?.workDuration.recordNanoseconds((clock.now - started).wholeNanoseconds)
        }
        if let lane = dirty[item] {
            enqueue(item, lane)
        }
        if processing.isEmpty {
            for waiter in drainWaiters { waiter.resume() }
            drainWaiters.removeAll()
        }
    }

    /// Stops handing out new items: waiting `next()` calls return nil, adds are ignored.
    public func shutDown() {
        shuttingDown = true
        for waiter in waiters { waiter.resume(returning: nil) }
        waiters.removeAll()
        lanes = [.change: [], .background: []]
        dirty.removeAll()
        metrics?.depth.record(0)
    }

    /// Whether `shutDown` was called.
    public var isShuttingDown: Bool { shuttingDown }

    /// Waits until no item is being processed (for graceful shutdown).
    public func waitUntilIdle() async {
        if processing.isEmpty { return }
        await withCheckedContinuation { drainWaiters.append($0) }
    }

    /// Number of items being processed right now.
    public var inFlight: Int { processing.count }

    private func enqueue(_ item: Item, _ priority: WorkQueuePriority) {
        if let waiter = waiters.popFirst() {
            hand(item, to: waiter)
            return
        }
        lanes[priority, default: []].append(item)
        metrics?.depth.record(depth)
    }

    private func dequeue() -> Item? {
        for priority in [WorkQueuePriority.change, .background] {
            if let item = lanes[priority]?.popFirst() {
                start(item)
                metrics?.depth.record(depth)
                return item
            }
        }
        return nil
    }

    private func hand(_ item: Item, to waiter: CheckedContinuation<Item?, Never>) {
        start(item)
        waiter.resume(returning: item)
    }

    private func start(_ item: Item) {
        dirty[item] = nil
        processing.insert(item)
        let now = clock.now
        if let queued = enqueuedAt.removeValue(forKey: item) {
            metrics?.queueDuration.recordNanoseconds((now - queued).wholeNanoseconds)
        }
        startedAt[item] = now
    }
}
