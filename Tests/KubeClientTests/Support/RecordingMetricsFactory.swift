import CoreMetrics
import Synchronization

/// A `MetricsFactory` that keeps what was recorded, keyed by label and sorted dimensions, so a test
/// can check metric names, labels and values without bootstrapping the process-wide system.
final class RecordingMetricsFactory: MetricsFactory {
    /// `name{key="value",...}` with the dimensions sorted by key.
    static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        let labels = dimensions.sorted { $0.0 < $1.0 }.map { "\($0.0)=\"\($0.1)\"" }.joined(separator: ",")
        return "\(label){\(labels)}"
    }

    private let counters = Mutex<[String: Int64]>([:])
    private let timers = Mutex<[String: [Int64]]>([:])

    /// The counter's value (0 when never incremented).
    func counter(_ label: String, _ dimensions: [(String, String)] = []) -> Int64 {
        counters.withLock { $0[Self.key(label, dimensions)] ?? 0 }
    }

    /// Every counter key recorded under `label`.
    func counterKeys(_ label: String) -> Set<String> {
        counters.withLock { Set($0.keys.filter { $0.hasPrefix(label + "{") }) }
    }

    /// The durations a timer recorded, in order.
    func timerValues(_ label: String, _ dimensions: [(String, String)] = []) -> [Duration] {
        timers.withLock { ($0[Self.key(label, dimensions)] ?? []).map { .nanoseconds($0) } }
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> CounterHandler {
        RecordingCounter(key: Self.key(label, dimensions), store: self)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> TimerHandler {
        RecordingTimer(key: Self.key(label, dimensions), store: self)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> RecorderHandler {
        NOOPMetricsHandler.instance
    }

    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> FloatingPointCounterHandler {
        NOOPMetricsHandler.instance
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> MeterHandler {
        NOOPMetricsHandler.instance
    }

    func destroyCounter(_ handler: CounterHandler) {}
    func destroyRecorder(_ handler: RecorderHandler) {}
    func destroyTimer(_ handler: TimerHandler) {}
    func destroyFloatingPointCounter(_ handler: FloatingPointCounterHandler) {}
    func destroyMeter(_ handler: MeterHandler) {}

    fileprivate func add(_ amount: Int64, to key: String) {
        counters.withLock { $0[key, default: 0] += amount }
    }

    fileprivate func reset(_ key: String) {
        counters.withLock { $0[key] = 0 }
    }

    fileprivate func append(_ nanoseconds: Int64, to key: String) {
        timers.withLock { $0[key, default: []].append(nanoseconds) }
    }
}

private final class RecordingCounter: CounterHandler {
    let key: String
    let store: RecordingMetricsFactory

    init(key: String, store: RecordingMetricsFactory) {
        self.key = key
        self.store = store
    }

    func increment(by amount: Int64) { store.add(amount, to: key) }
    func reset() { store.reset(key) }
}

private final class RecordingTimer: TimerHandler {
    let key: String
    let store: RecordingMetricsFactory

    init(key: String, store: RecordingMetricsFactory) {
        self.key = key
        self.store = store
    }

    func recordNanoseconds(_ duration: Int64) { store.append(duration, to: key) }
}
