import KubeModel

/// Image-based InferenceModels: the cheapest kind to reconcile (no archive to verify).
enum ImageModels {
    /// The serving port: 8080, where `E2E_IMAGE_MODEL` images listen on a real cluster.
    static let servingPort = 8080

    /// An image-based model on the cloud layer, one replica.
    static func manifest(name: String, namespace: String,
                         image: String = E2EEnvironment.current.imageModelReference) -> JSONValue {
        [
            "apiVersion": "ai.kubeedge.io/v1alpha1",
            "kind": "InferenceModel",
            "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "spec": [
                "modelName": .string(name),
                "deployToLayer": "cloud",
                "frameworkType": "tensorflow",
                "image": .string(image),
                "servingPort": .int(Int64(servingPort)),
                "replicas": 1,
            ],
        ]
    }

    /// Whether the stored object's Ready condition is True.
    static func isReady(_ object: JSONValue) -> Bool {
        object[path: ["status", "conditions"]]?.arrayValue?.contains {
            $0["type"] == "Ready" && $0["status"] == "True"
        } ?? false
    }
}
