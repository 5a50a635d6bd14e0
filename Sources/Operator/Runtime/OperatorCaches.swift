import Controller
import KubeClient
import KubeModel
import Logging
import ModelAPI

/// The operator's informers, one per watched resource and selection; the `Manager` runs them on
/// every replica.
struct OperatorCaches: Sendable {
    let models: Informer<InferenceModel>
    let deployments: Informer<CachedDeployment>
    let services: Informer<CachedService>
    let nodes: Informer<JSONValue>
    let pods: Informer<ModelPod>
    /// Every bound, unfinished pod of the cluster, reduced to what placement counts.
    let podFootprints: Informer<PodFootprint>
    /// The namespaces' labels: the archive cache a namespace chooses, its PodSecurity level.
    let namespaces: Informer<JSONValue>
    /// ConfigMaps that list the namespace's model URLs (`ModelDirectory`).
    let directories: Informer<JSONValue>

    /// The label every emitted object carries; the informers of owned objects select on it.
    static let managedSelector = "app.kubernetes.io/managed-by=\(ModelLabels.managedBy)"

    init(client: RESTClient, namespace: String?, logger: Logger) {
        models = Informer<InferenceModel>(client: client, namespace: namespace, logger: logger)
        deployments = Informer<CachedDeployment>(client: client, namespace: namespace, labelSelector: Self.managedSelector,
                                           logger: logger)
        services = Informer<CachedService>(client: client, namespace: namespace, labelSelector: Self.managedSelector,
                                     logger: logger)
        nodes = Informer<JSONValue>(client: client, gvr: .nodes, logger: logger)
        pods = Informer<ModelPod>(client: client, namespace: namespace, labelSelector: Self.managedSelector,
                                  logger: logger)
        // All namespaces: capacity is taken by every pod of a node, whoever runs it.
        podFootprints = Informer<PodFootprint>(client: client, gvr: .pods, fieldSelector: PodFootprint.boundAndNotFinished,
                                               logger: logger)
        namespaces = Informer<JSONValue>(client: client, gvr: .namespaces,
                                         fieldSelector: namespace.map { "metadata.name=\($0)" }, logger: logger)
        directories = Informer<JSONValue>(client: client, gvr: .configMaps, namespace: namespace,
                                          labelSelector: ModelDirectory.selector, logger: logger)
    }

    /// Every informer, in the order the manager starts them.
    var all: [any ManagedInformer] { [models, deployments, services, nodes, pods, podFootprints, namespaces, directories] }
}
