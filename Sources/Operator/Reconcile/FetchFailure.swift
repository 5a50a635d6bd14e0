import KubeModel
import ModelAPI
import ModelFetch

/// A serving pod whose `fetch-model` init container failed: its termination message (written by
/// `model-operator fetch`) says why, and the operator shows it in the model's status.
public struct FetchFailure: Sendable, Hashable {
    public var pod: String
    public var node: String?
    public var reason: ModelConditionReason
    public var message: String

    /// The failures of a model's pods, most recent state first (current, then last).
    static func failures(in pods: [ModelPod]) -> [FetchFailure] {
        pods.compactMap { pod in
            guard let status = pod.status?.initContainerStatuses?.first(where: { $0.name == ContainerRenderer.fetchContainerName }),
                  let terminated = [status.state?.terminated, status.lastState?.terminated]
                      .compactMap({ $0 }).first(where: { $0.exitCode != 0 })
            else { return nil }
            let text = terminated.message ?? terminated.reason ?? "exit code \(terminated.exitCode)"
            let parsed = TerminationMessage.parse(text)
            return FetchFailure(pod: pod.metadata.name ?? "", node: pod.spec?.nodeName,
                                reason: ModelConditionReason(rawValue: parsed?.reason ?? "FetchFailed"),
                                message: parsed?.message ?? text)
        }.sorted { $0.pod < $1.pod }
    }

    /// The sentence for the status: which pod, where, and the fetch's own explanation.
    public var summary: String {
        "pod \(pod)\(node.map { " on node \($0)" } ?? ""): model fetch failed: \(message)"
    }
}
