@testable import KubeClient
import Testing

@Suite struct APIResourceLabelTests {
    @Test("writes are labelled with the resource their path names, subresources included")
    func resources() {
        let cases: [(String, String)] = [
            ("/apis/apps/v1/namespaces/ns/deployments", "deployments"),
            ("/apis/apps/v1/namespaces/ns/deployments/m", "deployments"),
            ("/apis/ai.kubeedge.io/v1alpha1/namespaces/ns/inferencemodels/m/status", "inferencemodels/status"),
            ("/api/v1/namespaces/ns/events", "events"),
            ("/api/v1/namespaces/ns/services/m?fieldManager=x", "services"),
            ("/api/v1/namespaces/ns", "namespaces"),
            ("/api/v1/namespaces", "namespaces"),
            ("/api/v1/nodes/n1/status", "nodes/status"),
            ("/version", "other"),
        ]
        for (path, resource) in cases { #expect(APIResourceLabel.resource(ofPath: path) == resource, "\(path)") }
    }
}
