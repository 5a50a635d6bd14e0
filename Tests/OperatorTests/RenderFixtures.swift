import Foundation
import KubeModel
import ModelAPI
@testable import Operator

/// Models and helpers shared by the renderer tests.
enum RenderFixtures {
    static let digest3 = String(repeating: "a", count: 64)
    static let digest4 = String(repeating: "b", count: 64)

    static func model(layer: DeployLayer = .edge, image: String? = nil, replicas: Int? = 2,
                      gpu: GPURequirements? = nil, nodeSelector: [String: String]? = nil,
                      nodeName: String? = nil, generation: Int64 = 1) -> InferenceModel {
        InferenceModel(
            metadata: ObjectMeta(name: "facialexpression", namespace: "vision", uid: "uid-1", generation: generation),
            spec: InferenceModelSpec(
                modelName: "facialexpression", deployToLayer: layer, frameworkType: "tensorflow",
                nodeSelector: nodeSelector, nodeName: nodeName, image: image,
                manifest: [
                    InferenceModelFile(version: "3", downloadURL: "http://127.0.0.1:18080/m3.tar.gz", sha256sum: digest3),
                    InferenceModelFile(version: "4", downloadURL: "http://127.0.0.1:18080/m4.tar.gz", sha256sum: digest4),
                ],
                targetVersion: "4", servingPort: 8080, replicas: replicas, gpu: gpu))
    }

    static var version4: InferenceModelFile { model().spec.manifest?[1] ?? InferenceModelFile(version: "", downloadURL: "", sha256sum: "") }

    /// A Deployment as the cluster reports it after a rollout of `version` finished (or not).
    static func observed(_ deployment: Deployment, available: Int, updated: Int? = nil, observedGeneration: Int64 = 1) -> Deployment {
        var copy = deployment
        copy.metadata.generation = 1
        let want = deployment.spec?.replicas ?? 1
        copy.status = DeploymentStatus(observedGeneration: observedGeneration, replicas: want,
                                       updatedReplicas: updated ?? want, readyReplicas: available,
                                       availableReplicas: available)
        return copy
    }
}
