extension PlacementPlanner {
    /// Why no known node can ever run `workload`, whatever frees up: the first static filter
    /// (nodeName, layer, nodeSelector, architecture, taints, GPU product) that leaves no node, in
    /// the words of an unplaceable reason. Nil when some node passes them all; whether that node
    /// is ready, cordoned or full changes by itself and is left to kube-scheduler. Nil as well
    /// when no node is known at all (there is nothing to check against).
    ///
    /// For models kube-scheduler places: their constraints are checked before any Deployment is
    /// written, so a contradiction says so instead of leaving pods Pending.
    public static func conflict(of workload: PlacementWorkload, nodes: [PlacementNode]) -> Unplaceable? {
        guard !nodes.isEmpty,
              !nodes.contains(where: { workload.rejection(of: $0, ignoringAvailability: true) == nil })
        else { return nil }
        var available = nodes
        for i in available.indices {
            available[i].ready = true
            available[i].unschedulable = false
        }
        var one = workload
        one.replicas = 1
        return plan(nodes: available, workloads: [one]).models.first?.unplaceable
    }
}
