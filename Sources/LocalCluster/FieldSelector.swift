import Foundation
import KubeModel

/// A parsed field selector (`metadata.name=x,involvedObject.kind!=Pod`). Only the fields the
/// real server supports for the resource are accepted.
public struct FieldSelector: Sendable, Equatable {
    struct Term: Sendable, Equatable {
        var path: [String]
        var value: String
        var negated: Bool
    }

    var terms: [Term]

    public static let everything = FieldSelector(terms: [])

    init(terms: [Term]) { self.terms = terms }

    /// Parses `text` for `type`; throws 400 BadRequest for malformed terms or unsupported fields.
    init(parsing text: String, for type: ResourceType) throws(APIError) {
        var terms: [Term] = []
        for raw in text.split(separator: ",") {
            let term = raw.trimmingCharacters(in: .whitespaces)
            if term.isEmpty { continue }
            var parsed: Term?
            for (op, negated) in [("!=", true), ("==", false), ("=", false)] {
                if let range = term.range(of: op) {
                    let field = String(term[..<range.lowerBound])
                    parsed = Term(path: field.split(separator: ".").map(String.init),
                                  value: String(term[range.upperBound...]), negated: negated)
                    break
                }
            }
            guard let parsed else { throw APIError.badRequest("invalid selector: '\(term)'; can't understand '\(term)'") }
            let field = parsed.path.joined(separator: ".")
            guard Self.supportedFields(for: type).contains(field) else {
                throw APIError.badRequest("field label not supported: \(field)")
            }
            terms.append(parsed)
        }
        self.terms = terms
    }

    static func supportedFields(for type: ResourceType) -> Set<String> {
        var fields: Set<String> = ["metadata.name", "metadata.namespace"]
        switch (type.group, type.plural) {
        case ("", "events"), ("events.k8s.io", "events"):
            fields.formUnion(["involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                              "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
                              "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type",
                              "regarding.kind", "regarding.name", "regarding.namespace", "regarding.uid"])
        case ("", "pods"):
            fields.formUnion(["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                              "status.phase", "status.podIP", "status.nominatedNodeName"])
        case ("", "nodes"): fields.insert("spec.unschedulable")
        case ("", "secrets"): fields.insert("type")
        case ("", "namespaces"): fields.insert("status.phase")
        default: break
        }
        return fields
    }

    public func matches(_ object: JSONValue) -> Bool {
        terms.allSatisfy { term in
            let actual = Self.text(of: object[path: term.path], field: term.path)
            return term.negated ? actual != term.value : actual == term.value
        }
    }

    private static func text(of value: JSONValue?, field: [String]) -> String {
        switch value {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .bool(let b): return String(b)
        case .double(let d): return String(d)
        default: return field == ["spec", "unschedulable"] ? "false" : ""
        }
    }
}
