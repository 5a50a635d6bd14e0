import Foundation
import Placement

/// Batched placement: 10,000 model replicas onto 5,000 heterogeneous nodes that already run
/// 50,000 pods of other workloads, in a roomy cluster and in a tight one (only a few percent
/// more GPUs than the lower bound), single-threaded; the timed call adds the 50,000 pods up per
/// node too. `PLACEMENT_BENCH_REPLICAS`, `PLACEMENT_BENCH_NODES` and `PLACEMENT_BENCH_PODS`
/// shrink the inputs for a quick check.
enum PlacementBenchmark {
    static let benchmark = Benchmark(name: "placement") {
        let environment = ProcessInfo.processInfo.environment
        let replicas = environment["PLACEMENT_BENCH_REPLICAS"].flatMap(Int.init) ?? 10_000
        let nodeCount = environment["PLACEMENT_BENCH_NODES"].flatMap(Int.init) ?? 5_000
        let podCount = environment["PLACEMENT_BENCH_PODS"].flatMap(Int.init) ?? 50_000
        for mix in PlacementBenchmarkCluster.mixes {
            let workloads = PlacementBenchmarkCluster.workloads(replicas: replicas, seed: 42, mix: mix)
            let roomy = PlacementBenchmarkCluster.nodes(count: nodeCount, seed: 7)
            run(scenario: "\(mix.name), roomy cluster", nodes: roomy, workloads: workloads,
                pods: PlacementBenchmarkCluster.foreignPods(count: podCount, nodes: roomy, seed: 11))
            for tightness in [1.03, 1.01] {
                let nodes = PlacementBenchmarkCluster.nodes(count: nodeCount, seed: 7, tightFor: workloads, tightness: tightness)
                run(scenario: "\(mix.name), tight cluster (\(percent(tightness - 1)) more GPUs than the lower bound)", nodes: nodes,
                    workloads: workloads, pods: PlacementBenchmarkCluster.foreignPods(count: podCount, nodes: nodes, seed: 11))
            }
        }
    }

    static func run(scenario: String, nodes: [PlacementNode], workloads: [PlacementWorkload], pods: [PlacementPod]) {
        let gpus = nodes.reduce(0) { $0 + $1.usableGPUCount }
        let requested = workloads.reduce(0) { $0 + $1.replicas }
        let podGPUs = pods.reduce(0) { $0 + $1.gpuDevices }
        print("-- scenario: \(scenario)")
        print("   input: \(nodes.count) nodes, \(gpus) GPUs, \(workloads.count) models, \(requested) replicas, \(pods.count) foreign pods (\(podGPUs) of them hold a GPU unit)")

        let clock = ContinuousClock()
        var times: [Duration] = []
        var plan: PlacementPlan?
        for _ in 0..<5 {
            let start = clock.now
            plan = PlacementPlanner.plan(nodes: nodes, workloads: workloads, pods: pods)
            times.append(clock.now - start)
        }
        guard let plan else { return }
        times.sort()
        let best = seconds(times[0]), median = seconds(times[times.count / 2])
        let figures = plan.figures
        print("   wall time: \(milliseconds(best)) ms best, \(milliseconds(median)) ms median of \(times.count) runs (target < 100 ms: \(best < 0.1 ? "met" : "MISSED"))")
        print("   throughput: \(Int(Double(figures.replicasPlaced) / best)) placements/s")
        print("   GPUs used: \(figures.gpusUsed) GPUs, lower bound \(figures.gpusLowerBound) GPUs, ratio \(ratio(figures.gpuRatio))x (target <= 1.005x: \(figures.gpuRatio <= 1.005 ? "met" : "MISSED"))")
        for gpuClass in figures.perClass {
            print("     \(gpuClass.product): \(gpuClass.gpusUsed) of \(gpuClass.gpusInCluster) GPUs used, lower bound \(gpuClass.gpusLowerBound) GPUs (\(gpuClass.usableMemoryMiB) MiB usable each)")
        }
        print("   replicas placed: \(figures.replicasPlaced) of \(requested) replicas (\(percent(Double(figures.replicasPlaced) / Double(max(1, requested)))))")
        print("   fragmentation: \(figures.fragmentedGPUMemoryMiB) MiB free on partly used GPUs that no request fits (\(figures.freeGPUMemoryOnUsedGPUsMiB) MiB free on used GPUs in all)")

        let start = clock.now
        let baseline = FirstFitBaseline.place(nodes: nodes, workloads: workloads, pods: pods, granularityMiB: figures.granularityMiB)
        let baselineTime = seconds(clock.now - start)
        let baselineRatio = Double(baseline.gpusUsed) / Double(max(1, baseline.lowerBound))
        print("   baseline (first fit in arrival order): \(baseline.replicasPlaced) replicas placed, \(baseline.gpusUsed) GPUs used, lower bound \(baseline.lowerBound) GPUs, ratio \(ratio(baselineRatio))x, \(milliseconds(baselineTime)) ms")
        print("   replicas placed vs baseline: \(figures.replicasPlaced) / \(baseline.replicasPlaced) replicas = \(ratio(Double(figures.replicasPlaced) / Double(max(1, baseline.replicasPlaced))))x")
        print("   GPUs used vs baseline: \(figures.gpusUsed) / \(baseline.gpusUsed) GPUs = \(ratio(Double(figures.gpusUsed) / Double(max(1, baseline.gpusUsed))))x")
        let unplaced = plan.models.filter { $0.unplaceable != nil }
        if !unplaced.isEmpty {
            print("   unplaced: \(unplaced.count) models, for example \(unplaced[0].key): \(unplaced[0].unplaceable?.message ?? "")")
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private static func milliseconds(_ seconds: Double) -> String { String(format: "%.1f", seconds * 1000) }
    private static func ratio(_ value: Double) -> String { String(format: "%.4f", value) }
    private static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
}
