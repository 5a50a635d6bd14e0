import KubeModel

extension PlacementWorkload {
    /// Reads an InferenceModel object: `spec.replicas` (default 1), `spec.deployToLayer`,
    /// `spec.nodeSelector`, `spec.nodeName`, and the additions `spec.resources.requests.cpu` /
    /// `.memory`, `spec.gpu.memory` (a quantity such as `6Gi`), `spec.gpu.products`,
    /// `spec.gpu.exclusive`, `spec.architectures` and `spec.tolerations` (Kubernetes tolerations).
    /// A `gpu` block of any shape (`gpu: {}` too) asks for a GPU.
    public init(inferenceModel model: JSONValue, gpuAllocation: GPUAllocation = .devicePlugin) throws {
        guard let name = model[path: ["metadata", "name"]]?.stringValue, !name.isEmpty else {
            throw PlacementInputError(object: "InferenceModel", message: "metadata.name is missing")
        }
        let namespace = model[path: ["metadata", "namespace"]]?.stringValue ?? "default"
        let object = "InferenceModel \(namespace)/\(name)"
        func fail(_ message: String) -> PlacementInputError { PlacementInputError(object: object, message: message) }
        let spec = model["spec"] ?? .object([:])

        func quantity(_ path: [String], factor: Int64) throws -> Int64 {
            guard let value = spec[path: path], !value.isNull else { return 0 }
            do { return try QuantityParsing.scaled(value, field: "spec." + path.joined(separator: "."), by: factor) }
            catch let error as PlacementQuantityError { throw fail(error.description) }
        }
        func strings(_ key: String) throws -> [String] {
            guard let value = spec[key], !value.isNull else { return [] }
            guard let array = value.arrayValue, array.allSatisfy({ $0.stringValue != nil }) else {
                throw fail("spec.\(key) must be a list of strings")
            }
            return array.compactMap(\.stringValue)
        }

        var replicas = 1
        if let value = spec["replicas"], !value.isNull {
            guard let number = value.intValue, number >= 0, number <= 100_000 else {
                throw fail("spec.replicas must be a whole number from 0 to 100000, got \(value.jsonString)")
            }
            replicas = Int(number)
        }
        var layer: PlacementLayer?
        if let text = spec["deployToLayer"]?.stringValue, !text.isEmpty {
            guard let parsed = PlacementLayer(rawValue: text) else {
                throw fail("spec.deployToLayer must be edge or cloud, got \"\(text)\"")
            }
            layer = parsed
        }
        var selector: [String: String] = [:]
        for (key, value) in spec["nodeSelector"]?.objectValue ?? [:] {
            guard let text = value.stringValue else { throw fail("spec.nodeSelector.\(key) must be a string") }
            selector[key] = text
        }
        let gpuBytes = try quantity(["gpu", "memory"], factor: 1)
        guard gpuBytes % (1 << 20) == 0 else {
            throw fail("spec.gpu.memory must be a whole number of MiB (such as 6Gi or 1536Mi)")
        }
        var products: [String] = []
        if let value = spec[path: ["gpu", "products"]], !value.isNull {
            guard let array = value.arrayValue, array.allSatisfy({ $0.stringValue != nil }) else {
                throw fail("spec.gpu.products must be a list of product names such as Tesla-T4")
            }
            products = array.compactMap(\.stringValue)
        }
        var tolerations: [PlacementToleration] = []
        for (i, item) in (spec["tolerations"]?.arrayValue ?? []).enumerated() {
            let operatorText = item["operator"]?.stringValue ?? "Equal"
            guard let op = PlacementToleration.Operator(rawValue: operatorText) else {
                throw fail("spec.tolerations[\(i)].operator must be Equal or Exists")
            }
            var effect: TaintEffect?
            if let text = item["effect"]?.stringValue, !text.isEmpty {
                guard let parsed = TaintEffect(rawValue: text) else {
                    throw fail("spec.tolerations[\(i)].effect must be NoSchedule, PreferNoSchedule or NoExecute")
                }
                effect = parsed
            }
            tolerations.append(PlacementToleration(
                key: item["key"]?.stringValue ?? "", operator: op, value: item["value"]?.stringValue ?? "", effect: effect))
        }
        let nodeName = spec["nodeName"]?.stringValue
        self.init(
            key: ModelKey(namespace: namespace, name: name),
            replicas: replicas,
            cpuMillis: try quantity(["resources", "requests", "cpu"], factor: 1000),
            memoryBytes: try quantity(["resources", "requests", "memory"], factor: 1),
            gpuMemoryMiB: gpuBytes >> 20,
            gpuProducts: products,
            gpuExclusive: spec[path: ["gpu", "exclusive"]]?.boolValue ?? false,
            architectures: try strings("architectures"),
            layer: layer,
            nodeSelector: selector,
            nodeName: (nodeName?.isEmpty ?? true) ? nil : nodeName,
            tolerations: tolerations,
            asksForGPU: spec["gpu"].map { !$0.isNull } ?? false,
            gpuAllocation: gpuAllocation)
    }
}
