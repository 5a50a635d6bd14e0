import FastJSON
import Foundation
import KubeClient
import KubeModel
import Testing
@testable import Operator

/// The pod informer decodes `PodFootprint` (nested containers, `try?` on parts) on the watch
/// path with FastJSONDecoder: the same footprints as JSONDecoder, from real and hostile pods.
@Suite struct FastJSONPodFootprintTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("../shared/fixtures/kube-apiserver-1.25").standardizedFileURL

    struct Exchange: Decodable, Equatable {
        struct Body: Decodable, Equatable { var items: [PodFootprint] }
        var body: Body
    }

    @Test func theRecordedPodListGivesTheSameFootprints() throws {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent("pod-list.json"))
        let expected = try JSONDecoder().decode(Exchange.self, from: data)
        #expect(try FastJSONDecoder().decode(Exchange.self, from: data) == expected)
        #expect(!expected.body.items.isEmpty)
    }

    @Test func hostilePodsGiveTheSameFootprints() {
        let pods = [
            #"{"metadata":{"name":"p","labels":{"a":1}},"spec":{"nodeName":"n","containers":[{"resources":{"requests":{"cpu":"500m"}}}]}}"#,
            #"{"metadata":{"name":"p"},"spec":"none","status":7}"#,
            #"{"metadata":{"name":"p"},"spec":{"containers":[{"resources":[]},{"resources":{"limits":{"memory":"1Gi"}}}]}}"#,
            #"{"metadata":{"name":"p"},"spec":{"containers":[{"resources":{"requests":{"cpu":"lots"}}}]}}"#,
            #"{"metadata":{"name":"p"},"spec":{"overhead":{"cpu":0.25},"initContainers":[{"resources":{"requests":{"cpu":2}}}]}}"#,
            #"{"metadata":{},"spec":{}}"#,
        ]
        for pod in pods {
            let data = Data(pod.utf8)
            #expect((try? JSONDecoder().decode(PodFootprint.self, from: data))
                        == (try? FastJSONDecoder().decode(PodFootprint.self, from: data)), "\(pod)")
        }
    }
}
