import KubeModel

/// A Node object (or a previous placement) that cannot be turned into placement input.
public struct PlacementInputError: Error, Sendable, Hashable, CustomStringConvertible {
    public var object: String
    public var message: String

    public init(object: String, message: String) {
        self.object = object
        self.message = message
    }

    public var description: String { "\(object): \(message)" }
}

extension PlacementNode {
    /// The resource the NVIDIA device plugin advertises unless configured otherwise.
    public static let defaultGPUResource = "nvidia.com/gpu"

    /// Reads a Kubernetes Node object: labels (`kubernetes.io/arch`, `node-role.kubernetes.io/edge`,
    /// `nvidia.com/gpu.product`, `nvidia.com/gpu.memory` in MiB, `nvidia.com/gpu.count`),
    /// `spec.taints`, `spec.unschedulable`, `status.allocatable` (cpu, memory, pods, and
    /// `gpuResource`: the device plugin's resource, `nvidia.com/gpu` unless the cluster renamed it)
    /// and the Ready condition (a node without a Ready condition counts as not ready).
    public init(node: JSONValue, gpuResource: String = PlacementNode.defaultGPUResource) throws {
        guard let name = node[path: ["metadata", "name"]]?.stringValue, !name.isEmpty else {
            throw PlacementInputError(object: "Node", message: "metadata.name is missing")
        }
        let object = "Node \(name)"
        var labels: [String: String] = [:]
        for (key, value) in node[path: ["metadata", "labels"]]?.objectValue ?? [:] {
            labels[key] = value.stringValue ?? value.intValue.map(String.init) ?? value.boolValue.map(String.init)
        }
        let allocatable = node[path: ["status", "allocatable"]]
        func quantity(_ key: String, factor: Int64) throws -> Int64? {
            guard let value = allocatable?[key], !value.isNull else { return nil }
            do { return try QuantityParsing.scaled(value, field: "status.allocatable.\(key)", by: factor) }
            catch let error as PlacementQuantityError { throw PlacementInputError(object: object, message: error.description) }
        }
        func labelNumber(_ key: String) throws -> Int64? {
            guard let text = labels[key] else { return nil }
            guard let number = Int64(text.trimmingSpaces), number >= 0 else {
                throw PlacementInputError(object: object, message: "label \(key)=\"\(text)\" is not a whole non-negative number")
            }
            return number
        }

        var taints: [PlacementTaint] = []
        for (i, taint) in (node[path: ["spec", "taints"]]?.arrayValue ?? []).enumerated() {
            guard let key = taint["key"]?.stringValue,
                  let effectText = taint["effect"]?.stringValue, let effect = TaintEffect(rawValue: effectText)
            else {
                throw PlacementInputError(object: object, message: "spec.taints[\(i)] needs a key and an effect of NoSchedule, PreferNoSchedule or NoExecute")
            }
            taints.append(PlacementTaint(key: key, value: taint["value"]?.stringValue ?? "", effect: effect))
        }
        let ready = (node[path: ["status", "conditions"]]?.arrayValue ?? []).contains {
            $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True"
        }
        self.init(
            name: name,
            cpuMillis: try quantity("cpu", factor: 1000) ?? 0,
            memoryBytes: try quantity("memory", factor: 1) ?? 0,
            allocatableGPUs: try quantity(gpuResource, factor: 1).map { Int($0) },
            architecture: labels["kubernetes.io/arch"] ?? "",
            isEdge: labels[PlacementNode.edgeRoleLabel] != nil,
            taints: taints.sorted(),
            unschedulable: node[path: ["spec", "unschedulable"]]?.boolValue ?? false,
            ready: ready,
            labels: labels,
            gpuProduct: labels["nvidia.com/gpu.product"],
            gpuMemoryMiB: try labelNumber("nvidia.com/gpu.memory"),
            gpuCountLabel: try labelNumber("nvidia.com/gpu.count").map { Int($0) },
            allocatablePods: try quantity("pods", factor: 1).map { Int($0) })
    }
}
