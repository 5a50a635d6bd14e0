import ModelAPI
import Placement

/// Placement without a cluster, as `model-operator render --nodes` does it: the models that need
/// a GPU, among serving plans ModelAPI validated, placed together in one batch on the given
/// nodes, as the scheduling states the renderer takes.
public enum OfflinePlacement {
    /// Each GPU model's state, keyed by `namespace/name` (`ObjectMeta.key`); models without a GPU
    /// are left out (kube-scheduler places them).
    public static func schedulingStates(of workloads: [ServingWorkload], on nodes: [PlacementNode],
                                        gpuAllocation: GPUAllocation = .devicePlugin) -> [String: SchedulingState] {
        let gpuWorkloads = workloads.filter(\.needsGPU).map { PlacementWorkload($0, gpuAllocation: gpuAllocation) }
        let plan = PlacementPlanner.plan(nodes: nodes, workloads: gpuWorkloads)
        let products = nodes.gpuProducts
        var result: [String: SchedulingState] = [:]
        for workload in gpuWorkloads {
            if let placement = plan.placement(for: workload.key) {
                result[workload.key.description] = SchedulingState(placement, gpuProducts: products)
            }
        }
        return result
    }
}
