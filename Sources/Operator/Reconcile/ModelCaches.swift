import Controller
import KubeClient
import ModelAPI

/// The informer caches the reconciler reads: the models and the objects it emits for them.
public struct ModelCaches: Sendable {
    public let models: Informer<InferenceModel>
    public let deployments: Informer<Deployment>
    public let services: Informer<Service>

    public init(models: Informer<InferenceModel>, deployments: Informer<Deployment>, services: Informer<Service>) {
        self.models = models
        self.deployments = deployments
        self.services = services
    }

    /// The Deployments a model controls (controller owner reference with its uid).
    func ownedDeployments(of model: InferenceModel) async -> [Deployment] {
        await deployments.list(namespace: model.metadata.namespace).filter { $0.isControlled(by: model) }
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
