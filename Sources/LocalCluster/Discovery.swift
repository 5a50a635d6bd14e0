import KubeModel

/// Legacy discovery documents (`/api`, `/apis`, `/api/v1`, `/apis/G`, `/apis/G/V`), served as plain
/// `application/json` so kubectl 1.32 falls back from aggregated discovery.
enum Discovery {
    static func apiVersions(serverAddress: String) -> JSONValue {
        [
            "kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]],
        ]
    }

    static func groupList(_ registry: ResourceRegistry) -> JSONValue {
        [
            "kind": "APIGroupList", "apiVersion": "v1",
            "groups": .array(registry.groupVersions.filter { !$0.group.isEmpty }.map { group($0.group, $0.versions) }),
        ]
    }

    static func group(_ name: String, _ versions: [String]) -> JSONValue {
        let entries: [JSONValue] = versions.map { ["groupVersion": .string("\(name)/\($0)"), "version": .string($0)] }
        return [
            "kind": "APIGroup", "apiVersion": "v1", "name": .string(name), "versions": .array(entries),
            "preferredVersion": entries.first ?? .null,
        ]
    }

    static func resourceList(_ registry: ResourceRegistry, group: String, version: String) -> JSONValue? {
        let types = registry.types(group: group, version: version)
        if types.isEmpty { return nil }
        var resources: [JSONValue] = []
        for type in types {
            var entry: JSONValue = [
                "name": .string(type.plural), "singularName": .string(type.singular), "namespaced": .bool(type.namespaced),
                "kind": .string(type.kind), "verbs": .array(type.verbs.map(JSONValue.string)),
            ]
            if !type.shortNames.isEmpty { entry["shortNames"] = .array(type.shortNames.map(JSONValue.string)) }
            if !type.categories.isEmpty { entry["categories"] = .array(type.categories.map(JSONValue.string)) }
            entry["storageVersionHash"] = .string(String(type.storageKey.hashValue & 0xffffff, radix: 36))
            resources.append(entry)
            if type.hasStatus {
                resources.append([
                    "name": .string("\(type.plural)/status"), "singularName": "", "namespaced": .bool(type.namespaced),
                    "kind": .string(type.kind), "verbs": ["get", "patch", "update"],
                ])
            }
            if type.scale != nil {
                resources.append([
                    "name": .string("\(type.plural)/scale"), "singularName": "", "namespaced": .bool(type.namespaced),
                    "group": "autoscaling", "version": "v1", "kind": "Scale", "verbs": ["get", "patch", "update"],
                ])
            }
        }
        return [
            "kind": "APIResourceList", "apiVersion": "v1",
            "groupVersion": .string(group.isEmpty ? version : "\(group)/\(version)"), "resources": .array(resources),
        ]
    }

    static func version() -> JSONValue {
        [
            "major": "1", "minor": "32", "gitVersion": "v1.32.0-localcluster", "gitCommit": "localcluster",
            "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z", "goVersion": "swift",
            "compiler": "swift", "platform": "linux/amd64",
        ]
    }
}
