import ArgumentParser
import Controller
import Foundation
import KubeClient
import KubeModel
import Logging
import ModelFetch
import Operator

/// `model-operator run`: the operator. Flags follow the names controller-runtime projects use;
/// every default comes from `RunOptions`, which the parsed flags fill in for the operator.
struct RunCommand: AsyncParsableCommand {
    private static let defaults = RunOptions()

    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the operator (in-cluster config when no kubeconfig is given or found).")

    @Option(help: "A kubeconfig file; default: KUBECONFIG, ~/.kube/config, then the in-cluster service account.")
    var kubeconfig: String?

    @Option(help: "The kubeconfig context to use instead of its current-context.")
    var context: String?

    @Option(help: "Watch only this namespace (default: all namespaces).")
    var namespace: String?

    @Option(help: "Reconciles that may run at once.")
    var maxConcurrentReconciles = defaults.operatorOptions.workers

    @Option(help: "Where /metrics is served (host:port, \":8080\" for all interfaces); \"0\" turns it off.")
    var metricsBindAddress = defaults.metricsBindAddress

    @Option(help: "Where /healthz and /readyz are served; \"0\" turns them off.")
    var healthProbeBindAddress = defaults.healthProbeBindAddress

    @Flag(inversion: .prefixedNo, help: "Elect a leader among replicas on a Lease; only the leader reconciles.")
    var leaderElect = defaults.leaderElect

    @Option(help: "The namespace of the leader-election Lease (default: the pod's namespace).")
    var leaderElectionNamespace: String?

    @Option(help: "The name of the leader-election Lease.")
    var leaderElectionId = defaults.leaderElection.name

    @Option(help: "Seconds a lease holds without renewal.")
    var leaseDuration = Int(defaults.leaderElection.leaseDuration.components.seconds)

    @Option(help: "Seconds the leader keeps trying to renew before it gives up.")
    var renewDeadline = Int(defaults.leaderElection.renewDeadline.components.seconds)

    @Option(help: "Seconds between attempts to acquire or renew.")
    var retryPeriod = Int(defaults.leaderElection.retryPeriod.components.seconds)

    @Option(help: "Requests a second the operator may send to the API server, on average (429 Retry-After is honoured too).")
    var kubeApiQps = defaults.requestLimits.qps

    @Option(help: "Requests the operator may send to the API server at once after a quiet period.")
    var kubeApiBurst = defaults.requestLimits.burst

    @Option(help: "Seconds in-flight reconciles get to finish after SIGTERM.")
    var gracefulShutdownTimeout = Int(defaults.manager.gracefulShutdownTimeout.components.seconds)

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = defaults.logLevel

    @Option(help: "Log format: json, logfmt or text.")
    var logFormat = defaults.logFormat

    @Option(help: "The image of model-operator itself, used for the fetch init container.")
    var fetchImage = defaults.operatorOptions.settings.fetchImage

    @Option(help: "A serving-runtime config file (frameworks and images) overriding the defaults.")
    var runtimeConfig: String?

    @Option(help: "The node directory that caches verified archives by digest.")
    var cacheHostPath = defaults.operatorOptions.settings.cacheHostPath

    @Option(help: ArgumentHelp(
        "How GPU replicas get their GPU: time-slicing, mps or visible-devices.",
        discussion: """
            time-slicing (default) and mps: every GPU replica requests one unit of --gpu-resource, so \
            kube-scheduler and the NVIDIA device plugin know it; configure the device plugin's \
            time-slicing or MPS replicas to share GPUs (a stock plugin gives each replica a whole GPU). \
            visible-devices: WARNING, legacy and unsafe: a shared replica requests no GPU and gets \
            NVIDIA_VISIBLE_DEVICES instead; kube-scheduler and the device plugin may hand the same GPU \
            to other pods, and the replica sees a GPU nobody allocated to it.
            """))
    var gpuSharing = defaults.operatorOptions.settings.gpuSharing.rawValue

    @Option(help: "The resource the NVIDIA device plugin advertises GPUs as (nvidia.com/gpu, or a renamed one such as nvidia.com/gpu.shared).")
    var gpuResource = defaults.operatorOptions.settings.gpuResource

    @Option(help: "The size limit of each serving pod's models volume (an emptyDir), as a quantity.")
    var modelVolumeSize = defaults.operatorOptions.settings.modelVolumeSizeLimit.description

    @Option(help: "The most replicas one InferenceModel may ask for (the CRD allows at most 1000).")
    var maxReplicas = defaults.operatorOptions.settings.maxReplicas

    @Option(help: "Archive downloads for verification that may run at once; one namespace may hold half of them.")
    var maxConcurrentDownloads = defaults.operatorOptions.maxConcurrentDownloads

    @Option(help: "Seconds one verification download may take before it fails (a trickling server cannot hold a slot).")
    var downloadDeadline = Int(defaults.operatorOptions.downloadDeadline.components.seconds)

    @Option(help: "Hosts or CIDRs model archives may come from (repeatable; default: any but link-local).")
    var allowDownload: [String] = []

    @Option(help: "Hosts or CIDRs model archives may not come from (repeatable; link-local, cloud metadata and the API server are always denied).")
    var denyDownload: [String] = []

    @Option(help: "Refuse archive URLs on loopback addresses: true or false (default: true when running in a pod).")
    var denyLoopbackDownloads: Bool?

    func run() async throws {
        AllocatorPolicy.apply()
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level \(logLevel) is not a level; use trace, debug, info, notice, warning, error or critical")
        }
        guard let format = StructuredLogHandler.Format(rawValue: logFormat) else {
            throw ValidationError("--log-format \(logFormat) is not json, logfmt or text")
        }
        guard let sharing = GPUSharingMode(rawValue: gpuSharing) else {
            throw ValidationError("--gpu-sharing \(gpuSharing) is not time-slicing, mps or visible-devices")
        }
        guard !gpuResource.isEmpty, !gpuResource.contains(where: \.isWhitespace) else {
            throw ValidationError("--gpu-resource must be a resource name such as nvidia.com/gpu")
        }
        var options = RunOptions()
        options.requestLimits = ClientRequestLimits(qps: kubeApiQps, burst: kubeApiBurst)
        options.logLevel = logLevel
        options.logFormat = logFormat
        let limits = options.requestLimits
        do { try limits.validate() } catch { throw ValidationError("--kube-api-qps/--kube-api-burst: \(error)") }
        LoggingSystem.bootstrap { StructuredLogHandler(label: $0, format: format, level: level) }
        let logger = Logger(label: "model-operator")
        if sharing == .visibleDevices {
            logger.warning("--gpu-sharing visible-devices: shared GPU replicas request no \(gpuResource); kube-scheduler and the device plugin may give their GPU to other pods")
        }
        let registry = PrometheusEndpoint.bootstrap()

        let config = try ClusterConfigLoader.load(kubeconfigPath: kubeconfig, context: context)
        let client = RESTClient(transport: try RateLimitedTransport(wrapping: KubeHTTPTransport(config: config),
                                                                    limits: limits, logger: logger))
        guard maxReplicas >= 0, maxConcurrentDownloads >= 1, downloadDeadline >= 1 else {
            throw ValidationError("--max-replicas must be at least 0, --max-concurrent-downloads and --download-deadline at least 1")
        }
        let downloads = DownloadPolicyChoice(
            allow: allowDownload, deny: denyDownload, apiServerHost: URLComponents(string: config.server)?.host,
            inCluster: ProcessInfo.processInfo.environment["KUBERNETES_SERVICE_HOST"] != nil,
            denyLoopback: denyLoopbackDownloads)
        var settings = OperatorSettings(fetchImage: fetchImage, cacheHostPath: cacheHostPath, gpuSharing: sharing,
                                        gpuResource: gpuResource, maxReplicas: maxReplicas, downloadPolicy: downloads)
        do { settings.modelVolumeSizeLimit = try Quantity(parsing: modelVolumeSize) } catch {
            throw ValidationError("--model-volume-size: \(error)")
        }
        if let runtimeConfig { settings.runtimes = try ServingRuntimeCatalog.load(contentsOf: URL(fileURLWithPath: runtimeConfig)) }
        options.operatorOptions = OperatorOptions(namespace: namespace, workers: maxConcurrentReconciles, settings: settings,
                                                  maxConcurrentDownloads: maxConcurrentDownloads,
                                                  downloadDeadline: .seconds(downloadDeadline))
        options.operatorOptions.download.policy = try settings.downloadPolicy.policy()
        options.manager.gracefulShutdownTimeout = .seconds(gracefulShutdownTimeout)
        options.leaderElect = leaderElect
        options.leaderElection = LeaderElectionConfig(
            namespace: leaderElectionNamespace ?? ProcessInfo.processInfo.environment["POD_NAMESPACE"] ?? config.namespace,
            name: leaderElectionId, leaseDuration: .seconds(leaseDuration), renewDeadline: .seconds(renewDeadline),
            retryPeriod: .seconds(retryPeriod))
        if leaderElect { try options.leaderElection.validate() }

        let runtime = OperatorRuntime(client: client, options: options.operatorOptions, manager: options.managerOptions,
                                      logger: logger)
        let health = runtime.manager.health
        if let address = try BindAddress(metricsBindAddress) {
            await runtime.manager.add(endpoint: try await Self.serve(
                "/metrics", on: address, flag: "--metrics-bind-address", routes: PrometheusEndpoint.routes(registry),
                logger: logger))
        }
        if let address = try BindAddress(healthProbeBindAddress) {
            await runtime.manager.add(endpoint: try await Self.serve(
                "/healthz and /readyz", on: address, flag: "--health-probe-bind-address", routes: health.routes,
                logger: logger))
        }
        do {
            try await runtime.run()
        } catch let error as SecondSignalError {
            logger.warning("\(error); exiting at once")
            throw ExitCode(1)
        } catch is GracePeriodExpired {
            // The controller said which reconciles were still in flight.
            throw ExitCode(1)
        } catch {
            logger.critical("operator failed", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
    }
}

extension RunCommand {
    /// Starts an endpoint server; a failure names the address and the flag that chose it.
    static func serve(_ what: String, on address: BindAddress, flag: String, routes: [String: HTTPEndpointServer.Handler],
                      logger: Logger) async throws -> HTTPEndpointServer {
        do {
            return try await HTTPEndpointServer(host: address.host, port: address.port, routes: routes, logger: logger)
        } catch {
            throw ValidationError("cannot serve \(what) on \(address.host):\(address.port) (\(flag)): \(error); "
                + "choose a free port with \(flag), or 0 to turn it off")
        }
    }
}

/// `host:port`, `:port` (all interfaces) or `0` (off).
struct BindAddress {
    var host: String
    var port: Int

    init?(_ text: String) throws {
        if text == "0" || text.isEmpty { return nil }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port)
        else { throw ValidationError("bind address \(text) is not host:port, :port or 0") }
        let host = String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        self.host = host.isEmpty ? "0.0.0.0" : host
        self.port = port
    }
}
