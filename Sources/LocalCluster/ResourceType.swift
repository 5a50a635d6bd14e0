import KubeModel

/// Everything the server knows about one served resource at one group/version: names,
/// scope, subresources, printer columns and (for custom resources) the validation schema.
public struct ResourceType: Sendable, Hashable {
    public var group: String
    public var version: String
    public var plural: String
    public var singular: String
    public var kind: String
    public var namespaced: Bool
    public var shortNames: [String]
    public var categories: [String]
    /// Whether `/status` is a subresource (the main resource then ignores status changes).
    public var hasStatus: Bool
    /// The `/scale` subresource, when served.
    public var scale: ScaleSubresource?
    /// Server-side table columns (besides the implicit NAME column).
    public var printerColumns: [PrinterColumn]
    /// The CRD's `openAPIV3Schema` for this version (nil for built-ins).
    public var schema: JSONValue?
    /// Whether this resource comes from a CustomResourceDefinition.
    public var isCustom: Bool
    /// A create-only review (SelfSubjectAccessReview): answered, never stored.
    public var isReview: Bool = false

    public init(group: String, version: String, plural: String, singular: String, kind: String,
                namespaced: Bool, shortNames: [String] = [], categories: [String] = [], hasStatus: Bool = false,
                scale: ScaleSubresource? = nil, printerColumns: [PrinterColumn] = [], schema: JSONValue? = nil,
                isCustom: Bool = false) {
        self.group = group
        self.version = version
        self.plural = plural
        self.singular = singular
        self.kind = kind
        self.namespaced = namespaced
        self.shortNames = shortNames
        self.categories = categories
        self.hasStatus = hasStatus
        self.scale = scale
        self.printerColumns = printerColumns
        self.schema = schema
        self.isCustom = isCustom
    }

    /// `apps/v1` or `v1`.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `object` as the API serves it: with this type's `apiVersion` and `kind`.
    func presenting(_ object: JSONValue) -> JSONValue {
        var presented = object
        presented["apiVersion"] = .string(apiVersion)
        presented["kind"] = .string(kind)
        return presented
    }
    /// The storage key shared by every version of a resource: `deployments.apps`.
    public var storageKey: String { group.isEmpty ? plural : "\(plural).\(group)" }
    /// `deployments.apps`, as error messages name resources.
    public var qualifiedPlural: String { storageKey }
    public var listKind: String { kind + "List" }
    /// Whether objects carry `metadata.generation` (custom resources, CRDs, Deployments, ReplicaSets);
    /// a real server sets none on Pods, Services, ConfigMaps, Namespaces and the like.
    public var tracksGeneration: Bool {
        isCustom || ["deployments.apps", "replicasets.apps", "customresourcedefinitions.apiextensions.k8s.io"]
            .contains(storageKey)
    }
    public var gvr: GroupVersionResource {
        GroupVersionResource(group: group, version: version, resource: plural, namespaced: namespaced)
    }
    /// The verbs discovery advertises.
    public var verbs: [String] {
        isReview ? ["create"] : ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
    }
}

/// Where `/scale` finds replicas and the selector inside an object (dotted JSON paths).
public struct ScaleSubresource: Sendable, Hashable {
    public var specReplicasPath: [String]
    public var statusReplicasPath: [String]
    public var labelSelectorPath: [String]?

    public init(specReplicasPath: [String], statusReplicasPath: [String], labelSelectorPath: [String]?) {
        self.specReplicasPath = specReplicasPath
        self.statusReplicasPath = statusReplicasPath
        self.labelSelectorPath = labelSelectorPath
    }

    /// Parses `.spec.replicas` into `["spec", "replicas"]`.
    static func path(_ text: String) -> [String] {
        text.split(separator: ".").map(String.init)
    }
}

/// One column of server-side table output (a CRD's `additionalPrinterColumns` entry).
public struct PrinterColumn: Sendable, Hashable {
    public var name: String
    /// `string`, `integer`, `number`, `boolean` or `date`.
    public var type: String
    public var format: String
    public var description: String
    public var priority: Int
    /// A simple JSONPath such as `.status.url` or `.spec.containers[0].image`.
    public var jsonPath: String

    public init(name: String, type: String, format: String = "", description: String = "", priority: Int = 0,
                jsonPath: String) {
        self.name = name
        self.type = type
        self.format = format
        self.description = description
        self.priority = priority
        self.jsonPath = jsonPath
    }
}
