import DequeModule
import HeapModule
import KubeModel

/// A work queue with the guarantees controllers rely on (client-go's workqueue semantics):
///
/// - an item added many times before it is taken is processed once;
/// - the same item is never handed to two workers at once;
/// - an item added while it is being processed is processed again after `done`;
/// - failures back off per item (`addRateLimited`), and `forget` clears the backoff;
/// - items from real changes (`.change`) are handed out before `.background` items
///   (initial list, resync), and a background item re-added as a change is promoted;
/// - delayed adds wait in one heap behind one timer task that the queue owns (no task per
///   delayed item); `shutDown` drops them and cancels the timer.
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
    /// Delayed adds, earliest first, and the one task sleeping until the earliest is due.
    private var delayed = Heap<DelayedAdd<Item>>()
    private var delayedSequence = 0
    private var timer: Task<Void, Never>?
    private var timerDeadline: ContinuousClock.Instant?
    private var timerGeneration = 0

    /// controller-runtime's per-item backoff: 5 ms doubling to 1000 s.
    public static var defaultBackoff: Backoff { Backoff(initial: .milliseconds(5), cap: .seconds(1000)) }

    public let backoff: Backoff
    private let metrics: WorkQueueMetrics?
    private let clock = ContinuousClock()

    public init(backoff: Backoff = WorkQueue.defaultBackoff, metrics: WorkQueueMetrics? = nil) {
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

    deinit {
        timer?.cancel()
    }

    /// Queues an item after a delay (in the queue's heap; the queue's one timer adds it when due).
    public func add(_ item: Item, after delay: Duration, priority: WorkQueuePriority = .background) {
        guard !shuttingDown else { return }
        guard delay > .zero else { return add(item, priority: priority) }
        delayedSequence += 1
        delayed.insert(DelayedAdd(due: clock.now + delay, sequence: delayedSequence, item: item, priority: priority))
        armTimer()
    }

    /// Delayed adds not yet due.
    public var delayedCount: Int { delayed.count }

    /// Whether the timer task for delayed adds exists (it is cancelled once nothing waits).
    public var hasTimer: Bool { timer != nil }

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
        delayed = Heap()
        timer?.cancel()
        timer = nil
        timerDeadline = nil
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

    /// Keeps one timer sleeping until the earliest delayed add is due.
    private func armTimer() {
        guard let earliest = delayed.min else {
            timer?.cancel()
            timer = nil
            timerDeadline = nil
            return
        }
        if timer != nil, let timerDeadline, timerDeadline <= earliest.due { return }
        timer?.cancel()
        timerGeneration += 1
        let generation = timerGeneration
        timerDeadline = earliest.due
        let due = earliest.due
        timer = Task { [weak self] in
            do { try await Task.sleep(until: due, clock: .continuous) } catch { return }
            await self?.timerFired(generation: generation)
        }
    }

    /// Adds every delayed item that is due, then sleeps until the next.
    private func timerFired(generation: Int) {
        guard generation == timerGeneration, !shuttingDown else { return }
        timer = nil
        timerDeadline = nil
        let now = clock.now
        while let earliest = delayed.min, earliest.due <= now {
            let due = delayed.removeMin()
            add(due.item, priority: due.priority)
        }
        armTimer()
    }

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

/// An add waiting in the queue's heap: earliest first, then in the order they were made.
struct DelayedAdd<Item: Sendable>: Comparable, Sendable {
    var due: ContinuousClock.Instant
    var sequence: Int
    var item: Item
    var priority: WorkQueuePriority

    static func < (lhs: Self, rhs: Self) -> Bool { (lhs.due, lhs.sequence) < (rhs.due, rhs.sequence) }
    static func == (lhs: Self, rhs: Self) -> Bool { lhs.due == rhs.due && lhs.sequence == rhs.sequence }
}
