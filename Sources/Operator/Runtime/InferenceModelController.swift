import Controller
import KubeModel
import Logging
import ModelAPI
import Placement

/// The InferenceModel controller, declared as data: for InferenceModel (changes that are not
/// the operator's own status writes), owns Deployment and Service, watches Pod (a fetch
/// container's state, kube-scheduler's verdict) and Node (through the placement coordinator,
/// which requeues the models it moves), every bound pod's footprint (placement capacity), the
/// namespaces' storage labels and the model directories.
enum InferenceModelController {
    static let owner = OwnerKind(kind: InferenceModel.kindName, group: InferenceModel.group)

    static func declare(caches: OperatorCaches, queue: WorkQueue<ObjectKey>, reconciler: InferenceModelReconciler,
                        coordinator: PlacementCoordinator, directory: ModelDirectory, settings: OperatorSettings,
                        workers: Int, logger: Logger) -> ControllerDeclaration<InferenceModelReconciler> {
        let gpuResource = settings.gpuResource
        let models = caches.models
        return ControllerDeclaration(name: "inferencemodel", queue: queue, reconciler: reconciler, workers: workers,
                                     logger: logger)
            .for(caches.models, when: matters)
            .owns(caches.deployments, owner: owner)
            // Updates count too: a hand-edited port, selector or type is corrected like Deployment drift.
            .owns(caches.services, owner: owner)
            .watches(caches.pods) { change in
                guard let pod = change.object, let name = pod.metadata.labels?[ModelLabels.model],
                      fetchStateChanged(change) || schedulingChanged(change) else { return [] }
                return [ObjectKey(namespace: pod.metadata.namespace, name: name)]
            }
            .watches(caches.nodes) { (change: InformerChange<JSONValue>) in
                let before = change.old.flatMap { try? PlacementNode(node: $0, gpuResource: gpuResource) }
                let after = change.new.flatMap { try? PlacementNode(node: $0, gpuResource: gpuResource) }
                guard before != after else { return }
                // A node taking work again (not one of the initial list: a restart reshuffles nothing).
                let reopened = !change.fromInitialList && after?.isOpen == true && before?.isOpen != true
                await coordinator.nodesChanged(reopened: reopened ? after?.name : nil)
            }
            // The initial list too: the sums start from every pod already bound.
            .watches(caches.podFootprints) { (change: InformerChange<PodFootprint>) in
                await coordinator.podChanged(old: change.kind == .added ? nil : change.old, new: change.new)
            }
            // A namespace relabelled for the archive cache or PodSecurity: its models render anew.
            .watches(caches.namespaces) { (change: InformerChange<JSONValue>) -> [ObjectKey] in
                guard !change.fromInitialList, storageLabels(change.old) != storageLabels(change.new),
                      let name = (change.new ?? change.old)?[path: ["metadata", "name"]]?.stringValue else { return [] }
                return await models.list(namespace: name).map { ObjectKey(namespace: name, name: $0.metadata.name ?? "") }
            }
            // A directory created or edited by someone else: fill in (or restore) the URLs.
            .watches(caches.directories) { (change: InformerChange<JSONValue>) in
                guard !change.fromInitialList else { return }
                await directory.namespaceChanged(change.key.namespace)
            }
    }

    /// The namespace labels that change how a model's pods keep their archive.
    static func storageLabels(_ namespace: JSONValue?) -> [String?] {
        let labels = namespace?[path: ["metadata", "labels"]]
        return [ArchiveCacheMode.namespaceLabel, ArchiveStorage.podSecurityEnforceLabel].map { labels?[$0]?.stringValue }
    }

    /// Only a change of a pod's fetch container state matters to the model's status.
    static func fetchStateChanged(_ change: InformerChange<ModelPod>) -> Bool {
        func fetchState(_ pod: ModelPod?) -> ContainerStatus? {
            pod?.status?.initContainerStatuses?.first { $0.name == ContainerRenderer.fetchContainerName }
        }
        return change.kind == .deleted ? fetchState(change.old) != nil : fetchState(change.old) != fetchState(change.new)
    }

    /// Whether kube-scheduler's verdict on a pod changed (it found no node, or then found one).
    static func schedulingChanged(_ change: InformerChange<ModelPod>) -> Bool {
        change.old?.unschedulableMessage != change.new?.unschedulableMessage
    }

    /// Status-only updates (the operator's own writes) need no reconcile.
    @Sendable static func matters(_ change: InformerChange<InferenceModel>) -> Bool {
        guard change.kind == .updated, let old = change.old, let new = change.new else { return true }
        return old.spec != new.spec || old.metadata.generation != new.metadata.generation
            || old.metadata.deletionTimestamp != new.metadata.deletionTimestamp
            || old.metadata.labels != new.metadata.labels || old.metadata.annotations != new.metadata.annotations
    }
}
