import ModelAPI
import Placement

extension SchedulingState {
    /// The state of one model in a placement plan: placed when every replica has a node (and
    /// GPU), partially placed when some have, else unplaceable with the core's reason.
    /// `gpuProducts` names each node's GPU product.
    public init(_ placement: Placement.ModelPlacement, gpuProducts: [String: String]) {
        let placements = Self.placements(placement, gpuProducts: gpuProducts)
        guard placement.isFullyPlaced else {
            let reason = placement.unplaceable?.message
                ?? "placed \(placement.placedReplicas) of \(placement.requestedReplicas) replicas"
            self = placements.isEmpty ? .unplaceable(reason: reason) : .partiallyPlaced(placements, reason: reason)
            return
        }
        self = .placed(placements)
    }

    private static func placements(_ placement: Placement.ModelPlacement, gpuProducts: [String: String])
        -> [ModelAPI.ModelPlacement]
    {
        placement.assignments.map { assignment in
            ModelAPI.ModelPlacement(node: assignment.node, replicas: assignment.replicas, gpu: assignment.gpuIndex.map {
                GPUAssignment(index: $0, memoryMiB: assignment.gpuMemoryMiB > 0 ? assignment.gpuMemoryMiB : nil,
                              product: gpuProducts[assignment.node])
            })
        }
    }
}

extension Array where Element == PlacementNode {
    /// Each node's GPU product, for the placements recorded in status.
    public var gpuProducts: [String: String] {
        Dictionary(compactMap { node in node.gpuProduct.map { (node.name, $0) } }, uniquingKeysWith: { first, _ in first })
    }
}
