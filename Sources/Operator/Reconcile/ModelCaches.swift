import Controller
import KubeModel
import ModelAPI

/// The informer caches the reconciler reads: the models and the objects it emits for them.
public struct ModelCaches: Sendable {
    public let models: Informer<InferenceModel>
    public let deployments: Informer<Deployment>
    public let services: Informer<Service>
    public let pods: Informer<Pod>
    /// The namespaces (their labels choose the archive cache and say the PodSecurity level);
    /// nil where nothing watches them, which reads as unlabelled namespaces.
    public let namespaces: Informer<JSONValue>?

    public init(models: Informer<InferenceModel>, deployments: Informer<Deployment>, services: Informer<Service>,
                pods: Informer<Pod>, namespaces: Informer<JSONValue>? = nil) {
        self.models = models
        self.deployments = deployments
        self.services = services
        self.pods = pods
        self.namespaces = namespaces
    }

    /// The labels of the model's namespace.
    func namespaceLabels(of model: InferenceModel) async -> [String: String]? {
        guard let namespaces, let name = model.metadata.namespace else { return nil }
        let labels = await namespaces.get(namespace: nil, name: name)?[path: ["metadata", "labels"]]?.objectValue
        return labels?.compactMapValues(\.stringValue)
    }

    /// The serving pods of a model (by the model label the pod template carries).
    func pods(of model: InferenceModel) async -> [Pod] {
        await pods.byIndex(Self.modelIndex, ObjectKey(namespace: model.metadata.namespace, name: model.metadata.name ?? "").description)
    }

    /// The index of owned objects by their controller's uid.
    static let controllerIndex = "controller-uid"
    /// The index of serving pods by their model's `namespace/name`.
    static let modelIndex = "model"

    /// Indexes the caches so a reconcile finds a model's objects without scanning every object.
    public func addIndexes() async {
        let byController: @Sendable (any KubeObject) -> [String] = { object in
            object.metadata.ownerReferences?.filter { $0.controller == true }.map(\.uid) ?? []
        }
        await deployments.addIndex(Self.controllerIndex) { byController($0) }
        await services.addIndex(Self.controllerIndex) { byController($0) }
        await pods.addIndex(Self.modelIndex) { pod in
            pod.metadata.labels?[ModelLabels.model].map { [ObjectKey(namespace: pod.metadata.namespace, name: $0).description] } ?? []
        }
    }

    /// The Deployments a model controls (controller owner reference with its uid).
    func ownedDeployments(of model: InferenceModel) async -> [Deployment] {
        await deployments.byIndex(Self.controllerIndex, model.metadata.uid ?? "")
    }

    /// The model's Service, when it exists and the model controls it.
    func ownedService(of model: InferenceModel) async -> Service? {
        let service = await services.get(namespace: model.metadata.namespace, name: ChildNaming.primary(model))
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
