import KubeClient
import KubeModel

/// The errors a kube-apiserver answers for the common failures, worded as it words them
/// (`../shared/fixtures/kube-apiserver-1.25/`: `deployment-get-missing-404`,
/// `deployment-create-exists-409`, `deployment-update-conflict-409`, `forbidden-403`), for
/// `InMemoryCluster` and for tests that script failures.
extension KubeAPIError {
    /// 404: `deployments.apps "x" not found`.
    public static func notFound(_ resource: GroupVersionResource, name: String) -> KubeAPIError {
        failure(404, "NotFound", "\(resource.qualifiedName) \"\(name)\" not found", resource: resource, name: name)
    }

    /// 409 on create: `deployments.apps "x" already exists`.
    public static func alreadyExists(_ resource: GroupVersionResource, name: String) -> KubeAPIError {
        failure(409, "AlreadyExists", "\(resource.qualifiedName) \"\(name)\" already exists", resource: resource, name: name)
    }

    /// 409 on a write from a stale `resourceVersion`.
    public static func conflict(_ resource: GroupVersionResource, name: String) -> KubeAPIError {
        failure(409, "Conflict", "Operation cannot be fulfilled on \(resource.qualifiedName) \"\(name)\": the object "
                    + "has been modified; please apply your changes to the latest version and try again",
                resource: resource, name: name)
    }

    /// 403: the caller's role lacks `verb` on the resource.
    public static func forbidden(_ resource: GroupVersionResource, verb: String, namespace: String? = nil,
                                 name: String? = nil, user: String = "system:serviceaccount:default:nobody")
        -> KubeAPIError
    {
        let object = name.map { "\(resource.qualifiedName) \"\($0)\"" } ?? resource.qualifiedName
        let scope = namespace.map { " in the namespace \"\($0)\"" } ?? ""
        return failure(403, "Forbidden", "\(object) is forbidden: User \"\(user)\" cannot \(verb) resource "
                           + "\"\(resource.resource)\" in API group \"\(resource.group)\"\(scope)",
                       resource: resource, name: name)
    }

    private static func failure(_ code: Int, _ reason: String, _ message: String, resource: GroupVersionResource,
                                name: String?) -> KubeAPIError {
        let status = Status(status: "Failure", message: message, reason: reason,
                            details: StatusDetails(name: name, group: resource.group, kind: resource.resource), code: code)
        return KubeAPIError(code: code, reason: reason, message: message, status: status)
    }
}

extension GroupVersionResource {
    /// `deployments.apps`, or `services` in the core group: how the server names a resource in messages.
    var qualifiedName: String { group.isEmpty ? resource : "\(resource).\(group)" }
}
