/// How the workload simulator behind Deployments behaves (see ``LocalClusterOptions/deploymentSimulation``).
///
/// The simulator stands in for the deployment and ReplicaSet controllers, kube-scheduler, the node
/// lifecycle controller, the pod garbage collector and the kubelets: Deployments get ReplicaSets,
/// ReplicaSets get Pods, Pods are scheduled onto nodes that can take them and become Ready `delay`
/// after they were bound. No container runs.
public struct DeploymentSimulationOptions: Sendable {
    /// How long a pod takes from being bound to a node to running and Ready (the simulated
    /// kubelet's start-up time). A rollout advances one step each time new pods become Ready.
    public var delay: Duration
    /// How long the simulated controllers wait after a change before they act, so that a burst of
    /// changes is handled in one go.
    public var reactionDelay: Duration
    /// The most pods one ReplicaSet gets, so that an absurd replica count cannot exhaust memory.
    /// A ReplicaSet asked for more keeps this many pods and reports `ReplicaFailure` (reason
    /// `FailedCreate`), as a real one does when a quota refuses its pods; its Deployment copies
    /// the condition and never completes its rollout.
    public var maxPodsPerReplicaSet: Int

    public init(delay: Duration = .milliseconds(300), reactionDelay: Duration = .milliseconds(20),
                maxPodsPerReplicaSet: Int = 250) {
        self.delay = delay
        self.reactionDelay = reactionDelay
        self.maxPodsPerReplicaSet = max(0, maxPodsPerReplicaSet)
    }
}
