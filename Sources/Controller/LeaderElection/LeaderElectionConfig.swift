import Foundation

/// Where and how replicas elect a leader: a `coordination.k8s.io/v1` Lease, with client-go's
/// defaults (15 s lease, 10 s renew deadline, 2 s retry).
public struct LeaderElectionConfig: Sendable, Equatable {
    public var namespace: String
    public var name: String
    /// This replica: the host name plus a unique suffix, so two processes on one host differ.
    public var identity: String
    /// How long a lease holds without renewal before others may take it.
    public var leaseDuration: Duration
    /// How long the leader keeps trying to renew before it gives up leadership.
    public var renewDeadline: Duration
    /// How often to try to acquire or renew.
    public var retryPeriod: Duration

    public init(namespace: String, name: String = "model-operator-leader", identity: String = LeaderElectionConfig.defaultIdentity(),
                leaseDuration: Duration = .seconds(15), renewDeadline: Duration = .seconds(10),
                retryPeriod: Duration = .seconds(2)) {
        self.namespace = namespace
        self.name = name
        self.identity = identity
        self.leaseDuration = leaseDuration
        self.renewDeadline = renewDeadline
        self.retryPeriod = retryPeriod
    }

    /// `<hostname>_<random suffix>`, as controller-runtime names its candidates.
    public static func defaultIdentity() -> String {
        "\(ProcessInfo.processInfo.hostName)_\(UUID().uuidString.lowercased().prefix(8))"
    }

    /// Checks the timings make sense together (client-go's rules).
    public func validate() throws {
        guard leaseDuration > renewDeadline else {
            throw LeaderElectionError("the lease duration (\(leaseDuration)) must be longer than the renew deadline (\(renewDeadline))")
        }
        guard renewDeadline > retryPeriod else {
            throw LeaderElectionError("the renew deadline (\(renewDeadline)) must be longer than the retry period (\(retryPeriod))")
        }
    }
}

/// Leader election cannot run as configured, and why.
public struct LeaderElectionError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
