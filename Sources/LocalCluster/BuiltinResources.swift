/// The built-in resources the server always serves (core/v1, apps/v1, coordination.k8s.io/v1,
/// apiextensions.k8s.io/v1, events.k8s.io/v1, discovery.k8s.io/v1).
enum BuiltinResources {
    static let namespaces = ResourceType(group: "", version: "v1", plural: "namespaces", singular: "namespace",
                                         kind: "Namespace", namespaced: false, shortNames: ["ns"], hasStatus: true)
    static let nodes = ResourceType(group: "", version: "v1", plural: "nodes", singular: "node", kind: "Node",
                                    namespaced: false, shortNames: ["no"], hasStatus: true)
    static let pods = ResourceType(group: "", version: "v1", plural: "pods", singular: "pod", kind: "Pod",
                                   namespaced: true, shortNames: ["po"], categories: ["all"], hasStatus: true)
    static let services = ResourceType(group: "", version: "v1", plural: "services", singular: "service",
                                       kind: "Service", namespaced: true, shortNames: ["svc"], categories: ["all"],
                                       hasStatus: true)
    static let endpoints = ResourceType(group: "", version: "v1", plural: "endpoints", singular: "endpoints",
                                        kind: "Endpoints", namespaced: true, shortNames: ["ep"])
    static let events = ResourceType(group: "", version: "v1", plural: "events", singular: "event", kind: "Event",
                                     namespaced: true, shortNames: ["ev"])
    static let configMaps = ResourceType(group: "", version: "v1", plural: "configmaps", singular: "configmap",
                                         kind: "ConfigMap", namespaced: true, shortNames: ["cm"])
    static let secrets = ResourceType(group: "", version: "v1", plural: "secrets", singular: "secret", kind: "Secret",
                                      namespaced: true)
    static let serviceAccounts = ResourceType(group: "", version: "v1", plural: "serviceaccounts",
                                              singular: "serviceaccount", kind: "ServiceAccount", namespaced: true,
                                              shortNames: ["sa"])
    static let deployments = ResourceType(
        group: "apps", version: "v1", plural: "deployments", singular: "deployment", kind: "Deployment",
        namespaced: true, shortNames: ["deploy"], categories: ["all"], hasStatus: true,
        scale: ScaleSubresource(specReplicasPath: ["spec", "replicas"], statusReplicasPath: ["status", "replicas"],
                                labelSelectorPath: ["status", "selector"]))
    static let replicaSets = ResourceType(
        group: "apps", version: "v1", plural: "replicasets", singular: "replicaset", kind: "ReplicaSet",
        namespaced: true, shortNames: ["rs"], categories: ["all"], hasStatus: true,
        scale: ScaleSubresource(specReplicasPath: ["spec", "replicas"], statusReplicasPath: ["status", "replicas"],
                                labelSelectorPath: ["status", "selector"]))
    static let leases = ResourceType(group: "coordination.k8s.io", version: "v1", plural: "leases", singular: "lease",
                                     kind: "Lease", namespaced: true)
    static let customResourceDefinitions = ResourceType(
        group: "apiextensions.k8s.io", version: "v1", plural: "customresourcedefinitions",
        singular: "customresourcedefinition", kind: "CustomResourceDefinition", namespaced: false,
        shortNames: ["crd", "crds"], categories: ["api-extensions"], hasStatus: true)
    static let eventsV1 = ResourceType(group: "events.k8s.io", version: "v1", plural: "events", singular: "event",
                                       kind: "Event", namespaced: true, shortNames: ["ev"])
    static let endpointSlices = ResourceType(group: "discovery.k8s.io", version: "v1", plural: "endpointslices",
                                             singular: "endpointslice", kind: "EndpointSlice", namespaced: true)

    static let selfSubjectAccessReviews: ResourceType = {
        var type = ResourceType(group: "authorization.k8s.io", version: "v1", plural: "selfsubjectaccessreviews",
                                singular: "selfsubjectaccessreview", kind: "SelfSubjectAccessReview", namespaced: false)
        type.isReview = true
        return type
    }()

    /// RBAC objects are stored and served (so `kubectl apply -k deploy/` installs the operator's
    /// manifests), not enforced: LocalCluster authorizes by token only.
    static let clusterRoles = ResourceType(group: "rbac.authorization.k8s.io", version: "v1", plural: "clusterroles",
                                           singular: "clusterrole", kind: "ClusterRole", namespaced: false)
    static let clusterRoleBindings = ResourceType(group: "rbac.authorization.k8s.io", version: "v1",
                                                  plural: "clusterrolebindings", singular: "clusterrolebinding",
                                                  kind: "ClusterRoleBinding", namespaced: false)
    static let roles = ResourceType(group: "rbac.authorization.k8s.io", version: "v1", plural: "roles", singular: "role",
                                    kind: "Role", namespaced: true)
    static let roleBindings = ResourceType(group: "rbac.authorization.k8s.io", version: "v1", plural: "rolebindings",
                                           singular: "rolebinding", kind: "RoleBinding", namespaced: true)

    static let all: [ResourceType] = [
        namespaces, nodes, pods, services, endpoints, events, configMaps, secrets, serviceAccounts,
        deployments, replicaSets, leases, customResourceDefinitions, eventsV1, endpointSlices, selfSubjectAccessReviews,
        clusterRoles, clusterRoleBindings, roles, roleBindings,
    ]
}
