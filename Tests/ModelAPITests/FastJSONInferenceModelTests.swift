import FastJSON
import Foundation
import KubeClient
import KubeModel
import ModelAPI
import Testing

/// InferenceModels reach the operator through the list and watch paths, which decode with
/// FastJSONDecoder: what a real kube-apiserver sent must decode exactly as with JSONDecoder.
@Suite struct FastJSONInferenceModelTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("../shared/fixtures/kube-apiserver-1.25").standardizedFileURL

    struct Exchange<Body: Decodable & Equatable>: Decodable, Equatable {
        var body: Body?
    }

    static let exchanges = ["inferencemodel-create", "inferencemodel-create-null-image", "inferencemodel-get-after-status",
                            "inferencemodel-status-update", "inferencemodel-delete", "inferencemodel-list",
                            "inferencemodel-create-invalid-port-70000-422"]

    @Test(arguments: exchanges)
    func fixturesDecodeAsWithJSONDecoder(name: String) throws {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent("\(name).json"))
        let asModel = (try? JSONDecoder().decode(Exchange<InferenceModel>.self, from: data))
        #expect(asModel == (try? FastJSONDecoder().decode(Exchange<InferenceModel>.self, from: data)))
        let asList = (try? JSONDecoder().decode(Exchange<KubeList<InferenceModel>>.self, from: data))
        #expect(asList == (try? FastJSONDecoder().decode(Exchange<KubeList<InferenceModel>>.self, from: data)))
        #expect(asModel?.body?.spec.modelName.isEmpty == false || asList?.body?.items.isEmpty == false || name.hasSuffix("422")
                    || name.hasSuffix("delete"))
    }

    @Test func theRecordedWatchDecodesAsWithJSONDecoder() throws {
        let stream = try Data(contentsOf: Self.directory.appendingPathComponent("inferencemodel-watch.watch.jsonl"))
        var decoder = WatchStreamDecoder<InferenceModel>()
        let events = try decoder.decode(stream) + (try decoder.finish())
        let lines = stream.split(separator: 0x0A)
        #expect(events.count == lines.count && !lines.isEmpty)
        for (event, line) in zip(events, lines) {
            let expected = try JSONDecoder().decode(WatchEnvelope<InferenceModel>.self, from: Data(line))
            switch (event, expected) {
            case (.added(let a), .added(let b)), (.modified(let a), .modified(let b)), (.deleted(let a), .deleted(let b)):
                #expect(a == b)
            case (.bookmark(let a), .bookmark(let b)):
                #expect(a == b)
            default:
                Issue.record("watch path gave \(event), JSONDecoder gave \(expected)")
            }
        }
    }

    @Test func hostileSpecsAreRefusedOrDecodedAlike() throws {
        let specs = [
            #"{"modelName":"m","deployToLayer":"edge","servingPort":8080,"replicas":2.0,"targetVersion":4}"#,
            #"{"modelName":"m","deployToLayer":"edge","servingPort":"http"}"#,
            #"{"modelName":"m","deployToLayer":"edge","servingPort":8080,"replicas":null,"manifest":[{"version":1.5}]}"#,
            #"{"modelName":"m","deployToLayer":"edge","servingPort":8080,"resources":{"cpu":2,"memory":"1Gi"}}"#,
            #"{"modelName":"m","deployToLayer":"edge","servingPort":1e3,"replicas":9.3e18}"#,
            #"{"modelName":null,"deployToLayer":"edge","servingPort":8080,"image":""}"#,
        ]
        for spec in specs {
            let data = Data(#"{"apiVersion":"ai.kubeedge.io/v1alpha1","kind":"InferenceModel","metadata":{"name":"x"},"spec":\#(spec)}"#.utf8)
            #expect((try? JSONDecoder().decode(InferenceModel.self, from: data))
                        == (try? FastJSONDecoder().decode(InferenceModel.self, from: data)), "\(spec)")
        }
    }
}
