/// An `apiextensions.k8s.io/v1` CustomResourceDefinition.
public struct CustomResourceDefinition: Codable, Sendable, Hashable, KubeObject {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: CustomResourceDefinitionSpec?
    public var status: CustomResourceDefinitionStatus?

    public init(apiVersion: String? = "apiextensions.k8s.io/v1", kind: String? = "CustomResourceDefinition",
                metadata: ObjectMeta = ObjectMeta(), spec: CustomResourceDefinitionSpec? = nil,
                status: CustomResourceDefinitionStatus? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// The group, names, scope and versions of a custom resource.
public struct CustomResourceDefinitionSpec: Codable, Sendable, Hashable {
    public var group: String
    public var names: CustomResourceDefinitionNames
    /// `Namespaced` or `Cluster`.
    public var scope: String
    public var versions: [CustomResourceDefinitionVersion]
    public var conversion: JSONValue?
    public var preserveUnknownFields: Bool?

    public init(group: String, names: CustomResourceDefinitionNames, scope: String,
                versions: [CustomResourceDefinitionVersion], conversion: JSONValue? = nil,
                preserveUnknownFields: Bool? = nil) {
        self.group = group
        self.names = names
        self.scope = scope
        self.versions = versions
        self.conversion = conversion
        self.preserveUnknownFields = preserveUnknownFields
    }
}

/// How a custom resource is named in URLs and by kubectl.
public struct CustomResourceDefinitionNames: Codable, Sendable, Hashable {
    public var plural: String
    public var kind: String
    public var singular: String?
    public var listKind: String?
    public var shortNames: [String]?
    public var categories: [String]?

    public init(plural: String, kind: String, singular: String? = nil, listKind: String? = nil,
                shortNames: [String]? = nil, categories: [String]? = nil) {
        self.plural = plural
        self.kind = kind
        self.singular = singular
        self.listKind = listKind
        self.shortNames = shortNames
        self.categories = categories
    }
}

/// One served version of a custom resource, with its schema.
public struct CustomResourceDefinitionVersion: Codable, Sendable, Hashable {
    public var name: String
    public var served: Bool
    public var storage: Bool
    public var deprecated: Bool?
    public var deprecationWarning: String?
    public var schema: CustomResourceValidation?
    public var subresources: CustomResourceSubresources?
    public var additionalPrinterColumns: [CustomResourceColumnDefinition]?

    public init(name: String, served: Bool, storage: Bool, deprecated: Bool? = nil,
                deprecationWarning: String? = nil, schema: CustomResourceValidation? = nil,
                subresources: CustomResourceSubresources? = nil,
                additionalPrinterColumns: [CustomResourceColumnDefinition]? = nil) {
        self.name = name
        self.served = served
        self.storage = storage
        self.deprecated = deprecated
        self.deprecationWarning = deprecationWarning
        self.schema = schema
        self.subresources = subresources
        self.additionalPrinterColumns = additionalPrinterColumns
    }
}

/// The OpenAPI v3 schema of a version, kept free-form.
public struct CustomResourceValidation: Codable, Sendable, Hashable {
    public var openAPIV3Schema: JSONValue?

    public init(openAPIV3Schema: JSONValue? = nil) {
        self.openAPIV3Schema = openAPIV3Schema
    }
}

/// The status (`{}` to enable) and scale subresources.
public struct CustomResourceSubresources: Codable, Sendable, Hashable {
    public var status: JSONValue?
    public var scale: CustomResourceSubresourceScale?

    public init(status: JSONValue? = nil, scale: CustomResourceSubresourceScale? = nil) {
        self.status = status
        self.scale = scale
    }
}

/// Where the scale subresource finds replica counts and the selector.
public struct CustomResourceSubresourceScale: Codable, Sendable, Hashable {
    public var specReplicasPath: String
    public var statusReplicasPath: String
    public var labelSelectorPath: String?

    public init(specReplicasPath: String, statusReplicasPath: String, labelSelectorPath: String? = nil) {
        self.specReplicasPath = specReplicasPath
        self.statusReplicasPath = statusReplicasPath
        self.labelSelectorPath = labelSelectorPath
    }
}

/// A column `kubectl get` prints.
public struct CustomResourceColumnDefinition: Codable, Sendable, Hashable {
    public var name: String
    public var type: String
    public var jsonPath: String
    public var description: String?
    public var format: String?
    public var priority: Int?

    public init(name: String, type: String, jsonPath: String, description: String? = nil, format: String? = nil,
                priority: Int? = nil) {
        self.name = name
        self.type = type
        self.jsonPath = jsonPath
        self.description = description
        self.format = format
        self.priority = priority
    }
}

/// Whether the definition is established and the names accepted.
public struct CustomResourceDefinitionStatus: Codable, Sendable, Hashable {
    public var conditions: [Condition]?
    public var acceptedNames: CustomResourceDefinitionNames?
    public var storedVersions: [String]?

    public init(conditions: [Condition]? = nil, acceptedNames: CustomResourceDefinitionNames? = nil,
                storedVersions: [String]? = nil) {
        self.conditions = conditions
        self.acceptedNames = acceptedNames
        self.storedVersions = storedVersions
    }
}
extension CustomResourceDefinition {
    public static let gvr = GroupVersionResource.customResourceDefinitions
    public static let gvk = GroupVersionKind(apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition")
}
