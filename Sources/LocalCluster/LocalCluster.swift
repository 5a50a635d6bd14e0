import Foundation
import KubeModel
import Logging

/// An embedded Kubernetes API server for the demo, development and tests: in-memory storage,
/// discovery, CRDs, watches, tables and OpenAPI enough for the real kubectl, bound to 127.0.0.1 only.
/// It runs no containers; it can simulate nodes and what a cluster does with Deployments
/// (ReplicaSets, scheduling, rollouts, pod readiness: see ``DeploymentSimulationOptions``).
///
/// ```swift
/// let cluster = try await LocalCluster.start()
/// try cluster.writeKubeconfig(to: url)   // kubectl --kubeconfig url get nodes
/// await cluster.stop()
/// ```
public final class LocalCluster: Sendable {
    /// Direct, in-process access to the cluster state (reads, writes, write counters, compaction).
    public let store: ClusterStore
    public let port: Int
    private let server: HTTPServer
    private let auth: AuthGate
    private let simulator: DeploymentSimulator?

    /// `http://127.0.0.1:PORT`.
    public var baseURL: URL {
        // A literal loopback URL with a numeric port always parses.
        URL(string: "http://127.0.0.1:\(port)")!
    }

    private init(store: ClusterStore, port: Int, server: HTTPServer, auth: AuthGate, simulator: DeploymentSimulator?) {
        self.store = store
        self.port = port
        self.server = server
        self.auth = auth
        self.simulator = simulator
    }

    /// Starts a cluster on 127.0.0.1 (port 0 = ephemeral).
    public static func start(_ options: LocalClusterOptions = LocalClusterOptions()) async throws -> LocalCluster {
        let store = ClusterStore(historyWindow: options.historyWindow, autoCreateNamespaces: options.autoCreateNamespaces,
                                 logger: options.logger)
        let auth = AuthGate(tokens: options.tokens, restricted: options.restrictedTokens)
        let handler = APIHandler(store: store, auth: auth, bookmarkInterval: options.bookmarkInterval,
                                 watchChunkSizes: options.watchChunkSizes,
                                 expiredWatchAsHTTPStatus: options.expiredWatchAsHTTPStatus, logger: options.logger)
        let server = try await HTTPServer.start(host: "127.0.0.1", port: options.port, handler: handler)
        var simulator: DeploymentSimulator?
        if let simulation = options.deploymentSimulation {
            simulator = await DeploymentSimulator.start(store: store, options: simulation)
        }
        return LocalCluster(store: store, port: server.port, server: server, auth: auth, simulator: simulator)
    }

    /// Stops the server, ends every watch and the simulator.
    public func stop() async {
        await simulator?.stop()
        await store.shutdown()
        await server.stop()
    }

    /// The kubeconfig text for this cluster (with a token when authentication is on).
    public func kubeconfig() async -> String {
        KubeconfigWriter.text(server: baseURL.absoluteString, token: await auth.anyToken)
    }

    /// Writes a kubeconfig for this cluster to `url` (mode 0600), creating parent directories.
    public func writeKubeconfig(to url: URL) async throws {
        try KubeconfigWriter.write(await kubeconfig(), to: url)
    }

    /// Replaces the accepted bearer tokens (nil turns authentication off).
    public func setTokens(_ tokens: Set<String>?) async {
        await auth.setTokens(tokens)
    }

    /// Drops the watch history: watches from earlier resourceVersions then get a 410 ERROR event.
    public func compactHistory() async {
        await store.compactHistory()
    }

    /// Looks up a served resource type (built-in or from a CRD).
    public func resourceType(_ gvr: GroupVersionResource) async -> ResourceType? {
        await store.resourceType(group: gvr.group, version: gvr.version, plural: gvr.resource)
    }

    /// Reads one object.
    public func get(_ gvr: GroupVersionResource, namespace: String? = nil, name: String) async throws -> JSONValue {
        try await store.get(try await requireType(gvr), namespace: namespace, name: name)
    }

    /// Lists objects (all namespaces when `namespace` is nil).
    public func list(_ gvr: GroupVersionResource, namespace: String? = nil) async throws -> [JSONValue] {
        await store.list(try await requireType(gvr), namespace: namespace)
    }

    /// Watches objects in-process (all namespaces when `namespace` is nil): every object there is
    /// now as ADDED, then each change, as stored (no JSON). Ending the iteration ends the watch.
    public func changes(of gvr: GroupVersionResource, namespace: String? = nil) async throws
        -> AsyncStream<(WatchEventType, JSONValue)>
    {
        let (items, subscription) = try await store.watch(try await requireType(gvr), namespace: namespace,
                                                          labelSelector: .everything, fieldSelector: .everything,
                                                          resourceVersion: nil)
        let (changes, continuation) = AsyncStream<(WatchEventType, JSONValue)>.makeStream()
        let store = self.store
        let feeder = Task {
            for await item in items {  // Ends when the caller's iteration ends (the feeder is cancelled).
                guard case .event(let type, let payload) = item else { continue }
                continuation.yield((type, payload.object))
            }
            continuation.finish()
            if let subscription { await store.endWatch(subscription) }
        }
        continuation.onTermination = { _ in feeder.cancel() }
        return changes
    }

    /// Creates an object in-process (counted like an API write).
    @discardableResult
    public func create(_ gvr: GroupVersionResource, namespace: String? = nil, _ object: JSONValue) async throws
        -> JSONValue
    {
        try await store.create(try await requireType(gvr), namespace: namespace, object: object)
    }

    /// Replaces an object (or with `subresource: "status"`, its status) in-process.
    @discardableResult
    public func update(_ gvr: GroupVersionResource, namespace: String? = nil, _ object: JSONValue,
                       subresource: String? = nil) async throws -> JSONValue {
        try await store.update(try await requireType(gvr), namespace: namespace, name: object.metaName, object: object,
                               subresource: subresource)
    }

    /// Deletes an object in-process.
    @discardableResult
    public func delete(_ gvr: GroupVersionResource, namespace: String? = nil, name: String,
                       propagationPolicy: String? = nil) async throws -> JSONValue {
        try await store.delete(try await requireType(gvr), namespace: namespace, name: name,
                               propagationPolicy: propagationPolicy)
    }

    /// Successful API writes of `verb` (`create`, `update`, `patch`, `apply`, `delete`, `update/status`,
    /// `patch/status`, ...) to `resource` (`deployments` or `deployments.apps`).
    public func writeCount(verb: String, resource: String) async -> Int {
        await store.writeCount(verb: verb, resource: resource)
    }

    /// Marks (or unmarks) a Deployment as failing: the pods of its current ReplicaSet (its present
    /// template) crash-loop and are never Ready, as with a bad image; pods of older ReplicaSets keep
    /// running, so a rollout to a failing template stalls while the old pods serve.
    public func setDeploymentFailing(namespace: String, name: String, failing: Bool = true) async {
        await simulator?.setFailing(namespace: namespace, name: name, failing: failing)
    }

    /// Makes the pods of a Deployment's next template crash-loop, as a broken new image would,
    /// while the pods that serve now keep serving; `setDeploymentFailing(…, failing: false)` ends it.
    public func setNextRolloutFailing(namespace: String, name: String) async {
        await simulator?.setFailing(namespace: namespace, name: name, failing: true, sparingCurrentPods: true)
    }

    /// Makes the pods of a Deployment's next template fail in the init container `initContainer`,
    /// which exits 1 with `message` as its termination message and restarts in CrashLoopBackOff
    /// (as a failed model download does), while the pods that serve now keep serving;
    /// `setDeploymentFailing(…, failing: false)` ends it.
    public func setNextRolloutFailingInit(namespace: String, name: String, initContainer: String, message: String) async {
        await simulator?.setFailing(namespace: namespace, name: name, failing: true, sparingCurrentPods: true,
                                    initFailure: SimulatedInitFailure(container: initContainer, message: message))
    }

    private func requireType(_ gvr: GroupVersionResource) async throws -> ResourceType {
        guard let type = await resourceType(gvr) else {
            throw APIError(code: 404, reason: "NotFound", message: "the server does not serve \(gvr)")
        }
        return type
    }
}

