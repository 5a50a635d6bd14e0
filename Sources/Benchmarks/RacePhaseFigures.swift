import Foundation

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
    /// `kube_client_writes_total` (see ``OperatorMetrics/writesByResource``).
    var writesByResource: [String: Int] = [:]
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
        print("    writes/model by verb (rest_client_requests_total): " + Self.perModel(writes, count: count))
        print("    writes/model by verb and resource (the operator's kube_client_writes_total): "
            + Self.perModel(writesByResource, count: count))
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
