import DemoSupport
import Foundation

/// One start of the operator process over the race's models, measured: until converged (first
/// start: every model has its Deployment, Service and `status.url`; restart: `/readyz` answers
/// and every model was reconciled), then until settled (no write for ``quietPeriod``, and on
/// LocalCluster every model Ready).
struct RaceRun: Sendable {
    enum Phase: String, Sendable {
        case firstStart = "first start"
        case restart = "restart, same models"
    }

    static let qps = 100_000
    static let burst = 200_000
    static let quietPeriod: Duration = .seconds(3)
    static let convergeTimeout: Duration = .seconds(3600)
    static let settleTimeout: Duration = .seconds(600)

    let binary: String
    let target: RaceTarget
    let observer: RaceObserver
    let count: Int
    let work: URL

    func measure(_ phase: Phase, profile: String?) async throws -> RacePhaseFigures {
        let metricsPort = try OperatorScaleBenchmark.freePort()
        let healthPort = try OperatorScaleBenchmark.freePort()
        let countersBefore = await target.writeCounters()
        let log = work.appendingPathComponent("operator-\(phase == .firstStart ? "first" : "restart").log")
        let started = ContinuousClock.now
        let ownCPU = ProcessCPU.seconds(pid: "self")
        let process = try OperatorProcess(
            binary: binary, kubeconfig: target.kubeconfig.path, metricsPort: metricsPort,
            options: .init(namespace: target.namespace, qps: Self.qps, burst: Self.burst, healthPort: healthPort, logFile: log,
                           profile: profile))
        do {
            var figures = RacePhaseFigures(phase: phase)
            figures.profile = profile
            try await waitUntilConverged(phase, process: process, healthPort: healthPort, log: log)
            figures.convergedSeconds = (ContinuousClock.now - started).inSeconds
            figures.convergedCPU = process.cpuSeconds
            figures.benchmarkCPU = ProcessCPU.seconds(pid: "self") - ownCPU
            let atConvergence = try await OperatorMetrics.scrape(port: metricsPort)
            figures.convergedWrites = atConvergence.totalWrites
            let settled = try await waitUntilSettled(process: process, metricsPort: metricsPort,
                                                     lastWrites: atConvergence.totalWrites, started: started)
            figures.settledSeconds = settled.map { ($0 - started).inSeconds }
            let metrics = try await OperatorMetrics.scrape(port: metricsPort)
            figures.cpuSeconds = process.cpuSeconds
            figures.peakMemory = process.peakMemory
            figures.writes = metrics.writeRequests
            figures.reconciles = metrics.reconciles
            if let before = countersBefore, let after = await target.writeCounters() {
                figures.resourceWrites = after.reduce(into: [:]) { delta, entry in
                    let change = entry.value - (before[entry.key] ?? 0)
                    if change != 0 { delta[entry.key] = change }
                }
            }
            await process.stop()
            return figures
        } catch {
            await process.stop()
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw BenchmarkFailure("\(error); the operator's log ends: \(text.suffix(2000))")
        }
    }

    private func waitUntilConverged(_ phase: Phase, process: OperatorProcess, healthPort: Int, log: URL) async throws {
        let deadline = ContinuousClock.now + Self.convergeTimeout
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw BenchmarkFailure("the operator exited during the \(phase.rawValue)")
            }
            switch phase {
            case .firstStart:
                if await observer.progress().converged(models: count) { return }
                try await Task.sleep(for: .milliseconds(20))
            case .restart:
                let ready = try await ChildProcess.run(["curl", "-sf", "-o", "/dev/null", "http://127.0.0.1:\(healthPort)/readyz"])
                if ready.status == 0, let metrics = try? await OperatorMetrics.scrape(port: process.metricsPort),
                   metrics.reconciles >= count { return }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        throw BenchmarkFailure("not converged within \(Self.convergeTimeout): \(await observer.progress())")
    }

    /// When the operator last wrote, once it has been quiet for ``quietPeriod`` (and, on
    /// LocalCluster, every model is Ready); nil if that never happened within ``settleTimeout``.
    private func waitUntilSettled(process: OperatorProcess, metricsPort: Int, lastWrites: Int,
                                  started: ContinuousClock.Instant) async throws -> ContinuousClock.Instant? {
        let deadline = ContinuousClock.now + Self.settleTimeout
        var writes = lastWrites
        var lastChange = ContinuousClock.now
        var allReadyAt: ContinuousClock.Instant? = target.podsBecomeReady ? nil : started
        while ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(250))
            let now = ContinuousClock.now
            let current = try await OperatorMetrics.scrape(port: metricsPort).totalWrites
            if current != writes {
                writes = current
                lastChange = now
            }
            if allReadyAt == nil, await observer.progress().modelsReady >= count { allReadyAt = now }
            if let allReadyAt, now - lastChange >= Self.quietPeriod { return max(lastChange, allReadyAt) }
        }
        return nil
    }
}

/// What one ``RaceRun`` measured, and how it is printed.
struct RacePhaseFigures: Sendable {
    var phase: RaceRun.Phase
    var convergedSeconds = 0.0
    var convergedCPU = 0.0
    var convergedWrites = 0
    /// This process's CPU time until converged: the observer's informers, and on LocalCluster
    /// the API server and its simulator.
    var benchmarkCPU = 0.0
    var settledSeconds: Double?
    var cpuSeconds = 0.0
    var peakMemory: Int64 = 0
    /// `rest_client_requests_total` of the write methods (see ``OperatorMetrics/writeRequests``).
    var writes: [String: Int] = [:]
    var reconciles = 0
    /// LocalCluster's write counters over the phase, by verb and resource; nil elsewhere.
    var resourceWrites: [String: Int]?
    var profile: String?

    func report(count: Int) {
        let n = Double(count)
        let total = writes.values.reduce(0, +)
        let converged = phase == .firstStart
            ? "converged (every model has its Deployment, Service and status.url)"
            : "resynced (/readyz and a reconcile per model)"
        print(String(format: "  %@: %@ in %.2f s; operator CPU %.2f s (%.2f ms/model), %d writes (%.2f/model) by then",
                           phase.rawValue, converged, convergedSeconds, convergedCPU, convergedCPU * 1000 / n,
                           convergedWrites, Double(convergedWrites) / n))
        print(String(format: "    meanwhile the benchmark's own process (observer%@) used %.2f s of CPU",
                     resourceWrites == nil ? "" : ", LocalCluster and its simulator", benchmarkCPU))
        let settled = settledSeconds.map { String(format: "settled (last write; all Ready on LocalCluster) at %.2f s", $0) }
            ?? "NOT settled within \(RaceRun.settleTimeout)"
        print(String(format: "    %@; operator CPU %.2f s (%.2f ms/model), peak RSS %.1f MiB (%.1f KiB/model), "
                           + "writes %d (%.2f/model), reconciles %d (%.2f/model)",
                           settled, cpuSeconds, cpuSeconds * 1000 / n, Double(peakMemory) / 1_048_576,
                           Double(peakMemory) / 1024 / n, total, Double(total) / n, reconciles, Double(reconciles) / n))
        print("    writes/model by verb (rest_client_requests_total; it has no resource label): "
            + Self.perModel(writes, count: count))
        if let resourceWrites {
            print("    writes/model by verb and resource (LocalCluster's write counters): "
                + Self.perModel(resourceWrites, count: count))
        }
        if let profile { print("    perf profile of the operator over this start: \(profile) (perf report -i \(profile))") }
    }

    private static func perModel(_ counts: [String: Int], count: Int) -> String {
        guard !counts.isEmpty else { return "none" }
        return counts.sorted { $0.value == $1.value ? $0.key < $1.key : $0.value > $1.value }
            .map { String(format: "%@ %.2f", $0.key, Double($0.value) / Double(count)) }.joined(separator: ", ")
    }
}
