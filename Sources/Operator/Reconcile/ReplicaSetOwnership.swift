import Controller
import KubeClient
import KubeModel

/// Whether a pod belongs to one of a model's Deployments, through a ReplicaSet those
/// Deployments control: only such pods may speak for the model (their fetch failures reach its
/// status). Labels prove nothing, since anyone who may create pods in the namespace can copy
/// them, and an owner reference can name any ReplicaSet; so the ReplicaSet is read (a GET, only
/// for pods whose fetch failed) and must carry the uid the pod names and be controlled by one of
/// the model's Deployments. Verdicts are kept by ReplicaSet uid (a ReplicaSet's owner does not
/// change), at most `memory` of them.
public actor ReplicaSetOwnership {
    static let replicaSets = GroupVersionResource(group: "apps", version: "v1", resource: "replicasets")

    /// Reads ReplicaSets from the API server (nothing watches them).
    private let reader: any ClusterReader
    private let memory: Int
    /// ReplicaSet uid → the uid of the Deployment controlling it ("" for none, or not found).
    private var controllers: [String: String] = [:]

    public init(reader: any ClusterReader, memory: Int = 10_000) {
        self.reader = reader
        self.memory = memory
    }

    /// The pods of `pods` that belong to one of `deployments`.
    func ownPods(_ pods: [ModelPod], of deployments: [CachedDeployment]) async -> [ModelPod] {
        let owners = Set(deployments.compactMap(\.metadata.uid))
        var result: [ModelPod] = []
        for pod in pods {
            guard let reference = pod.metadata.ownerReferences?.first(where: { $0.controller == true }),
                  reference.kind == "ReplicaSet", reference.apiVersion == "apps/v1" else { continue }
            if owners.contains(await controller(of: reference, namespace: pod.metadata.namespace)) { result.append(pod) }
        }
        return result
    }

    private func controller(of reference: OwnerReference, namespace: String?) async -> String {
        if let known = controllers[reference.uid] { return known }
        var controller = ""
        do {
            // No such ReplicaSet (nil): the pod names an owner that does not exist.
            if let replicaSet = try await reader.get(Self.replicaSets, namespace: namespace, name: reference.name),
               replicaSet[path: ["metadata", "uid"]]?.stringValue == reference.uid {
                let owner = replicaSet[path: ["metadata", "ownerReferences"]]?.arrayValue?
                    .first { $0["controller"]?.boolValue == true && $0["kind"]?.stringValue == "Deployment" }
                controller = owner?["uid"]?.stringValue ?? ""
            }
        } catch {
            return ""  // Not known now; asked again next time rather than remembered.
        }
        if controllers.count >= memory { controllers.removeAll(keepingCapacity: true) }
        controllers[reference.uid] = controller
        return controller
    }
}
