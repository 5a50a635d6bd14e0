import Controller
import KubeClient

/// Everything `model-operator run` can be told, each default in one place: the command's flags
/// take their defaults from `RunOptions()`, and the operator runs from the parsed values. The
/// defaults themselves live with the types that use them (`OperatorOptions`, `OperatorSettings`,
/// `LeaderElectionConfig`, `ManagerOptions`, `ClientRequestLimits`), which this type gathers.
public struct RunOptions: Sendable {
    /// What the operator reconciles and how (scope, workers, rendering, downloads).
    public var operatorOptions = OperatorOptions()
    /// Grace period and signals.
    public var manager = ManagerOptions()
    /// Whether replicas elect a leader (`--leader-elect`); off by default, as in controller-runtime.
    public var leaderElect = false
    /// The Lease and its timings; its namespace is chosen at start (flag, pod namespace, kubeconfig).
    public var leaderElection = LeaderElectionConfig(namespace: "")
    /// Where `/metrics` is served (`host:port`, `:port` for all interfaces, `0` off).
    public var metricsBindAddress = ":8080"
    /// Where `/healthz`, `/livez` and `/readyz` are served; `0` turns them off.
    public var healthProbeBindAddress = ":8081"
    /// Client-side rate limits towards the API server (controller-runtime's 20 QPS, burst 30).
    public var requestLimits = ClientRequestLimits.controllerDefault
    public var logLevel = "info"
    /// json, logfmt or text.
    public var logFormat = "json"

    public init() {}

    /// The manager's options with leader election as chosen.
    public var managerOptions: ManagerOptions {
        var options = manager
        options.leaderElection = leaderElect ? leaderElection : nil
        return options
    }
}
