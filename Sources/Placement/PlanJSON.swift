import KubeModel

extension PlacementAssignment {
    /// `{"node", "replicas", "gpu", "gpuMemoryMiB", "gpuExclusive"}`: the shape of an assignment
    /// in the `place -o json` output (`gpu` only with a GPU). A model's `status.placements` has
    /// ModelAPI's shape instead (`PlacementAssignment(status:exclusive:)` reads it).
    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = ["node": .string(node), "replicas": .int(Int64(replicas))]
        if let gpuIndex {
            object["gpu"] = .int(Int64(gpuIndex))
            object["gpuMemoryMiB"] = .int(gpuMemoryMiB)
            object["gpuExclusive"] = .bool(gpuExclusive)
        }
        return .object(object)
    }

    /// Reads an entry written by `jsonValue`.
    public init(json: JSONValue) throws {
        guard let node = json["node"]?.stringValue, !node.isEmpty,
              let replicas = json["replicas"]?.intValue, replicas >= 0
        else {
            throw PlacementInputError(object: "placement", message: "needs node and replicas, got \(json.jsonString)")
        }
        self.init(
            node: node, replicas: Int(replicas), gpuIndex: json["gpu"]?.intValue.map { Int($0) },
            gpuMemoryMiB: json["gpuMemoryMiB"]?.intValue ?? 0, gpuExclusive: json["gpuExclusive"]?.boolValue ?? false)
    }
}

extension Unplaceable {
    public var jsonValue: JSONValue {
        ["reason": .string(kind.rawValue), "message": .string(message), "unplacedReplicas": .int(Int64(unplacedReplicas))]
    }
}

extension ModelPlacement {
    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "namespace": .string(key.namespace), "name": .string(key.name),
            "requestedReplicas": .int(Int64(requestedReplicas)), "placedReplicas": .int(Int64(placedReplicas)),
            "keptReplicas": .int(Int64(keptReplicas)),
            "placements": .array(assignments.map(\.jsonValue)),
        ]
        if let unplaceable { object["unplaceable"] = unplaceable.jsonValue }
        return .object(object)
    }
}

extension PlacementFigures {
    public var jsonValue: JSONValue {
        [
            "replicasRequested": .int(Int64(replicasRequested)),
            "replicasPlaced": .int(Int64(replicasPlaced)),
            "replicasKept": .int(Int64(replicasKept)),
            "granularityMiB": .int(granularityMiB),
            "gpusUsed": .int(Int64(gpusUsed)),
            "gpusLowerBound": .int(Int64(gpusLowerBound)),
            "gpusUsedToLowerBound": .double(gpuRatio),
            "fragmentedGPUMemoryMiB": .int(fragmentedGPUMemoryMiB),
            "freeGPUMemoryOnUsedGPUsMiB": .int(freeGPUMemoryOnUsedGPUsMiB),
            "gpuClasses": .array(perClass.map { figures in
                [
                    "product": .string(figures.product),
                    "memoryMiB": .int(figures.memoryMiB),
                    "usableMemoryMiB": .int(figures.usableMemoryMiB),
                    "gpusInCluster": .int(Int64(figures.gpusInCluster)),
                    "gpusUsed": .int(Int64(figures.gpusUsed)),
                    "gpusLowerBound": .int(Int64(figures.gpusLowerBound)),
                ]
            }),
        ]
    }
}

extension PlacementPlan {
    /// The plan as JSON: `{"models": [...], "figures": {...}}`, models sorted by key.
    public var jsonValue: JSONValue {
        ["models": .array(models.map(\.jsonValue)), "figures": figures.jsonValue]
    }
}
