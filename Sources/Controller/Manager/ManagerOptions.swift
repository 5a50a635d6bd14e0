/// How a `Manager` runs its process: leader election, shutdown and signals. The defaults here
/// are the ones the command-line flags show (controller-runtime's).
public struct ManagerOptions: Sendable {
    /// Leader election on a Lease; nil: this replica always leads.
    public var leaderElection: LeaderElectionConfig?
    /// How long in-flight work gets to finish after SIGTERM or SIGINT (or `shutDown()`) before
    /// it is cancelled (`--graceful-shutdown-timeout`).
    public var gracefulShutdownTimeout: Duration = .seconds(30)
    /// Whether SIGTERM and SIGINT shut the manager down gracefully (a second one cancels at once);
    /// off where the manager runs inside another program (tests, the demo).
    public var handlesSignals = true

    public init(leaderElection: LeaderElectionConfig? = nil, handlesSignals: Bool = true) {
        self.leaderElection = leaderElection
        self.handlesSignals = handlesSignals
    }

    /// A manager inside another program: no signals, no election.
    public static var inProcess: ManagerOptions { ManagerOptions(handlesSignals: false) }
}
