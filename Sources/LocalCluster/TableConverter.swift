import Foundation
import KubeModel

/// Server-side table output (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`), as `kubectl get`
/// asks for: CRD `additionalPrinterColumns`, or a few sensible columns for built-in kinds.
struct TableConverter {
    let type: ResourceType
    /// `None`, `Metadata` (default) or `Object`: what each row's `object` holds.
    let includeObject: String

    private struct Column {
        var definition: PrinterColumn
        var cell: (JSONValue) -> JSONValue
    }

    func table(for objects: [JSONValue], listMetadata: JSONValue) -> JSONValue {
        let columns = self.columns()
        let definitions: [JSONValue] = columns.map { column in
            [
                "name": .string(column.definition.name), "type": .string(column.definition.type),
                "format": .string(column.definition.format), "description": .string(column.definition.description),
                "priority": .int(Int64(column.definition.priority)),
            ]
        }
        let rows: [JSONValue] = objects.map { object in
            var row: JSONValue = ["cells": .array(columns.map { $0.cell(object) })]
            switch includeObject {
            case "None": break
            case "Object": row["object"] = object
            default:
                row["object"] = [
                    "kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                    "metadata": object["metadata"] ?? .object([:]),
                ]
            }
            return row
        }
        return [
            "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": listMetadata,
            "columnDefinitions": .array(definitions), "rows": .array(rows),
        ]
    }

    private func column(_ name: String, _ type: String = "string", format: String = "", priority: Int = 0,
                        description: String = "", _ cell: @escaping (JSONValue) -> JSONValue) -> Column {
        Column(definition: PrinterColumn(name: name, type: type, format: format, description: description,
                                         priority: priority, jsonPath: ""),
               cell: cell)
    }

    private var nameColumn: Column {
        column("Name", format: "name", description: "Name must be unique within a namespace.") { .string($0.metaName) }
    }

    private var ageColumn: Column {
        column("Age", description: "CreationTimestamp is a timestamp representing the server time when this object was created.") {
            .string(HumanDuration.text(since: $0[path: ["metadata", "creationTimestamp"]]?.stringValue ?? ""))
        }
    }

    private func path(_ object: JSONValue, _ keys: String...) -> JSONValue? { object[path: keys] }

    private func columns() -> [Column] {
        if type.isCustom {
            if type.printerColumns.isEmpty { return [nameColumn, ageColumn] }
            return [nameColumn] + type.printerColumns.map { printer in
                Column(definition: printer) { object in
                    guard let value = SimpleJSONPath.text(printer.jsonPath, in: object) else { return .null }
                    if printer.type == "date", let text = value.stringValue {
                        return .string(HumanDuration.text(since: text))
                    }
                    return value
                }
            }
        }
        switch type.storageKey {
        case "deployments.apps":
            return [
                nameColumn,
                column("Ready") { object in
                    .string("\(object[path: ["status", "readyReplicas"]]?.intValue ?? 0)/\(object[path: ["spec", "replicas"]]?.intValue ?? 0)")
                },
                column("Up-to-date", "integer") { .int($0[path: ["status", "updatedReplicas"]]?.intValue ?? 0) },
                column("Available", "integer") { .int($0[path: ["status", "availableReplicas"]]?.intValue ?? 0) },
                ageColumn,
                column("Containers", priority: 1) { containerField($0, "name") },
                column("Images", priority: 1) { containerField($0, "image") },
                column("Selector", priority: 1) { object in
                    .string(LabelSelector(structured: object[path: ["spec", "selector"]] ?? .object([:])).text)
                },
            ]
        case "pods":
            return [
                nameColumn,
                column("Ready") { object in
                    let total = object[path: ["spec", "containers"]]?.arrayValue?.count ?? 0
                    let ready = (object[path: ["status", "containerStatuses"]]?.arrayValue ?? [])
                        .filter { $0["ready"]?.boolValue == true }.count
                    return .string("\(ready)/\(total)")
                },
                column("Status") { .string($0[path: ["status", "phase"]]?.stringValue ?? "Pending") },
                column("Restarts", "string") { object in
                    let restarts = (object[path: ["status", "containerStatuses"]]?.arrayValue ?? [])
                        .compactMap { $0["restartCount"]?.intValue }.reduce(0, +)
                    return .string(String(restarts))
                },
                ageColumn,
                column("IP", priority: 1) { .string($0[path: ["status", "podIP"]]?.stringValue ?? "<none>") },
                column("Node", priority: 1) { .string($0[path: ["spec", "nodeName"]]?.stringValue ?? "<none>") },
            ]
        case "nodes":
            return [
                nameColumn,
                column("Status") { object in
                    let ready = (object[path: ["status", "conditions"]]?.arrayValue ?? [])
                        .first { $0["type"]?.stringValue == "Ready" }?["status"]?.stringValue
                    var status = ready == "True" ? "Ready" : (ready == nil ? "Unknown" : "NotReady")
                    if object[path: ["spec", "unschedulable"]]?.boolValue == true { status += ",SchedulingDisabled" }
                    return .string(status)
                },
                column("Roles") { object in
                    let roles = LabelSelector.labels(of: object).keys
                        .filter { $0.hasPrefix("node-role.kubernetes.io/") }
                        .map { String($0.dropFirst("node-role.kubernetes.io/".count)) }.sorted()
                    return .string(roles.isEmpty ? "<none>" : roles.joined(separator: ","))
                },
                ageColumn,
                column("Version") { .string($0[path: ["status", "nodeInfo", "kubeletVersion"]]?.stringValue ?? "") },
                column("Internal-IP", priority: 1) { object in
                    let address = (object[path: ["status", "addresses"]]?.arrayValue ?? [])
                        .first { $0["type"]?.stringValue == "InternalIP" }?["address"]?.stringValue
                    return .string(address ?? "<none>")
                },
                column("Architecture", priority: 1) {
                    .string($0[path: ["status", "nodeInfo", "architecture"]]?.stringValue ?? "")
                },
            ]
        case "services":
            return [
                nameColumn,
                column("Type") { .string($0[path: ["spec", "type"]]?.stringValue ?? "ClusterIP") },
                column("Cluster-IP") { .string($0[path: ["spec", "clusterIP"]]?.stringValue ?? "<none>") },
                column("External-IP") { object in
                    let ips = (object[path: ["spec", "externalIPs"]]?.arrayValue ?? []).compactMap(\.stringValue)
                    return .string(ips.isEmpty ? "<none>" : ips.joined(separator: ","))
                },
                column("Port(s)") { object in
                    let ports = (object[path: ["spec", "ports"]]?.arrayValue ?? []).map { port in
                        "\(port["port"]?.intValue ?? 0)/\(port["protocol"]?.stringValue ?? "TCP")"
                    }
                    return .string(ports.isEmpty ? "<none>" : ports.joined(separator: ","))
                },
                ageColumn,
            ]
        case "namespaces":
            return [nameColumn, column("Status") { .string($0[path: ["status", "phase"]]?.stringValue ?? "Active") },
                    ageColumn]
        case "configmaps":
            return [nameColumn, column("Data", "integer") { object in
                .int(Int64((object["data"]?.objectValue?.count ?? 0) + (object["binaryData"]?.objectValue?.count ?? 0)))
            }, ageColumn]
        case "secrets":
            return [nameColumn, column("Type") { .string($0["type"]?.stringValue ?? "Opaque") },
                    column("Data", "integer") { .int(Int64($0["data"]?.objectValue?.count ?? 0)) }, ageColumn]
        case "leases.coordination.k8s.io":
            return [nameColumn, column("Holder") { .string($0[path: ["spec", "holderIdentity"]]?.stringValue ?? "") },
                    ageColumn]
        case "events":
            return [
                column("Last Seen") { object in
                    let time = object["lastTimestamp"]?.stringValue ?? object["eventTime"]?.stringValue
                        ?? object[path: ["metadata", "creationTimestamp"]]?.stringValue ?? ""
                    return .string(HumanDuration.text(since: time))
                },
                column("Type") { .string($0["type"]?.stringValue ?? "") },
                column("Reason") { .string($0["reason"]?.stringValue ?? "") },
                column("Object") { object in
                    .string("\((object[path: ["involvedObject", "kind"]]?.stringValue ?? "").lowercased())/"
                        + (object[path: ["involvedObject", "name"]]?.stringValue ?? ""))
                },
                column("Message") { .string($0["message"]?.stringValue ?? "") },
            ]
        case "customresourcedefinitions.apiextensions.k8s.io":
            return [nameColumn, column("Created At", "date") {
                $0[path: ["metadata", "creationTimestamp"]] ?? .null
            }]
        default:
            return [nameColumn, ageColumn]
        }
    }

    private func containerField(_ object: JSONValue, _ field: String) -> JSONValue {
        let values = (object[path: ["spec", "template", "spec", "containers"]]?.arrayValue ?? [])
            .compactMap { $0[field]?.stringValue }
        return .string(values.joined(separator: ","))
    }
}
