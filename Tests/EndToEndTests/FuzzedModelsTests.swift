import Foundation
import KubeClient
import KubeModel
import ModelAPI
import Testing

/// Hostile and malformed InferenceModels from a seeded generator (`FUZZ_MODELS`, default 60;
/// the issue's 300 with `FUZZ_MODELS=300`): the API server refuses some; every one it accepts
/// gets a status with a reason, the operator never crashes, and valid models beside them become
/// Ready as usual.
@Suite struct FuzzedModelsTests {
    static var count: Int { Int(ProcessInfo.processInfo.environment["FUZZ_MODELS"] ?? "") ?? 60 }

    @Test func fuzzedModelsNeverCrashTheOperatorAndEachGetsAReason() async throws {
        try await E2EHarness.run { harness in
            var generator = ModelFuzzer(seed: 20_261_204, archiveURL: harness.archiveURL("m-1"), digest: harness.digest("m-1"))
            var accepted: [String] = []
            for index in 0..<Self.count {
                let body = generator.model(name: "fuzz-\(index)", namespace: harness.namespace)
                do {
                    _ = try await harness.client.create(.inferenceModels, namespace: harness.namespace, body: body)
                    accepted.append("fuzz-\(index)")
                } catch let error as KubeAPIError {
                    #expect(error.code < 500, "the API server failed on fuzz-\(index): \(error)")
                } catch {
                    Issue.record("fuzz-\(index) was not answered: \(error); body: \(body.jsonString.prefix(3000))")
                    throw error
                }
            }
            try await harness.apply(harness.modelYAML(name: "control-a", replicas: 1))
            try await harness.apply(harness.modelYAML(name: "control-b", layer: "cloud", replicas: 1))

            for name in accepted {
                try await eventually("fuzzed model \(name) has a Ready condition with a reason") {
                    let ready = try await harness.model(name).status?.condition(.ready)
                    return !(ready?.reason.rawValue ?? "").isEmpty && !(ready?.message ?? "").isEmpty
                }
            }
            _ = try await harness.waitUntilDeployed("control-a", version: "1")
            _ = try await harness.waitUntilDeployed("control-b", version: "1")
            let operatorProcess = try #require(harness.operators.first)
            #expect(operatorProcess.exitStatus == nil, "the operator exited:\n\(operatorProcess.log.suffix(2000))")
            #expect(!operatorProcess.log.contains("Fatal error"))
            print("fuzz: \(Self.count) generated, \(accepted.count) accepted by the API server, all with a status reason")
        }
    }
}

/// A seeded generator of InferenceModels with random, often hostile, field values. Download
/// URLs only ever name 127.0.0.1 (the network rule).
struct ModelFuzzer {
    private var random: SplitMix64
    let archiveURL: String
    let digest: String

    init(seed: UInt64, archiveURL: String, digest: String) {
        random = SplitMix64(seed: seed)
        self.archiveURL = archiveURL
        self.digest = digest
    }

    mutating func model(name: String, namespace: String) -> JSONValue {
        var spec: JSONValue = [
            "modelName": .string(name), "deployToLayer": "edge", "frameworkType": "tensorflow",
            "manifest": [["version": "1", "downloadURL": .string(archiveURL), "sha256sum": .string(digest)]],
            "servingPort": 8080, "replicas": 1,
        ]
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let field = Self.fields[Int.random(in: 0..<Self.fields.count, using: &random)]
            spec[field] = value(for: field)
        }
        return ["apiVersion": "ai.kubeedge.io/v1alpha1", "kind": "InferenceModel",
                "metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": spec]
    }

    static let fields = ["modelName", "deployToLayer", "frameworkType", "nodeSelector", "nodeName", "image", "manifest",
                         "targetVersion", "servingPort", "replicas", "resources", "gpu", "architectures", "tolerations"]

    private mutating func value(for field: String) -> JSONValue {
        switch Int.random(in: 0..<6, using: &random) {
        case 0: return anyValue(depth: 0)
        case 1: return .null
        default: return plausible(field)
        }
    }

    /// A value of the field's type, often at or past its limits.
    private mutating func plausible(_ field: String) -> JSONValue {
        switch field {
        case "servingPort", "replicas":
            return [0, -1, 1, 2, 8500, 65_535, 65_536, 1000, 1001, 9_223_372_036_854_775_807][Int.random(in: 0..<10, using: &random)]
        case "nodeSelector":
            var labels: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...40, using: &random) { labels[text(maxLength: 80)] = .string(text(maxLength: 70)) }
            return .object(labels)
        case "manifest":
            return .array((0..<Int.random(in: 0...3, using: &random)).map { index in
                ["version": .string(Bool.random(using: &random) ? "\(index + 1)" : text(maxLength: 10)),
                 "downloadURL": .string("http://127.0.0.1:\(Int.random(in: 1...65_535, using: &random))/\(text(maxLength: 30))"),
                 "sha256sum": .string(Bool.random(using: &random) ? digest : text(maxLength: 64))]
            })
        case "resources":
            return ["requests": .object([text(maxLength: 20): .string(["1e-100", "0.5", "-1", "1Ei", "2Gi", "abc"][Int.random(in: 0..<6, using: &random)])]),
                    "limits": ["memory": .string(["1Mi", "1e300", "500m"][Int.random(in: 0..<3, using: &random)])]]
        case "gpu":
            return ["memory": .string(["1.5G", "6Gi", "0", "-1Gi", "1e-100"][Int.random(in: 0..<5, using: &random)]),
                    "products": .array([.string(["Tesla-T4", "Tesla-P4", "A100", text(maxLength: 20)][Int.random(in: 0..<4, using: &random)])]),
                    "exclusive": .bool(Bool.random(using: &random))]
        case "architectures":
            return .array([.string(["amd64", "arm64", "x86_64"][Int.random(in: 0..<3, using: &random)])])
        case "tolerations":
            return [["key": .string(text(maxLength: 20)), "operator": .string(["Exists", "Equal", "In"][Int.random(in: 0..<3, using: &random)]),
                     "effect": "NoSchedule"]]
        default:
            return .string(text(maxLength: Bool.random(using: &random) ? 40 : 2000))
        }
    }

    private mutating func anyValue(depth: Int) -> JSONValue {
        switch Int.random(in: 0..<(depth > 1 ? 4 : 6), using: &random) {
        case 0: return .string(text(maxLength: 50))
        case 1: return .int(Int64.random(in: .min ... .max, using: &random))
        case 2: return .double([1e-100, 1e300, -0.5, 3.25][Int.random(in: 0..<4, using: &random)])
        case 3: return .bool(Bool.random(using: &random))
        case 4: return .array((0..<Int.random(in: 0...3, using: &random)).map { _ in anyValue(depth: depth + 1) })
        default: return .object([text(maxLength: 10): anyValue(depth: depth + 1)])
        }
    }

    /// Text with letters, digits, punctuation, control and bidi characters and combining marks.
    private mutating func text(maxLength: Int) -> String {
        let alphabet: [Unicode.Scalar] = Array("abcXYZ019-_./:@ ".unicodeScalars)
            + ["\u{0}", "\u{1B}", "\n", "\r", "\u{202E}", "\u{2066}", "\u{301}", "\u{200D}", "é", "界"]
        let length = Int.random(in: 0...maxLength, using: &random)
        var scalars = String.UnicodeScalarView()
        for _ in 0..<length { scalars.append(alphabet[Int.random(in: 0..<alphabet.count, using: &random)]) }
        return String(scalars)
    }
}
