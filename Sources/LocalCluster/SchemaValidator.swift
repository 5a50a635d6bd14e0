import Foundation
import KubeModel
import Logging

/// Applies a CRD's structural `openAPIV3Schema` to a custom object the way the API server
/// does: defaults first, then pruning of unknown fields (and of nulls where not nullable),
/// then validation (type, required, enum, pattern, bounds, lengths, item counts and the
/// supported subset of CEL `x-kubernetes-validations`, see ``CELExpression``).
struct SchemaValidator {
    let schema: JSONValue
    var logger: Logger?

    /// Defaults and prunes `object`; returns the result and the dotted paths of fields pruned.
    func normalize(_ object: JSONValue) -> (object: JSONValue, pruned: [String]) {
        var pruned: [String] = []
        let defaulted = applyDefaults(object, schema: schema)
        let result = prune(defaulted, schema: schema, path: "", isRoot: true, pruned: &pruned)
        return (result, pruned)
    }

    /// Validation errors for `object` (already normalized); `old` enables transition rules.
    func validate(_ object: JSONValue, old: JSONValue?) -> [FieldError] {
        var errors: [FieldError] = []
        var root = object
        // Root rules see metadata.name and metadata.generateName only, as on a real API server.
        var metadata: [String: JSONValue] = [:]
        for key in ["name", "generateName"] { metadata[key] = object[path: ["metadata", key]] }
        root["metadata"] = .object(metadata)
        root["apiVersion"] = nil
        root["kind"] = nil
        var rootSchema = schema
        if var properties = rootSchema["properties"]?.objectValue {
            properties["metadata"] = ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
            properties["apiVersion"] = nil
            properties["kind"] = nil
            rootSchema["properties"] = .object(properties)
        }
        validate(root, schema: rootSchema, path: "", old: old, errors: &errors)
        return errors
    }

    // MARK: - Defaulting

    private func applyDefaults(_ value: JSONValue, schema: JSONValue) -> JSONValue {
        switch value {
        case .object(var members):
            if let properties = schema["properties"]?.objectValue {
                for (key, propertySchema) in properties {
                    // A null where the schema allows none is defaulted like a missing value (pruned later when
                    // there is no default), as the real server does.
                    let disallowedNull = members[key]?.isNull == true && propertySchema["nullable"]?.boolValue != true
                    if members[key] == nil || disallowedNull, let defaultValue = propertySchema["default"] {
                        members[key] = defaultValue
                    }
                    if let child = members[key] { members[key] = applyDefaults(child, schema: propertySchema) }
                }
            } else if let additional = schema["additionalProperties"], case .object = additional {
                members = members.mapValues { applyDefaults($0, schema: additional) }
            }
            return .object(members)
        case .array(let elements):
            guard let items = schema["items"] else { return value }
            return .array(elements.map { applyDefaults($0, schema: items) })
        default:
            return value
        }
    }

    // MARK: - Pruning

    private func prune(_ value: JSONValue, schema: JSONValue, path: String, isRoot: Bool, pruned: inout [String])
        -> JSONValue
    {
        let preserve = schema["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
        switch value {
        case .object(let members):
            let properties = schema["properties"]?.objectValue
            let additional = schema["additionalProperties"]
            let embedded = schema["x-kubernetes-embedded-resource"]?.boolValue == true
            var result: [String: JSONValue] = [:]
            for (key, child) in members {
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if (isRoot || embedded) && ["apiVersion", "kind", "metadata"].contains(key) {
                    result[key] = child
                    continue
                }
                var childSchema: JSONValue?
                if let properties { childSchema = properties[key] }
                if childSchema == nil, let additional, case .object = additional { childSchema = additional }
                if childSchema == nil, additional?.boolValue == true { childSchema = .object([:]) }
                if let childSchema {
                    if child.isNull && childSchema["nullable"]?.boolValue != true {
                        continue
                    }
                    result[key] = prune(child, schema: childSchema, path: childPath, isRoot: false, pruned: &pruned)
                } else if preserve || (properties == nil && additional == nil && schema["type"] == nil) {
                    result[key] = child
                } else {
                    pruned.append(childPath)
                }
            }
            return .object(result)
        case .array(let elements):
            guard let items = schema["items"] else { return value }
            return .array(elements.enumerated().map { index, element in
                prune(element, schema: items, path: "\(path)[\(index)]", isRoot: false, pruned: &pruned)
            })
        default:
            return value
        }
    }

    // MARK: - Validation

    private static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    private func typeMatches(_ value: JSONValue, _ type: String, schema: JSONValue) -> Bool {
        if schema["x-kubernetes-int-or-string"]?.boolValue == true {
            if case .int = value { return true }
            if case .string = value { return true }
            return false
        }
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("integer", .int),
             ("number", .int), ("number", .double):
            return true
        case ("integer", .double(let d)):
            return d.rounded() == d
        case (_, .null):
            return schema["nullable"]?.boolValue == true
        default:
            return false
        }
    }

    private func validate(_ value: JSONValue, schema: JSONValue, path: String, old: JSONValue?,
                          errors: inout [FieldError]) {
        let field = path
        let bodyName = path.isEmpty ? "body" : path
        if let type = schema["type"]?.stringValue, !typeMatches(value, type, schema: schema) {
            let actual = Self.typeName(value)
            errors.append(FieldError(reason: "FieldValueTypeInvalid", field: field,
                                     detail: "Invalid value: \"\(actual)\": \(bodyName) in body must be of type \(type): \"\(actual)\""))
            return
        }
        if schema["x-kubernetes-int-or-string"]?.boolValue == true, !typeMatches(value, "", schema: schema) {
            let actual = Self.typeName(value)
            errors.append(FieldError(reason: "FieldValueTypeInvalid", field: field,
                                     detail: "Invalid value: \"\(actual)\": \(bodyName) in body must be of type integer,string: \"\(actual)\""))
            return
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) {
            let list = allowed.map(\.errorRendering).joined(separator: ", ")
            errors.append(FieldError(reason: "FieldValueNotSupported", field: field,
                                     detail: "Unsupported value: \(value.errorRendering): supported values: \(list)"))
        }
        switch value {
        case .string(let text):
            validateString(text, value: value, schema: schema, field: field, bodyName: bodyName, errors: &errors)
        case .int, .double:
            validateNumber(value, schema: schema, field: field, bodyName: bodyName, errors: &errors)
        case .array(let elements):
            if let minItems = schema["minItems"]?.intValue, elements.count < minItems {
                errors.append(.invalid(field, .int(Int64(elements.count)), "\(bodyName) in body should have at least \(minItems) items"))
            }
            if let maxItems = schema["maxItems"]?.intValue, elements.count > maxItems {
                errors.append(FieldError(reason: "FieldValueTooMany", field: field,
                                         detail: "Too many: \(elements.count): must have at most \(maxItems) items"))
            }
            validateListType(elements, schema: schema, path: path, errors: &errors)
            if let items = schema["items"] {
                for (index, element) in elements.enumerated() {
                    validate(element, schema: items, path: "\(path)[\(index)]", old: nil, errors: &errors)
                }
            }
        case .object(let members):
            for required in (schema["required"]?.arrayValue ?? []).compactMap(\.stringValue) where members[required] == nil {
                errors.append(.required(path.isEmpty ? required : "\(path).\(required)"))
            }
            if let minProperties = schema["minProperties"]?.intValue, members.count < minProperties {
                errors.append(.invalid(field, .int(Int64(members.count)), "\(bodyName) in body should have at least \(minProperties) properties"))
            }
            if let maxProperties = schema["maxProperties"]?.intValue, members.count > maxProperties {
                errors.append(.invalid(field, .int(Int64(members.count)), "\(bodyName) in body should have at most \(maxProperties) properties"))
            }
            let properties = schema["properties"]?.objectValue ?? [:]
            for (key, child) in members.sorted(by: { $0.key < $1.key }) {
                // The object's own apiVersion, kind and metadata are the API server's business, not the schema's.
                if path.isEmpty, ["apiVersion", "kind", "metadata"].contains(key) { continue }
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if let childSchema = properties[key] {
                    validate(child, schema: childSchema, path: childPath, old: old?[key], errors: &errors)
                } else if let additional = schema["additionalProperties"], case .object = additional {
                    validate(child, schema: additional, path: childPath, old: old?[key], errors: &errors)
                }
            }
        default:
            break
        }
        if let rules = schema["x-kubernetes-validations"]?.arrayValue {
            validateRules(rules, value: value, old: old, field: field, errors: &errors)
        }
    }

    /// `x-kubernetes-list-type: set` (unique items) and `map` (unique map keys).
    private func validateListType(_ elements: [JSONValue], schema: JSONValue, path: String, errors: inout [FieldError]) {
        switch schema["x-kubernetes-list-type"]?.stringValue {
        case "set":
            var seen: Set<JSONValue> = []
            for (index, element) in elements.enumerated() where !seen.insert(element).inserted {
                errors.append(FieldError(reason: "FieldValueDuplicate", field: "\(path)[\(index)]",
                                         detail: "Duplicate value: \(element.errorRendering)"))
            }
        case "map":
            let keys = (schema["x-kubernetes-list-map-keys"]?.arrayValue ?? []).compactMap(\.stringValue)
            guard !keys.isEmpty else { return }
            var seen: Set<[JSONValue]> = []
            for (index, element) in elements.enumerated() {
                let identity = keys.map { element[$0] ?? .null }
                if !seen.insert(identity).inserted {
                    let rendered = JSONValue.object(Dictionary(uniqueKeysWithValues: zip(keys, identity))).jsonString
                    errors.append(FieldError(reason: "FieldValueDuplicate", field: "\(path)[\(index)]",
                                             detail: "Duplicate value: \(rendered)"))
                }
            }
        default:
            break
        }
    }

    private func validateString(_ text: String, value: JSONValue, schema: JSONValue, field: String, bodyName: String,
                                errors: inout [FieldError]) {
        if let minLength = schema["minLength"]?.intValue, text.count < minLength {
            errors.append(.invalid(field, value, "\(bodyName) in body should be at least \(minLength) chars long"))
        }
        if let maxLength = schema["maxLength"]?.intValue, text.count > maxLength {
            errors.append(FieldError(reason: "FieldValueTooLong", field: field,
                                     detail: "Too long: may not be more than \(maxLength) bytes"))
        }
        if let pattern = schema["pattern"]?.stringValue {
            if let matched = CompiledPatterns.matches(pattern, in: text) {
                if !matched {
                    errors.append(.invalid(field, value, "\(bodyName) in body should match '\(pattern)'"))
                }
            } else {
                logger?.warning("CRD schema pattern \(pattern) at \(field) is not a valid regular expression; not checked")
            }
        }
    }

    private func validateNumber(_ value: JSONValue, schema: JSONValue, field: String, bodyName: String,
                                errors: inout [FieldError]) {
        guard let number = value.doubleValue else { return }
        if let minimum = schema["minimum"]?.doubleValue {
            let exclusive = schema["exclusiveMinimum"]?.boolValue == true
            if exclusive ? number <= minimum : number < minimum {
                errors.append(.invalid(field, value, "\(bodyName) in body should be greater than \(exclusive ? "" : "or equal to ")\(Self.render(schema["minimum"]))"))
            }
        }
        if let maximum = schema["maximum"]?.doubleValue {
            let exclusive = schema["exclusiveMaximum"]?.boolValue == true
            if exclusive ? number >= maximum : number > maximum {
                errors.append(.invalid(field, value, "\(bodyName) in body should be less than \(exclusive ? "" : "or equal to ")\(Self.render(schema["maximum"]))"))
            }
        }
        if let multipleOf = schema["multipleOf"]?.doubleValue, multipleOf != 0,
           (number / multipleOf).rounded() != number / multipleOf {
            errors.append(.invalid(field, value, "\(bodyName) in body should be a multiple of \(Self.render(schema["multipleOf"]))"))
        }
    }

    private static func render(_ value: JSONValue?) -> String {
        guard let value else { return "" }
        if let int = value.intValue { return String(int) }
        return value.errorRendering
    }

    private func validateRules(_ rules: [JSONValue], value: JSONValue, old: JSONValue?, field: String,
                               errors: inout [FieldError]) {
        for rule in rules {
            guard let text = rule["rule"]?.stringValue else { continue }
            let expression: CELExpression
            do {
                expression = try CELExpression.parsed(text)
            } catch {
                logger?.warning("x-kubernetes-validations rule at \(field.isEmpty ? "<root>" : field) not evaluated (outside the supported CEL subset): \(text): \(error)")
                continue
            }
            if expression.referencesOldSelf && old == nil { continue }
            do {
                let result = try expression.evaluate(self: value, oldSelf: old)
                if result != .bool(true) {
                    let message = rule["message"]?.stringValue ?? "failed rule: \(text)"
                    let reasonField = rule["fieldPath"]?.stringValue.map { field + $0 } ?? field
                    errors.append(FieldError(reason: "FieldValueInvalid", field: reasonField,
                                             detail: "Invalid value: \(Self.valueTypeRendering(value)): \(message)"))
                }
            } catch {
                // The real server reports evaluation errors (such as a missing field) as invalid values too.
                errors.append(FieldError(reason: "FieldValueInvalid", field: field,
                                         detail: "Invalid value: \(Self.valueTypeRendering(value)): \(error) evaluating rule: \(text)"))
            }
        }
    }

    private static func valueTypeRendering(_ value: JSONValue) -> String {
        switch value {
        case .object: return "\"object\""
        case .array: return "\"array\""
        default: return value.errorRendering
        }
    }
}
