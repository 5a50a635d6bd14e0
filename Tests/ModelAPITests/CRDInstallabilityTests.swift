import Foundation
import KubeModel
import Testing

/// The CRD installs on every kube-apiserver from 1.25 on under kubectl's strict validation:
/// checked against the rules a real server applies, and the rules checked against what a real
/// 1.25 server refused (the recorded `crd-create-*-422` fixtures).
@Suite struct CRDInstallabilityTests {
    @Test func theCRDPassesEveryRuleOfA125APIServer() throws {
        let crd = try CRDTests.crd()
        let refusals = KubeAPIServer125Rules.refusals(ofCRD: crd)
        #expect(refusals.isEmpty, "a 1.25 API server would refuse the CRD: \(refusals.sorted())")
    }

    @Test func rootMetadataSaysOnlyThatItIsAnObject() throws {
        let schema = try RepositoryFiles.crdSchema()
        #expect(schema[path: ["properties", "metadata"]] == ["type": "object"])
    }

    @Test func celRulesUseOnlyRuleAndMessage() throws {
        var seen = 0
        func walk(_ value: JSONValue) {
            if let rules = value["x-kubernetes-validations"]?.arrayValue {
                for rule in rules {
                    seen += 1
                    #expect(Set(rule.objectValue?.keys.map { $0 } ?? []) == ["rule", "message"], "\(rule.jsonString)")
                    #expect((rule["message"]?.stringValue ?? "").count > 40, "a message that says what to fix")
                }
            }
            for child in value.objectValue?.values.map({ $0 }) ?? [] { walk(child) }
            for child in value.arrayValue ?? [] { walk(child) }
        }
        walk(try RepositoryFiles.crdSchema())
        #expect(seen >= 3, "the walk found the CRD's rules")
    }

    /// The rules refuse what a real server refused, with the same field path and words.
    @Test(arguments: ["crd-create-metadata-description-422", "crd-create-nonstructural-422"])
    func theRulesRefuseWhatA125ServerRefused(fixture: String) throws {
        let exchange = try APIServerFixtures.exchange(fixture)
        #expect(exchange["status"] == 422)
        let cause = try #require(exchange[path: ["body", "details", "causes"]]?[0])
        let field = try #require(cause["field"]?.stringValue)
        let message = try #require(cause["message"]?.stringValue)
        let refusals = KubeAPIServer125Rules.refusals(ofCRD: try #require(exchange[path: ["request", "body"]]))
        #expect(refusals.contains { $0 == "\(field): \(message)" }, "\(refusals)")
    }

    @Test func fieldsThatCameAfter125AreRefused() throws {
        let schema: JSONValue = [
            "type": "object",
            "properties": ["metadata": ["type": "object"], "spec": ["type": "object", "x-kubernetes-validations": [
                ["rule": "self.a > 0", "message": "a must be positive", "messageExpression": "'a'", "fieldPath": ".a"],
            ]]],
        ]
        let refusals = KubeAPIServer125Rules.schemaRefusals(schema, at: "openAPIV3Schema")
        #expect(refusals.contains { $0.contains("\"messageExpression\"") })
        #expect(refusals.contains { $0.contains("\"fieldPath\"") })
    }
}

/// Recorded answers of a real kube-apiserver 1.25 (`../shared/fixtures/kube-apiserver-1.25/`).
enum APIServerFixtures {
    static let directory = RepositoryFiles.root.deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures/kube-apiserver-1.25")

    /// One recorded exchange (`NAME.json`): request, status, headers and body.
    static func exchange(_ name: String) throws -> JSONValue {
        let data = try Data(contentsOf: directory.appendingPathComponent("\(name).json"))
        return try JSONDecoder().decode(JSONValue.self, from: data)
    }
}
