import KubeModel

/// Turns a CustomResourceDefinition object into the resource types it serves, and checks the
/// names a CRD must carry.
enum CRDTypes {
    /// The served versions of `crd` as resource types, or the reasons the CRD is invalid.
    static func resourceTypes(of crd: JSONValue) -> (types: [ResourceType], errors: [FieldError]) {
        var errors: [FieldError] = []
        let spec = crd["spec"] ?? .object([:])
        let group = spec["group"]?.stringValue ?? ""
        let names = spec["names"] ?? .object([:])
        let plural = names["plural"]?.stringValue ?? ""
        let kind = names["kind"]?.stringValue ?? ""
        if group.isEmpty { errors.append(.required("spec.group")) }
        if plural.isEmpty { errors.append(.required("spec.names.plural")) }
        if kind.isEmpty { errors.append(.required("spec.names.kind")) }
        let name = crd[path: ["metadata", "name"]]?.stringValue ?? ""
        if !plural.isEmpty, !group.isEmpty, name != "\(plural).\(group)" {
            errors.append(.invalid("metadata.name", .string(name), "must be spec.names.plural+\".\"+spec.group"))
        }
        let scopeText = spec["scope"]?.stringValue ?? ""
        if scopeText != "Namespaced" && scopeText != "Cluster" {
            errors.append(FieldError(reason: "FieldValueNotSupported", field: "spec.scope",
                                     detail: "Unsupported value: \(JSONValue.string(scopeText).errorRendering): "
                                         + "supported values: \"Cluster\", \"Namespaced\""))
        }
        let versions = spec["versions"]?.arrayValue ?? []
        if versions.isEmpty { errors.append(.required("spec.versions")) }
        if versions.filter({ $0["storage"]?.boolValue == true }).count != 1, !versions.isEmpty {
            errors.append(.invalid("spec.versions", .array(versions), "must have exactly one version marked as storage version"))
        }
        guard errors.isEmpty else { return ([], errors) }
        var result: [ResourceType] = []
        for version in versions where version["served"]?.boolValue ?? true {
            let subresources = version["subresources"] ?? .object([:])
            var scale: ScaleSubresource?
            if let scaleSpec = subresources["scale"] {
                scale = ScaleSubresource(
                    specReplicasPath: ScaleSubresource.path(scaleSpec["specReplicasPath"]?.stringValue ?? ".spec.replicas"),
                    statusReplicasPath: ScaleSubresource.path(scaleSpec["statusReplicasPath"]?.stringValue ?? ".status.replicas"),
                    labelSelectorPath: scaleSpec["labelSelectorPath"]?.stringValue.map(ScaleSubresource.path))
            }
            let columns = (version["additionalPrinterColumns"]?.arrayValue ?? []).map { column in
                PrinterColumn(name: column["name"]?.stringValue ?? "", type: column["type"]?.stringValue ?? "string",
                              format: column["format"]?.stringValue ?? "",
                              description: column["description"]?.stringValue ?? "",
                              priority: Int(column["priority"]?.intValue ?? 0),
                              jsonPath: column["jsonPath"]?.stringValue ?? "")
            }
            result.append(ResourceType(
                group: group, version: version["name"]?.stringValue ?? "v1", plural: plural,
                singular: names["singular"]?.stringValue ?? kind.lowercased(), kind: kind,
                namespaced: scopeText == "Namespaced",
                shortNames: (names["shortNames"]?.arrayValue ?? []).compactMap(\.stringValue),
                categories: (names["categories"]?.arrayValue ?? []).compactMap(\.stringValue),
                hasStatus: subresources["status"] != nil, scale: scale, printerColumns: columns,
                schema: version[path: ["schema", "openAPIV3Schema"]], isCustom: true))
        }
        return (result, [])
    }

    /// The status a real server gives an accepted CRD: accepted names and the
    /// `NamesAccepted` and `Established` conditions.
    static func acceptedStatus(of crd: JSONValue, now: String) -> JSONValue {
        let names = crd[path: ["spec", "names"]] ?? .object([:])
        var accepted = names
        if accepted["singular"] == nil, let kind = names["kind"]?.stringValue {
            accepted["singular"] = .string(kind.lowercased())
        }
        if accepted["listKind"] == nil, let kind = names["kind"]?.stringValue { accepted["listKind"] = .string(kind + "List") }
        let storedVersions = (crd[path: ["spec", "versions"]]?.arrayValue ?? [])
            .filter { $0["storage"]?.boolValue == true }.compactMap { $0["name"] }
        return [
            "acceptedNames": accepted,
            "storedVersions": .array(storedVersions),
            "conditions": [
                ["type": "NamesAccepted", "status": "True", "reason": "NoConflicts",
                 "message": "no conflicts found", "lastTransitionTime": .string(now)],
                ["type": "Established", "status": "True", "reason": "InitialNamesAccepted",
                 "message": "the initial names have been accepted", "lastTransitionTime": .string(now)],
            ],
        ]
    }
}
