import KubeModel

/// OpenAPI v3 documents (`/openapi/v3` and `/openapi/v3/apis/G/V`): one path per resource with the
/// `x-kubernetes-group-version-kind` extension and the `fieldValidation` parameter (so kubectl relies on
/// server-side field validation), and component schemas built from CRD schemas (so `kubectl explain`
/// works). Built-in kinds get an open schema with only the top-level fields documented.
enum OpenAPI {
    static func root(_ registry: ResourceRegistry) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        for (group, versions) in registry.groupVersions {
            for version in versions {
                let key = group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)"
                let hash = String(UInt64(bitPattern: Int64(document(registry, group: group, version: version)?.jsonString.hashValue ?? 0)), radix: 16)
                paths[key] = ["serverRelativeURL": .string("/openapi/v3/\(key)?hash=\(hash.uppercased())")]
            }
        }
        return ["paths": .object(paths)]
    }

    static func schemaName(_ type: ResourceType) -> String {
        let groupPart: String
        if type.isCustom {
            groupPart = type.group.split(separator: ".").reversed().joined(separator: ".")
        } else {
            let short = type.group.isEmpty ? "core" : String(type.group.split(separator: ".").first ?? "")
            groupPart = "io.k8s.api.\(short)"
        }
        return "\(groupPart).\(type.version).\(type.kind)"
    }

    static let objectMetaName = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"

    static func document(_ registry: ResourceRegistry, group: String, version: String) -> JSONValue? {
        let types = registry.types(group: group, version: version)
        if types.isEmpty { return nil }
        var paths: [String: JSONValue] = [:]
        var schemas: [String: JSONValue] = [objectMetaName: objectMeta]
        for type in types {
            let gvk: JSONValue = ["group": .string(type.group), "version": .string(type.version), "kind": .string(type.kind)]
            let reference: JSONValue = ["$ref": .string("#/components/schemas/\(schemaName(type))")]
            let base = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
            let collection = type.namespaced ? "\(base)/namespaces/{namespace}/\(type.plural)" : "\(base)/\(type.plural)"
            let writeParameters: JSONValue = [
                ["name": "dryRun", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
                ["name": "fieldManager", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
                ["name": "fieldValidation", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
            ]
            let jsonBody: JSONValue = ["content": ["application/json": ["schema": reference]]]
            let responses: JSONValue = ["200": ["description": "OK", "content": ["application/json": ["schema": reference]]]]
            let patchContent: JSONValue = [
                "application/json-patch+json": ["schema": ["type": "object"]],
                "application/merge-patch+json": ["schema": ["type": "object"]],
                "application/apply-patch+yaml": ["schema": ["type": "object"]],
            ]
            paths[collection] = [
                "get": ["operationId": .string("list\(type.kind)"), "x-kubernetes-action": "list",
                        "x-kubernetes-group-version-kind": gvk, "responses": responses],
                "post": ["operationId": .string("create\(type.kind)"), "x-kubernetes-action": "post",
                         "x-kubernetes-group-version-kind": gvk, "parameters": writeParameters, "requestBody": jsonBody,
                         "responses": responses],
            ]
            paths["\(collection)/{name}"] = [
                "get": ["operationId": .string("read\(type.kind)"), "x-kubernetes-action": "get",
                        "x-kubernetes-group-version-kind": gvk, "responses": responses],
                "put": ["operationId": .string("replace\(type.kind)"), "x-kubernetes-action": "put",
                        "x-kubernetes-group-version-kind": gvk, "parameters": writeParameters, "requestBody": jsonBody,
                        "responses": responses],
                "patch": ["operationId": .string("patch\(type.kind)"), "x-kubernetes-action": "patch",
                          "x-kubernetes-group-version-kind": gvk, "parameters": writeParameters,
                          "requestBody": ["content": patchContent], "responses": responses],
                "delete": ["operationId": .string("delete\(type.kind)"), "x-kubernetes-action": "delete",
                           "x-kubernetes-group-version-kind": gvk, "responses": responses],
            ]
            schemas[schemaName(type)] = schema(for: type)
        }
        return [
            "openapi": "3.0.0", "info": ["title": "Kubernetes", "version": "v1.32.0"],
            "paths": .object(paths), "components": ["schemas": .object(schemas)],
        ]
    }

    static func schema(for type: ResourceType) -> JSONValue {
        var schema: JSONValue = type.schema ?? [
            "type": "object",
            "description": .string("\(type.kind) is a built-in kind served by LocalCluster; its fields are not documented here."),
            "properties": [
                "spec": ["type": "object", "x-kubernetes-preserve-unknown-fields": true],
                "status": ["type": "object", "x-kubernetes-preserve-unknown-fields": true],
            ],
        ]
        var properties = schema["properties"]?.objectValue ?? [:]
        properties["apiVersion"] = [
            "type": "string",
            "description": "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.",
        ]
        properties["kind"] = [
            "type": "string",
            "description": "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to.",
        ]
        properties["metadata"] = [
            "allOf": [["$ref": .string("#/components/schemas/\(objectMetaName)")]],
            "default": [:],
            "description": "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
        ]
        schema["properties"] = .object(properties)
        schema["x-kubernetes-group-version-kind"] = [
            ["group": .string(type.group), "kind": .string(type.kind), "version": .string(type.version)],
        ]
        return schema
    }

    static let objectMeta: JSONValue = [
        "type": "object",
        "description": "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
        "properties": [
            "name": ["type": "string", "description": "Name must be unique within a namespace."],
            "namespace": ["type": "string", "description": "Namespace defines the space within which each name must be unique."],
            "labels": ["type": "object", "additionalProperties": ["type": "string", "default": ""],
                       "description": "Map of string keys and values that can be used to organize and categorize objects."],
            "annotations": ["type": "object", "additionalProperties": ["type": "string", "default": ""],
                            "description": "Annotations is an unstructured key value map stored with a resource."],
            "uid": ["type": "string", "description": "UID is the unique in time and space value for this object."],
            "resourceVersion": ["type": "string", "description": "An opaque value that represents the internal version of this object."],
            "generation": ["type": "integer", "format": "int64", "description": "A sequence number representing a specific generation of the desired state."],
            "creationTimestamp": ["type": "string", "format": "date-time", "description": "CreationTimestamp is a timestamp representing the server time when this object was created."],
            "deletionTimestamp": ["type": "string", "format": "date-time", "description": "DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted."],
            "finalizers": ["type": "array", "items": ["type": "string", "default": ""], "description": "Must be empty before the object is deleted from the registry."],
            "ownerReferences": ["type": "array", "items": ["type": "object", "x-kubernetes-preserve-unknown-fields": true],
                                "description": "List of objects depended by this object."],
            "generateName": ["type": "string", "description": "GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided."],
        ],
    ]
}
