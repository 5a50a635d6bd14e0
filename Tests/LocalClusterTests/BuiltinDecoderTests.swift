import KubeModel
@testable import LocalCluster
import Testing

@Suite("BuiltinDecoder: the same verdict whatever the order of a body's members")
struct BuiltinDecoderTests {
    private let decoder = BuiltinDecoder.forType(BuiltinResources.deployments)

    /// A Deployment body with `count` extra labels, built anew so each dictionary has an order of its own.
    private func body(labels count: Int, badReplicas: Bool, badLabel: Bool, unknown: Bool) -> JSONValue {
        var labels: [String: JSONValue] = [:]
        for index in 0..<count { labels["label-\(index)"] = .string("v\(index)") }
        if badLabel {
            labels["aa-bad"] = .int(7)
            labels["zz-bad"] = .bool(true)
        }
        var container: [String: JSONValue] = ["name": "serving", "image": "registry.local/serving:1"]
        if unknown { container["colour"] = "blue" }
        return [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": "m1", "labels": .object(labels)],
            "spec": [
                "replicas": badReplicas ? "two" : 2,
                "selector": ["matchLabels": ["app": "m1"]],
                "template": ["metadata": ["labels": ["app": "m1"]],
                             "spec": ["containers": .array([.object(container)])]],
            ],
        ]
    }

    @Test("with several wrong types the error named is always the first in key order (number before bool here)")
    func firstErrorIsStable() throws {
        let decoder = try #require(decoder)
        for count in 0..<40 {
            #expect {
                try decoder.decode(body(labels: count, badReplicas: true, badLabel: true, unknown: false))
            } throws: { error in
                (error as? BuiltinDecoder.Failure)?.detail
                    == "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string"
            }
        }
    }

    @Test("unknown fields are named by their display path; a valid body decodes to itself")
    func unknownFieldsAndValidBodies() throws {
        let decoder = try #require(decoder)
        let result = try decoder.decode(body(labels: 3, badReplicas: false, badLabel: false, unknown: true))
        #expect(result.unknownFields == ["spec.template.spec.containers[0].colour"])
        #expect(result.object[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first?["colour"] == nil)
        let clean = body(labels: 3, badReplicas: false, badLabel: false, unknown: false)
        #expect(try decoder.decode(clean).object == clean)
        #expect(try decoder.decode(clean).unknownFields.isEmpty)
    }
}
