import KubeModel
import ModelAPI

/// Renders the model's Service: one port, `servingPort`, in front of every serving pod.
public enum ServiceRenderer {
    public static func render(model: InferenceModel) -> Service {
        var service = Service(
            metadata: ObjectMeta(name: ChildNaming.primary(model), namespace: model.metadata.namespace,
                                 labels: ModelLabels.common(for: model),
                                 ownerReferences: DeploymentRenderer.ownerReference(model).map { [$0] }),
            spec: ServiceSpec(type: "ClusterIP", selector: ModelLabels.selector(for: model), ports: [
                ServicePort(port: model.spec.servingPort, name: "http", protocol: "TCP",
                            targetPort: .int(model.spec.servingPort)),
            ]))
        service.fillTypeMeta()
        return service
    }

    /// The URL other systems read from `status.url`: the Service's cluster DNS name and port.
    public static func url(for service: some KubeObject, port: Int) -> String {
        let namespace = service.metadata.namespace ?? "default"
        return "http://\(service.metadata.name ?? "").\(namespace).svc:\(port)"
    }
}
