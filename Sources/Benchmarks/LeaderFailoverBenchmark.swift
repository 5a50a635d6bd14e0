import DemoSupport
import Foundation
import KubeClient
import KubeModel
import LocalCluster
import Logging
import Synchronization

/// Leader failover: two `model-operator run --leader-elect` replicas against LocalCluster with the
/// default lease timings (15 s / 10 s / 2 s), after SIGKILL (the lease must expire) and after
/// SIGTERM (the leader releases it). Right after the signal an image-based model is applied; a
/// takeover is split into: the time until the other replica holds the Lease (polled every 10 ms),
/// the cache sync the new leader did after it became leader (from its log: "became leader" to
/// "caches synced"; 0 when its caches were synced before), and the time until its first write
/// (the new model's Deployment exists). The cluster holds `FAILOVER_BENCH_PODS` bound pods of
/// another tenant (default 5,000), which the operator caches (placement counts every pod of a
/// node), so a cache sync costs what it costs in a busy cluster. `FAILOVER_BENCH_TIMINGS=5,4,1`
/// shortens the timings for a quick check; `FAILOVER_BENCH_ROUNDS` sets how often each is
/// measured (default 3).
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
        let pods = environment["FAILOVER_BENCH_PODS"].flatMap(Int.init) ?? 5_000
        let demo = try await DemoEnvironment.start(workDirectory: work, archiveNames: [], simulation: nil, logger: logger)
        let election = FailoverElection(demo: demo, timings: timings, work: work)
        do {
            try await demo.installCRD(repository: repository)
            try await TenantPods.create(pods, in: demo.cluster)
            print("timings: \(timings); \(rounds) round(s) each; \(pods) pods of another tenant cached")
            var killed: [Takeover] = []
            var terminated: [Takeover] = []
            for round in 0..<rounds {
                killed.append(try await election.failover(after: SIGKILL, model: "failover-kill-\(round)"))
                terminated.append(try await election.failover(after: SIGTERM, model: "failover-term-\(round)"))
            }
            report("after SIGKILL (lease expiry)", killed)
            report("after SIGTERM (lease released)", terminated)
            print(String(format: "ratio SIGKILL / SIGTERM failover time: %.1f",
                         mean(killed.map(\.lease)) / mean(terminated.map(\.lease))))
        } catch {
            await election.stop()
            throw error
        }
        await election.stop()
    }

    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    private static func report(_ what: String, _ takeovers: [Takeover]) {
        func line(_ seconds: [Double]) -> String {
            String(format: "%.3f s mean (rounds: %@ s)", mean(seconds),
                   seconds.map { String(format: "%.3f", $0) }.joined(separator: ", "))
        }
        print("failover \(what): \(line(takeovers.map(\.lease)))")
        print("  cache sync after election: \(line(takeovers.map(\.syncAfterElection)))")
        print("  signal to the new leader's first write: \(line(takeovers.map(\.firstWrite)))")
    }

    private static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }
}

/// One takeover, in seconds.
struct Takeover {
    /// From the signal to the leader until another replica held the Lease.
    var lease: Double
    /// The new leader's cache sync after it became leader (0 when synced before).
    var syncAfterElection: Double
    /// From the signal until the new leader's first write (a Deployment for the model applied then).
    var firstWrite: Double
}

/// Bound pods of another tenant, created in-process: what the operator's pod cache holds in a busy cluster.
enum TenantPods {
    static func create(_ count: Int, in cluster: LocalCluster) async throws {
        guard count > 0 else { return }
        try await cluster.create(.namespaces, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "tenant"]])
        let nodes = try await cluster.list(.nodes).compactMap { $0[path: ["metadata", "name"]]?.stringValue }
        for index in 0..<count {
            let pod: JSONValue = [
                "apiVersion": "v1", "kind": "Pod",
                "metadata": ["name": .string(String(format: "tenant-%05d", index)), "namespace": "tenant",
                             "labels": ["app": "tenant"]],
                "spec": [
                    "nodeName": .string(nodes.isEmpty ? "node-0" : nodes[index % nodes.count]),
                    "containers": [["name": "app", "image": "registry.example/app:1",
                                    "resources": ["requests": ["cpu": "10m", "memory": "16Mi"]]]],
                ],
            ]
            try await cluster.create(.pods, namespace: "tenant", pod)
        }
    }
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

    /// Signals the current leader and applies `model`; returns how the other replica took over.
    func failover(after signal: Int32, model: String) async throws -> Takeover {
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
        let standby = running.filter { $0 !== leader }
        let signalled = ContinuousClock.now
        leader.signal(signal)
        try await demo.cluster.create(.inferenceModels, namespace: namespace, FairnessBenchmark.model(model))
        let takeoverDeadline = signalled + .seconds(timings.duration * 4 + 30)
        var leaseTaken: Double?
        while ContinuousClock.now < takeoverDeadline {
            if leaseTaken == nil, let next = try? await lease()?.spec?.holderIdentity, !next.isEmpty, next != holder {
                leaseTaken = (ContinuousClock.now - signalled).inSeconds
            }
            if let leaseTaken, (try? await demo.cluster.get(.deployments, namespace: namespace, name: model)) != nil {
                let firstWrite = (ContinuousClock.now - signalled).inSeconds
                let status = try await leader.waitForExit(timeout: .seconds(40))
                if signal == SIGTERM, status != 0 {
                    throw BenchmarkFailure("the leader exited \(status.map(String.init) ?? "(still running)") after SIGTERM, not 0")
                }
                guard let successor = standby.first(where: \.becameLeader) else {
                    throw BenchmarkFailure("the new model has a Deployment, but no standby replica says it became leader")
                }
                return Takeover(lease: leaseTaken, syncAfterElection: successor.cacheSyncAfterElection, firstWrite: firstWrite)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw BenchmarkFailure("no replica took over (lease and first write) within \(takeoverDeadline - signalled)")
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
