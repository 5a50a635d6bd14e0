import Placement

/// The `place` command's text output: one block of rows per model, then the figures.
enum PlanTable {
    static func render(_ plan: PlacementPlan) -> String {
        var rows: [[String]] = [["MODEL", "REPLICAS", "NODE", "COUNT", "GPU", "GPU MEMORY"]]
        var reasons: [String] = []
        for model in plan.models {
            let replicas = "\(model.placedReplicas)/\(model.requestedReplicas)"
            if model.assignments.isEmpty {
                rows.append([model.key.description, replicas, "-", "-", "-", "-"])
            }
            for (i, assignment) in model.assignments.enumerated() {
                let gpu = assignment.gpuIndex.map { "\($0)\(assignment.gpuExclusive ? " (whole)" : "")" } ?? "-"
                let memory = assignment.gpuIndex == nil ? "-" : ResourceFormatting.mebibytes(assignment.gpuMemoryMiB)
                rows.append([i == 0 ? model.key.description : "", i == 0 ? replicas : "", assignment.node,
                             "\(assignment.replicas)", gpu, memory])
            }
            if let reason = model.unplaceable {
                reasons.append("\(model.key) (\(reason.kind.rawValue)): \(reason.message)")
            }
        }
        var out = table(rows)
        if !reasons.isEmpty {
            out += "\nUnplaced:\n" + reasons.map { "  " + $0 + "\n" }.joined()
        }
        out += "\n" + figures(plan.figures)
        return out
    }

    static func figures(_ figures: PlacementFigures) -> String {
        let granularity = ResourceFormatting.mebibytes(figures.granularityMiB)
        var lines = [
            "replicas placed: \(figures.replicasPlaced) of \(figures.replicasRequested) (\(figures.replicasKept) kept from the previous plan)",
            "GPUs used: \(figures.gpusUsed), lower bound \(figures.gpusLowerBound), ratio \(format(figures.gpuRatio))x (memory counted in \(granularity) units)",
            "fragmentation: \(ResourceFormatting.mebibytes(figures.fragmentedGPUMemoryMiB)) free on partly used GPUs that no request fits (\(ResourceFormatting.mebibytes(figures.freeGPUMemoryOnUsedGPUsMiB)) free on used GPUs in all)",
        ]
        for gpuClass in figures.perClass {
            lines.append("  \(gpuClass.product) (\(gpuClass.memoryMiB) MiB, \(ResourceFormatting.mebibytes(gpuClass.usableMemoryMiB)) usable): \(gpuClass.gpusUsed) of \(gpuClass.gpusInCluster) GPUs used, lower bound \(gpuClass.gpusLowerBound)")
        }
        return lines.map { $0 + "\n" }.joined()
    }

    private static func format(_ value: Double) -> String {
        let thousandths = Int((value * 1000).rounded())
        let fraction = String(thousandths % 1000)
        return "\(thousandths / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    private static func table(_ rows: [[String]]) -> String {
        var widths = Array(repeating: 0, count: rows.first?.count ?? 0)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count + 2)
            }.joined() + "\n"
        }.joined()
    }
}
