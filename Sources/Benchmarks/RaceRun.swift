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
    let observer: any RaceObserving
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
            try await waitUntilConverged(phase, process: process, healthPort: healthPort)
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
            figures.writesByResource = metrics.writesByResource
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

    private func waitUntilConverged(_ phase: Phase, process: OperatorProcess, healthPort: Int) async throws {
        let deadline = ContinuousClock.now + Self.convergeTimeout
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw BenchmarkFailure("the operator exited during the \(phase.rawValue)")
            }
            switch phase {
            case .firstStart:
                if await observer.progress().converged(models: count) { return }
                try await Task.sleep(for: observer.pollInterval)
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
