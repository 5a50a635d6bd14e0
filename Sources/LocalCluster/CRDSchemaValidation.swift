import KubeModel

/// The schema rules a 1.25 API server enforces on a `apiextensions.k8s.io/v1` CRD, worded as it
/// words them: every version has a schema; the schema is structural (a `type` on the root, every
/// property and every `items`; root `type: object`; `items` on arrays; no `additionalProperties` at
/// the root; root `metadata` says nothing but `type: object` (and may restrict only `name` and
/// `generateName`); inside `anyOf`/`allOf`/`oneOf`/`not` no `type`, `description`, `title`,
/// `default`, `nullable`, `additionalProperties` or `metadata`); and the unsupported OpenAPI
/// keywords (`$ref`, `uniqueItems: true`, `patternProperties`, ...) are refused.
///
/// Errors of one schema are reported under `spec.validation.openAPIV3Schema` when every version
/// shares the schema (as the real server reports them), else under `spec.versions[i].schema.openAPIV3Schema`.
enum CRDSchemaValidation {
    static func errors(_ crd: JSONValue) -> [FieldError] {
        let versions = crd[path: ["spec", "versions"]]?.arrayValue ?? []
        let schemas = versions.map { $0[path: ["schema", "openAPIV3Schema"]] }
        var errors: [FieldError] = []
        for (index, schema) in schemas.enumerated() where schema == nil {
            errors.append(FieldError(reason: "FieldValueRequired", field: "spec.versions[\(index)].schema.openAPIV3Schema",
                                     detail: "Required value: schemas are required"))
        }
        let present = schemas.compactMap { $0 }
        guard !present.isEmpty else { return errors }
        if present.count == schemas.count, Set(present).count == 1 {
            return errors + self.errors(schema: present[0], path: "spec.validation.openAPIV3Schema")
        }
        for (index, schema) in schemas.enumerated() {
            guard let schema else { continue }
            errors += self.errors(schema: schema, path: "spec.versions[\(index)].schema.openAPIV3Schema")
        }
        return errors
    }

    /// The errors of one `openAPIV3Schema`: unsupported keywords first, then structural errors sorted as the
    /// real server sorts them.
    static func errors(schema: JSONValue, path: String) -> [FieldError] {
        var keywordErrors: [FieldError] = []
        keywords(schema, path: path, errors: &keywordErrors)
        var structural: [FieldError] = []
        invariants(schema, level: .root, path: path, errors: &structural)
        return keywordErrors + structural.sorted { $0.description < $1.description }
    }

    enum Level { case root, item, field }

    private static func forbidden(_ field: String, _ detail: String) -> FieldError {
        FieldError(reason: "FieldValueForbidden", field: field, detail: "Forbidden: " + detail)
    }

    private static func required(_ field: String, _ detail: String) -> FieldError {
        FieldError(reason: "FieldValueRequired", field: field, detail: "Required value: " + detail)
    }

    // MARK: - Structural invariants

    private static func invariants(_ schema: JSONValue, level: Level, path: String, errors: inout [FieldError]) {
        let type = schema["type"]?.stringValue ?? ""
        let intOrString = schema["x-kubernetes-int-or-string"]?.boolValue == true
        let preserve = schema["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
        let embedded = schema["x-kubernetes-embedded-resource"]?.boolValue == true
        if type == "array", schema["items"] == nil { errors.append(required("\(path).items", "must be specified")) }
        if let items = schema["items"], case .object = items { invariants(items, level: .item, path: "\(path).items", errors: &errors) }
        for (key, property) in schema["properties"]?.objectValue ?? [:] {
            invariants(property, level: .field, path: "\(path).properties[\(key)]", errors: &errors)
        }
        if let additional = schema["additionalProperties"] {
            if level == .root { errors.append(forbidden("\(path).additionalProperties", "must not be used at the root")) }
            if case .object = additional {
                invariants(additional, level: .field, path: "\(path).additionalProperties", errors: &errors)
            }
        }
        if intOrString, preserve {
            errors.append(.invalid("\(path).x-kubernetes-preserve-unknown-fields", .bool(true),
                                   "must be false if x-kubernetes-int-or-string is true"))
        }
        for junctor in ["anyOf", "allOf", "oneOf"] {
            for (index, nested) in (schema[junctor]?.arrayValue ?? []).enumerated() {
                nestedValidation(nested, path: "\(path).\(junctor)[\(index)]", intOrStringPattern: intOrString,
                                 errors: &errors)
            }
        }
        if let not = schema["not"] { nestedValidation(not, path: "\(path).not", intOrStringPattern: false, errors: &errors) }
        if embedded, type != "object" {
            errors.append(type.isEmpty
                ? required("\(path).type", "must be object if x-kubernetes-embedded-resource is true")
                : .invalid("\(path).type", .string(type), "must be object if x-kubernetes-embedded-resource is true"))
        } else if type.isEmpty, !intOrString, !preserve {
            let detail: String
            switch level {
            case .root: detail = "must not be empty at the root"
            case .item: detail = "must not be empty for specified array items"
            case .field: detail = "must not be empty for specified object fields"
            }
            errors.append(required("\(path).type", detail))
        }
        if level == .root, !type.isEmpty, type != "object" {
            errors.append(.invalid("\(path).type", .string(type), "must be object at the root"))
        }
        let checkMetadata = level == .root || embedded
        for field in ["kind", "apiVersion"] where checkMetadata {
            if let property = schema[path: ["properties", field]], property["type"]?.stringValue != "string" {
                errors.append(.invalid("\(path).properties[\(field)].type", property["type"] ?? .string(""), "must be string"))
            }
        }
        if let metadata = schema[path: ["properties", "metadata"]] {
            metadataInvariants(metadata, checkMetadata: checkMetadata, level: level,
                               path: "\(path).properties[metadata]", errors: &errors)
        }
    }

    private static func metadataInvariants(_ metadata: JSONValue, checkMetadata: Bool, level: Level, path: String,
                                           errors: inout [FieldError]) {
        if checkMetadata, metadata["type"]?.stringValue != "object" {
            errors.append(.invalid("\(path).type", metadata["type"] ?? .string(""), "must be object"))
        }
        guard level == .root else { return }
        var rest = metadata.objectValue ?? [:]
        rest["type"] = nil
        rest["default"] = nil
        if let properties = rest["properties"]?.objectValue,
           !properties.isEmpty, Set(properties.keys).isSubset(of: ["name", "generateName"]) {
            rest["properties"] = nil
        }
        if !rest.isEmpty {
            errors.append(forbidden(path, "must not specify anything other than name and generateName, but metadata is "
                + "implicitly specified"))
        }
    }

    /// Inside `anyOf`/`allOf`/`oneOf`/`not` only value validations are allowed.
    private static func nestedValidation(_ schema: JSONValue, path: String, intOrStringPattern: Bool,
                                         errors: inout [FieldError]) {
        if schema["type"] != nil, !(intOrStringPattern && ["integer", "string"].contains(schema["type"]?.stringValue ?? "")) {
            errors.append(forbidden("\(path).type", "must be empty to be structural"))
        }
        if schema["additionalProperties"] != nil {
            errors.append(forbidden("\(path).additionalProperties", "must be undefined to be structural"))
        }
        if schema["default"] != nil { errors.append(forbidden("\(path).default", "must be undefined to be structural")) }
        if schema["title"] != nil { errors.append(forbidden("\(path).title", "must be empty to be structural")) }
        if schema["description"] != nil { errors.append(forbidden("\(path).description", "must be empty to be structural")) }
        if schema["nullable"]?.boolValue == true { errors.append(forbidden("\(path).nullable", "must be false to be structural")) }
        if schema[path: ["properties", "metadata"]] != nil {
            errors.append(forbidden("\(path).properties[metadata]", "must not be specified in a nested context"))
        }
        for (key, property) in schema["properties"]?.objectValue ?? [:] where key != "metadata" {
            nestedValidation(property, path: "\(path).properties[\(key)]", intOrStringPattern: false, errors: &errors)
        }
        if let items = schema["items"] { nestedValidation(items, path: "\(path).items", intOrStringPattern: false, errors: &errors) }
    }

    // MARK: - Unsupported keywords

    private static let unsupported: [String: String] = [
        "$ref": "$ref is not supported", "definitions": "definitions is not supported", "id": "id is not supported",
        "patternProperties": "patternProperties is not supported", "dependencies": "dependencies is not supported",
        "additionalItems": "additionalItems is not supported",
    ]

    private static let types: Set<String> = ["array", "boolean", "integer", "number", "object", "string"]

    private static func keywords(_ schema: JSONValue, path: String, errors: inout [FieldError]) {
        guard case .object(let members) = schema else { return }
        for key in members.keys.sorted() {
            if let message = unsupported[key] { errors.append(forbidden("\(path).\(key)", message)) }
        }
        if members["uniqueItems"]?.boolValue == true {
            errors.append(forbidden("\(path).uniqueItems",
                                    "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"))
        }
        if let type = members["type"]?.stringValue, !types.contains(type) {
            errors.append(FieldError(reason: "FieldValueNotSupported", field: "\(path).type",
                                     detail: "Unsupported value: \"\(type)\": supported values: \"array\", \"boolean\", "
                                         + "\"integer\", \"number\", \"object\", \"string\""))
        }
        if members["x-kubernetes-preserve-unknown-fields"]?.boolValue == false {
            errors.append(.invalid("\(path).x-kubernetes-preserve-unknown-fields", .bool(false), "must be true or undefined"))
        }
        if members["additionalProperties"] != nil, members["properties"] != nil {
            errors.append(forbidden("\(path).additionalProperties", "additionalProperties and properties are mutual exclusive"))
        }
        if let listType = members["x-kubernetes-list-type"]?.stringValue {
            if !["atomic", "set", "map"].contains(listType) {
                errors.append(FieldError(reason: "FieldValueNotSupported", field: "\(path).x-kubernetes-list-type",
                                         detail: "Unsupported value: \"\(listType)\": supported values: \"atomic\", \"set\", \"map\""))
            }
            if listType == "map", (members["x-kubernetes-list-map-keys"]?.arrayValue ?? []).isEmpty {
                errors.append(required("\(path).x-kubernetes-list-map-keys", "must not be empty if x-kubernetes-list-type is map"))
            }
        }
        if case .array = members["items"] {
            errors.append(forbidden("\(path).items", "items must be a schema object and not an array"))
        } else if let items = members["items"] {
            keywords(items, path: "\(path).items", errors: &errors)
        }
        for (key, property) in (members["properties"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            keywords(property, path: "\(path).properties[\(key)]", errors: &errors)
        }
        if let additional = members["additionalProperties"], case .object = additional {
            keywords(additional, path: "\(path).additionalProperties", errors: &errors)
        }
        for junctor in ["anyOf", "allOf", "oneOf"] {
            for (index, nested) in (members[junctor]?.arrayValue ?? []).enumerated() {
                keywords(nested, path: "\(path).\(junctor)[\(index)]", errors: &errors)
            }
        }
    }
}
