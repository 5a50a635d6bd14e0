import Metrics

/// `kube_client_undecodable_objects_total{resource}`: objects skipped because they did not decode.
public enum UndecodableObjectMetrics {
    public static let name = "kube_client_undecodable_objects_total"

    static func counter(resource: String) -> Counter {
        Counter(label: name, dimensions: [("resource", resource)])
    }
}
