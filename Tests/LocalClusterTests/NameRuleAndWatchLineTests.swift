import Foundation
import KubeModel
@testable import LocalCluster
import Testing

@Suite("Name rules over bytes, and watch lines encoded once")
struct NameRuleAndWatchLineTests {
    @Test("RFC 1123 subdomains, RFC 1123 labels and DNS-1035 labels accept and refuse what the API server does")
    func nameRules() {
        for valid in ["a", "web", "model-1", "a.b.c", "0abc", String(repeating: "a", count: 253)] {
            #expect(NameValidation.subdomainError(valid) == nil, "\(valid)")
        }
        for invalid in ["", "Web", "-a", "a-", "a_b", "a.", "é", "a b", String(repeating: "a", count: 254)] {
            #expect(NameValidation.subdomainError(invalid) != nil, "\(invalid)")
        }
        for valid in ["a", "model-1", "0abc", String(repeating: "z", count: 63)] {
            #expect(NameValidation.labelError(valid) == nil, "\(valid)")
        }
        for invalid in ["", "a.b", "A", "a-", "-a", "ü", String(repeating: "z", count: 64)] {
            #expect(NameValidation.labelError(invalid) != nil, "\(invalid)")
        }
        #expect(NameValidation.dns1035LabelError("web-1") == nil)
        for invalid in ["1web", "web-", "Web", "web_1", ""] {
            #expect(NameValidation.dns1035LabelError(invalid) != nil, "\(invalid)")
        }
    }

    @Test("label keys and values: prefixes are subdomains, names and values qualified names of at most 63")
    func labelRules() {
        let good: JSONValue = ["metadata": ["labels": [
            "app.kubernetes.io/name": "My_Model.v1", "tier": "", "x": .string(String(repeating: "v", count: 63)),
        ]]]
        #expect(NameValidation.labelErrors(good).isEmpty)
        let bad: JSONValue = ["metadata": ["labels": [
            "Bad_Prefix/name": "ok", "ok": "-starts-with-dash", "fine": .string(String(repeating: "v", count: 64)),
            "_key": "ok", "number": 3,
        ]]]
        let fields = NameValidation.labelErrors(bad).map(\.description)
        #expect(fields.count == 5, "\(fields)")
    }

    @Test("a watch event line is the event as one line of JSON, and every watch shares the payload's bytes")
    func watchEventLine() throws {
        let object: JSONValue = ["metadata": ["name": "m", "namespace": "ns", "labels": ["b": "2", "a": "1\"quoted\""]],
                                 "spec": ["replicas": 2, "note": "tab\there/slash", "ratio": 0.5]]
        let payload = WatchPayload(object)
        let type = BuiltinResources.deployments
        var presented = object
        presented["apiVersion"] = .string(type.apiVersion)
        presented["kind"] = .string(type.kind)
        for eventType in [WatchEventType.added, .modified, .deleted] {
            let expected: JSONValue = ["type": .string(eventType.rawValue), "object": presented]
            let line = payload.eventLine(eventType, presentingAs: type)
            #expect(line.last == UInt8(ascii: "\n") && line.dropLast().allSatisfy { $0 != UInt8(ascii: "\n") })
            #expect(try JSONDecoder().decode(JSONValue.self, from: Data(line)) == expected)
        }
        let shared = payload.json(presentingAs: type)
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(shared)) == presented)
        #expect(payload.json(presentingAs: type) == shared, "the second watch gets the same bytes")
    }
}
