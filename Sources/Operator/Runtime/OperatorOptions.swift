import ModelFetch

/// How the operator runs: scope, concurrency, what it renders and how it downloads.
public struct OperatorOptions: Sendable {
    /// Watch one namespace, or every namespace when nil.
    public var namespace: String?
    /// Reconciles that may run at once (`--max-concurrent-reconciles`).
    public var workers: Int
    public var settings: OperatorSettings
    /// How archives are downloaded for verification (limits, retries, allowed hosts).
    public var download: DownloadOptions
    /// How long GPU models wait to be placed together in one batch.
    public var placementWindow: Duration
    /// Downloads that may run at once (`--max-concurrent-downloads`); one namespace may hold half.
    public var maxConcurrentDownloads: Int
    /// The longest one verification download may take (`--download-deadline`).
    public var downloadDeadline: Duration

    public init(namespace: String? = nil, workers: Int = 4, settings: OperatorSettings = OperatorSettings(),
                download: DownloadOptions = .standard, placementWindow: Duration = .milliseconds(200),
                maxConcurrentDownloads: Int = 4, downloadDeadline: Duration = .seconds(1800)) {
        self.namespace = namespace
        self.workers = workers
        self.settings = settings
        self.download = download
        self.placementWindow = placementWindow
        self.maxConcurrentDownloads = maxConcurrentDownloads
        self.downloadDeadline = downloadDeadline
    }
}
