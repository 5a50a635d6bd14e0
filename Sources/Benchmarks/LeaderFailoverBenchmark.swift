import DemoSupport
import Foundation
import KubeClient
import KubeModel
import LocalCluster
import Logging
import Synchronization

/// Leader failover: two `model-operator run --leader-elect` replicas against LocalCluster with the
/// default lease timings (15 s / 10 s / 2 s); the time from a signal to the leader until the
/// other replica holds the Lease (polled every 10 ms) — after SIGKILL (the lease must expire) and
/// after SIGTERM (the leader releases it). `FAILOVER_BENCH_TIMINGS=5,4,1` shortens the timings
/// for a quick check; `FAILOVER_BENCH_ROUNDS` sets how often each is measured (default 3).
enum LeaderFailoverBenchmark {
    static let benchmark = Benchmark(name: "leader-failover") {
        let environment = ProcessInfo.processInfo.environment
        var timings = OperatorReplica.Timings.standard
        if let text = environment["FAILOVER_BENCH_TIMINGS"] {
            let parts = text.split(separator: ",").compactMap { Int($0) }
            guard parts.count == 3 else { throw BenchmarkFailure("FAILOVER_BENCH_TIMINGS must be lease,renew,retry seconds, e.g. 5,4,1") }
            timings = OperatorReplica.Timings(duration: parts[0], renewDeadline: parts[1], retryPeriod: parts[2])
        }
        let rounds = environment["FAILOVER_BENCH_ROUNDS"].flatMap(Int.init) ?? 3
        var logger = Logger(label: "bench-failover")
        logger.logLevel = .error
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("bench-failover-\(UUID().uuidString)")
        let demo = try await DemoEnvironment.start(workDirectory: work, archiveNames: [], logger: logger)
        let election = FailoverElection(demo: demo, timings: timings, work: work)
        do {
            try await demo.installCRD(repository: repository)
            print("timings: \(timings); \(rounds) round(s) each")
            var killed: [Double] = []
            var terminated: [Double] = []
            for _ in 0..<rounds {
                killed.append(try await election.failover(after: SIGKILL))
                terminated.append(try await election.failover(after: SIGTERM))
            }
            report("after SIGKILL (lease expiry)", killed)
            report("after SIGTERM (lease released)", terminated)
            print(String(format: "ratio SIGKILL / SIGTERM failover time: %.1f", mean(killed) / mean(terminated)))
        } catch {
            await election.stop()
            throw error
        }
        await election.stop()
    }

    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    private static func report(_ what: String, _ seconds: [Double]) {
        let list = seconds.map { String(format: "%.2f", $0) }.joined(separator: ", ")
        print(String(format: "failover %@: %.2f s mean (rounds: %@ s)", what, mean(seconds), list))
    }

    private static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }
}

/// Replicas electing on one Lease; `failover(after:)` signals the leader and starts a
/// replacement replica, so there are always two.
final class FailoverElection: Sendable {
    private let demo: DemoEnvironment
    private let timings: OperatorReplica.Timings
    private let work: URL
    private let leaseName = "model-operator-leader"
    private let namespace = "default"
    private let replicas = Mutex<[OperatorReplica]>([])

    init(demo: DemoEnvironment, timings: OperatorReplica.Timings, work: URL) {
        self.demo = demo
        self.timings = timings
        self.work = work
    }

    /// Signals the current leader; returns the seconds until another replica held the Lease.
    func failover(after signal: Int32) async throws -> Double {
        while running.count < 2 { try startReplica() }
        let leader = try await waitForLeader()
        // Measure from steady state: the other replica is up and has polled the lease at least once.
        let deadline = ContinuousClock.now + .seconds(60)
        while !running.filter({ $0 !== leader }).allSatisfy(\.isWaitingForLeadership), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        // A random phase against the replicas' retry ticks, so rounds average over it.
        try await Task.sleep(for: .milliseconds(timings.retryPeriod * 1_000 + Int.random(in: 0..<(timings.retryPeriod * 1_000))))
        let holder = try await lease()?.spec?.holderIdentity ?? ""
        let signalled = ContinuousClock.now
        leader.signal(signal)
        let takeoverDeadline = signalled + .seconds(timings.duration * 4 + 30)
        while ContinuousClock.now < takeoverDeadline {
            if let next = try? await lease()?.spec?.holderIdentity, !next.isEmpty, next != holder {
                let elapsed = (ContinuousClock.now - signalled).inSeconds
                let status = try await leader.waitForExit(timeout: .seconds(40))
                if signal == SIGTERM, status != 0 {
                    throw BenchmarkFailure("the leader exited \(status.map(String.init) ?? "(still running)") after SIGTERM, not 0")
                }
                return elapsed
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw BenchmarkFailure("no replica took the lease over within \(takeoverDeadline - signalled)")
    }

    func stop() async {
        for replica in replicas.withLock({ $0 }) { await replica.terminate() }
        await demo.stop()
        try? FileManager.default.removeItem(at: work)
    }

    private var running: [OperatorReplica] { replicas.withLock { $0 }.filter { $0.exitStatus == nil } }

    private func startReplica() throws {
        let index = replicas.withLock { $0.count }
        let replica = try OperatorReplica(name: "replica-\(index)", kubeconfig: demo.kubeconfig, namespace: namespace,
                                          leaseName: leaseName, timings: timings, logDirectory: work)
        replicas.withLock { $0.append(replica) }
    }

    /// The running replica whose log says it became leader and whose lease is current.
    private func waitForLeader() async throws -> OperatorReplica {
        let deadline = ContinuousClock.now + .seconds(timings.duration * 4 + 30)
        while ContinuousClock.now < deadline {
            let leaders = running.filter(\.becameLeader)
            if leaders.count == 1, let holder = try? await lease()?.spec?.holderIdentity, !holder.isEmpty { return leaders[0] }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchmarkFailure("no single leader among the replicas")
    }

    private func lease() async throws -> Lease? {
        do {
            return try await demo.client.get(Lease.self, namespace: namespace, name: leaseName)
        } catch let error as KubeAPIError where error.isNotFound {
            return nil
        }
    }
}
