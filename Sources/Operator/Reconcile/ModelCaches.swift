import Controller
import KubeModel
import ModelAPI

/// What the reconciler reads from the caches: the models and the objects it emits for them,
/// through a `ClusterReader` (the informers' `InformerCache` when running; `InMemoryCluster` in tests).
public struct ModelCaches: Sendable {
    public let reader: any ClusterReader

    public init(_ reader: any ClusterReader) {
        self.reader = reader
    }

    /// The serving pods of a model by its `namespace/name` (the model label the pod template carries).
    public static let modelIndex = ClusterIndex<ModelPod>(name: "model") { pod in
        pod.metadata.labels?[ModelLabels.model].map { [ObjectKey(namespace: pod.metadata.namespace, name: $0).description] } ?? []
    }

    /// The models that ask for a GPU (`needsGPU`), which the placement core places.
    public static let gpuModelIndex = ClusterIndex<InferenceModel>(name: "needs-gpu") { model in
        model.spec.needsGPU ? ["true"] : []
    }

    /// The informer indexes these reads use, for `InformerCache.adding(_:indexes:)`.
    public static let deploymentIndexes: [ClusterIndex<CachedDeployment>] = [.controllerUID]
    public static let podIndexes: [ClusterIndex<ModelPod>] = [modelIndex]
    public static let modelIndexes: [ClusterIndex<InferenceModel>] = [gpuModelIndex]

    /// The model with this key.
    func model(_ key: ObjectKey) async throws -> InferenceModel? {
        try await reader.get(InferenceModel.self, key)
    }

    /// The labels of the model's namespace; nil where nothing caches namespaces, which reads as
    /// an unlabelled namespace.
    func namespaceLabels(of model: InferenceModel) async -> [String: String]? {
        guard let name = model.metadata.namespace,
              let namespace = try? await reader.get(.namespaces, namespace: nil, name: name) else { return nil }
        return namespace[path: ["metadata", "labels"]]?.objectValue?.compactMapValues(\.stringValue)
    }

    /// The serving pods of a model (by the model label the pod template carries).
    func pods(of model: InferenceModel) async throws -> [ModelPod] {
        try await reader.list(ModelPod.self, index: Self.modelIndex,
                              value: ObjectKey(namespace: model.metadata.namespace, name: model.metadata.name ?? "").description)
    }

    /// The Deployments a model controls (controller owner reference with its uid).
    func ownedDeployments(of model: InferenceModel) async throws -> [CachedDeployment] {
        try await reader.list(CachedDeployment.self, index: .controllerUID, value: model.metadata.uid ?? "")
    }

    /// The model's Service, when it exists and the model controls it.
    func ownedService(of model: InferenceModel) async throws -> CachedService? {
        let service = try await reader.get(CachedService.self, namespace: model.metadata.namespace, name: ChildNaming.primary(model))
        return service?.isControlled(by: model) == true ? service : nil
    }
}

extension KubeObject {
    /// Whether `model` is this object's controller.
    func isControlled(by model: InferenceModel) -> Bool {
        metadata.ownerReferences?.contains { $0.controller == true && $0.uid == model.metadata.uid } ?? false
    }

    /// The InferenceModel that controls this object, as a work-queue key.
    public var controllingModelKey: ObjectKey? {
        guard let owner = metadata.ownerReferences?.first(where: {
            $0.controller == true && $0.kind == InferenceModel.kindName
                && $0.apiVersion.hasPrefix(InferenceModel.group + "/")
        }) else { return nil }
        return ObjectKey(namespace: metadata.namespace, name: owner.name)
    }
}
