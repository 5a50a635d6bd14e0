import KubeModel
@testable import LocalCluster

/// What a kube-apiserver 1.25 accepts in a CustomResourceDefinition, so a test can tell whether
/// `kubectl apply` of a CRD succeeds there under kubectl's strict field validation: the structural
/// schema rules are LocalCluster's (`CRDSchemaValidation`, worded as the server words them); this
/// adds the 1.25 field set (what strict validation refuses as unknown fields) and the map-list
/// key rule. `../shared/fixtures/kube-apiserver-1.25/crd-create-*-422.json` show two refusals.
enum KubeAPIServer125Rules {
    /// The fields of `JSONSchemaProps` in 1.25; strict validation refuses any other key.
    static let schemaFields: Set<String> = [
        "id", "$schema", "$ref", "description", "type", "format", "title", "default", "maximum",
        "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems",
        "minItems", "uniqueItems", "multipleOf", "enum", "maxProperties", "minProperties", "required", "items",
        "allOf", "oneOf", "anyOf", "not", "properties", "additionalProperties", "patternProperties",
        "dependencies", "additionalItems", "definitions", "externalDocs", "example", "nullable",
        "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string",
        "x-kubernetes-list-map-keys", "x-kubernetes-list-type", "x-kubernetes-map-type",
        "x-kubernetes-validations",
    ]
    /// The fields of a CEL `ValidationRule` in 1.25 (`messageExpression` came in 1.27, `reason`
    /// and `fieldPath` in 1.28).
    static let validationRuleFields: Set<String> = ["rule", "message"]
    static let specFields: Set<String> = ["group", "names", "scope", "versions", "conversion", "preserveUnknownFields"]
    static let versionFields: Set<String> = [
        "name", "served", "storage", "deprecated", "deprecationWarning", "schema", "subresources",
        "additionalPrinterColumns",
    ]
    static let namesFields: Set<String> = ["plural", "singular", "shortNames", "kind", "listKind", "categories"]
    static let printerColumnFields: Set<String> = ["name", "type", "format", "description", "priority", "jsonPath"]
    static let scaleFields: Set<String> = ["specReplicasPath", "statusReplicasPath", "labelSelectorPath"]

    /// Every reason a 1.25 server (with strict field validation) would refuse this CRD, each as
    /// `path: reason`; empty when it installs.
    static func refusals(ofCRD crd: JSONValue) -> [String] {
        var found: [String] = CRDSchemaValidation.errors(crd).map(\.description)
        unknownKeys(crd["spec"], allowed: specFields, at: "spec", into: &found)
        unknownKeys(crd[path: ["spec", "names"]], allowed: namesFields, at: "spec.names", into: &found)
        for (index, version) in (crd[path: ["spec", "versions"]]?.arrayValue ?? []).enumerated() {
            let at = "spec.versions[\(index)]"
            unknownKeys(version, allowed: versionFields, at: at, into: &found)
            unknownKeys(version[path: ["subresources", "scale"]], allowed: scaleFields, at: "\(at).subresources.scale",
                        into: &found)
            for (column, entry) in (version["additionalPrinterColumns"]?.arrayValue ?? []).enumerated() {
                unknownKeys(entry, allowed: printerColumnFields, at: "\(at).additionalPrinterColumns[\(column)]",
                            into: &found)
            }
            if let root = version[path: ["schema", "openAPIV3Schema"]] {
                found += schemaRefusals(root, at: "\(at).schema.openAPIV3Schema")
            }
        }
        return found
    }

    /// The 1.25 field set (schema keywords, CEL rule fields) and the map-list key rule, applied
    /// to one schema and its children.
    static func schemaRefusals(_ schema: JSONValue, at path: String) -> [String] {
        var found: [String] = []
        unknownKeys(schema, allowed: schemaFields, at: path, into: &found)
        for (index, rule) in (schema["x-kubernetes-validations"]?.arrayValue ?? []).enumerated() {
            unknownKeys(rule, allowed: validationRuleFields, at: "\(path).x-kubernetes-validations[\(index)]", into: &found)
            if (rule["rule"]?.stringValue ?? "").isEmpty {
                found.append("\(path).x-kubernetes-validations[\(index)].rule: Required value")
            }
        }
        if schema["x-kubernetes-list-type"]?.stringValue == "map" { found += mapListRefusals(schema, at: path) }
        for (name, child) in schema["properties"]?.objectValue ?? [:] {
            found += schemaRefusals(child, at: "\(path).properties[\(name)]")
        }
        if let items = schema["items"] { found += schemaRefusals(items, at: "\(path).items") }
        if let additional = schema["additionalProperties"], additional.objectValue != nil {
            found += schemaRefusals(additional, at: "\(path).additionalProperties")
        }
        return found
    }

    private static func mapListRefusals(_ schema: JSONValue, at path: String) -> [String] {
        let keys = (schema["x-kubernetes-list-map-keys"]?.arrayValue ?? []).compactMap(\.stringValue)
        guard !keys.isEmpty else {
            return ["\(path).x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map"]
        }
        guard let items = schema["items"], items["type"]?.stringValue == "object" else {
            return ["\(path).items.type: Invalid value: must be object if parent array's x-kubernetes-list-type is map"]
        }
        let required = Set((items["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        return keys.compactMap { key in
            guard let property = items[path: ["properties", key]] else {
                return "\(path).x-kubernetes-list-map-keys: Invalid value: \(key) is not a property of the items"
            }
            if !required.contains(key), property["default"] == nil {
                return "\(path).items.properties[\(key)]: Required value: must be required or have a default"
            }
            return nil
        }
    }

    private static func unknownKeys(_ value: JSONValue?, allowed: Set<String>, at path: String, into found: inout [String]) {
        for key in (value?.objectValue ?? [:]).keys where !allowed.contains(key) {
            found.append("\(path): unknown field \"\(key)\" (kubectl's strict validation refuses it on 1.25)")
        }
    }
}
