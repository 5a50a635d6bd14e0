import Logging

/// How to start a ``LocalCluster``.
public struct LocalClusterOptions: Sendable {
    /// The loopback port to bind; 0 picks an ephemeral port.
    public var port: Int
    /// Accepted bearer tokens; nil turns authentication off.
    public var tokens: Set<String>?
    /// How many events the watch history keeps; watches from older resourceVersions get 410 Expired.
    public var historyWindow: Int
    /// How often watches that allow bookmarks receive a BOOKMARK event.
    public var bookmarkInterval: Duration
    /// Create a namespace on first use instead of answering 404 NotFound (the real server's behaviour).
    public var autoCreateNamespaces: Bool
    /// Simulate Deployment availability and Pods (see ``DeploymentSimulator``); nil turns it off.
    public var deploymentSimulation: DeploymentSimulationOptions?
    public var logger: Logger

    public init(port: Int = 0, tokens: Set<String>? = nil, historyWindow: Int = 10_000,
                bookmarkInterval: Duration = .seconds(10), autoCreateNamespaces: Bool = true,
                deploymentSimulation: DeploymentSimulationOptions? = nil,
                logger: Logger = Logger(label: "local-cluster")) {
        self.port = port
        self.tokens = tokens
        self.historyWindow = historyWindow
        self.bookmarkInterval = bookmarkInterval
        self.autoCreateNamespaces = autoCreateNamespaces
        self.deploymentSimulation = deploymentSimulation
        self.logger = logger
    }
}

/// How the Deployment availability simulator behaves.
public struct DeploymentSimulationOptions: Sendable {
    /// How long after a Deployment changes its status is brought in line with its spec.
    public var delay: Duration

    public init(delay: Duration = .milliseconds(300)) {
        self.delay = delay
    }
}
