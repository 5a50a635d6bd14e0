import KubeModel
import ModelAPI
import Testing
@testable import Operator

/// `model_operator_models{condition,status}` counts models per condition and status.
@Suite struct ModelConditionGaugeTests {
    static func model(_ name: String, conditions: [(String, String)]) throws -> InferenceModel {
        let json: JSONValue = [
            "apiVersion": "ai.kubeedge.io/v1alpha1", "kind": "InferenceModel",
            "metadata": ["name": .string(name), "namespace": "default"],
            "spec": ["modelName": .string(name), "deployToLayer": "cloud", "frameworkType": "tensorflow",
                     "image": "localhost:5000/m:1"],
            "status": ["conditions": .array(conditions.map { type, status in
                ["type": .string(type), "status": .string(status), "reason": "Serving", "message": ""]
            })],
        ]
        return try json.decode(as: InferenceModel.self)
    }

    @Test func countsEachStatusAndAMissingConditionAsUnknown() throws {
        let models = [
            try Self.model("ready", conditions: [("Ready", "True"), ("Verified", "True")]),
            try Self.model("broken", conditions: [("Ready", "False"), ("Verified", "False")]),
            try Self.model("fresh", conditions: []),
            try Self.model("also-ready", conditions: [("Ready", "True")]),
        ]
        let counts = ModelConditionGauge.counts(models, conditions: [.ready, .verified, .scheduled])
        #expect(counts[.ready] == [.true: 2, .false: 1, .unknown: 1])
        #expect(counts[.verified] == [.true: 1, .false: 1, .unknown: 2])
        #expect(counts[.scheduled] == [.true: 0, .false: 0, .unknown: 4])
        #expect(ModelConditionGauge.counts([])[.ready] == [.true: 0, .false: 0, .unknown: 0])
    }
}
