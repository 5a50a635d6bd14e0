import Logging

/// How to start a ``LocalCluster``.
public struct LocalClusterOptions: Sendable {
    /// The loopback port to bind; 0 picks an ephemeral port.
    public var port: Int
    /// Accepted bearer tokens; nil turns authentication off.
    public var tokens: Set<String>?
    /// Bearer tokens of users without any rights (token -> user name, such as
    /// `system:serviceaccount:default:nobody`): their resource requests get 403 Forbidden.
    public var restrictedTokens: [String: String] = [:]
    /// How many events the watch history keeps; watches from older resourceVersions get 410 Expired.
    public var historyWindow: Int
    /// How often watches that allow bookmarks receive a BOOKMARK event.
    public var bookmarkInterval: Duration
    /// Create a namespace on first use instead of answering 404 NotFound (the real server's behaviour).
    public var autoCreateNamespaces: Bool
    /// When set, every watch event is written as several HTTP chunks of random sizes in this range
    /// (bytes), splitting JSON lines anywhere: for testing clients' partial-line buffering.
    public var watchChunkSizes: ClosedRange<Int>?
    /// How a watch from a too-old resourceVersion is refused: with HTTP 200 and an `ERROR` event
    /// holding a 410 Status (the usual way), or with HTTP 410 itself (as some servers do).
    public var expiredWatchAsHTTPStatus: Bool
    /// Simulate the controllers, scheduler and kubelets behind Deployments (see ``DeploymentSimulationOptions``); nil turns it off.
    public var deploymentSimulation: DeploymentSimulationOptions?
    public var logger: Logger

    public init(port: Int = 0, tokens: Set<String>? = nil, historyWindow: Int = 10_000,
                bookmarkInterval: Duration = .seconds(10), autoCreateNamespaces: Bool = true,
                deploymentSimulation: DeploymentSimulationOptions? = nil, watchChunkSizes: ClosedRange<Int>? = nil,
                expiredWatchAsHTTPStatus: Bool = false, logger: Logger = Logger(label: "local-cluster")) {
        self.expiredWatchAsHTTPStatus = expiredWatchAsHTTPStatus
        self.watchChunkSizes = watchChunkSizes
        self.port = port
        self.tokens = tokens
        self.historyWindow = historyWindow
        self.bookmarkInterval = bookmarkInterval
        self.autoCreateNamespaces = autoCreateNamespaces
        self.deploymentSimulation = deploymentSimulation
        self.logger = logger
    }
}
