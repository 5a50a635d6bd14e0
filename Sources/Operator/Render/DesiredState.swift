import KubeModel
import ModelAPI

/// The objects a model should have in the cluster.
public struct DesiredState: Sendable, Equatable {
    public var deployments: [Deployment]
    public var service: Service

    /// Renders them (pure). With no `choice` (nothing verified yet and nothing serving) there is
    /// no Deployment; the Service exists from the start so `status.url` is known early.
    public static func render(model: InferenceModel, choice: ServingChoice?, scheduling: SchedulingState,
                              settings: OperatorSettings, storage: ArchiveStorage = ArchiveStorage()) -> DesiredState {
        let service = ServiceRenderer.render(model: model)
        guard let choice else { return DesiredState(deployments: [], service: service) }
        let slices: [DeploymentSlice]
        switch scheduling {
        case .placed(let placements), .partiallyPlaced(let placements, _):
            let perNode = Dictionary(grouping: placements, by: \.node).mapValues(\.count)
            slices = placements.map { .pinned($0, sharesNode: (perNode[$0.node] ?? 0) > 1) }
        case .byScheduler:
            slices = [.scheduled(replicas: model.spec.effectiveReplicas)]
        case .pending, .unplaceable:
            slices = []
        }
        let deployments = slices.map {
            DeploymentRenderer.render(model: model, choice: choice, slice: $0, settings: settings, storage: storage)
        }
        return DesiredState(deployments: deployments.sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") },
                            service: service)
    }
}
