/// What `model-operator fetch` is asked to do.
public struct FetchRequest: Sendable, Equatable {
    public var url: String
    public var sha256: SHA256Digest
    /// Where the model is unpacked; nil with `extract == false`.
    public var dest: String?
    /// The node-local digest cache; nil to keep nothing.
    public var cacheDir: String?
    public var model: String?
    public var version: String?
    public var layout: ServingLayout
    /// False to download and verify only (the archive is kept only when there is a cache).
    public var extract: Bool
    public var limits: ExtractionLimits
    /// The size the cache is trimmed to after a fetch (least recently used entries first);
    /// nil for no bound.
    public var cacheMaxBytes: Int64?
    /// Credentials for the archive server; nil for none.
    public var credentials: ArchiveCredentials?

    /// The default cache bound: 20 GiB.
    public static let defaultCacheMaxBytes: Int64 = 20 << 30

    public init(url: String, sha256: SHA256Digest, dest: String?, cacheDir: String?, model: String? = nil,
                version: String? = nil, layout: ServingLayout = .plain, extract: Bool = true,
                limits: ExtractionLimits = .standard, cacheMaxBytes: Int64? = FetchRequest.defaultCacheMaxBytes,
                credentials: ArchiveCredentials? = nil) {
        self.credentials = credentials
        self.url = url
        self.sha256 = sha256
        self.dest = dest
        self.cacheDir = cacheDir
        self.model = model
        self.version = version
        self.layout = layout
        self.extract = extract
        self.limits = limits
        self.cacheMaxBytes = cacheMaxBytes
    }
}

/// What a fetch did.
public struct FetchOutcome: Sendable, Equatable {
    /// True when the archive came from the cache and no request was made.
    public var fromCache: Bool
    public var archiveBytes: Int64
    /// The directory that now holds the model; nil when nothing was extracted.
    public var installedAt: String?
    public var extractedEntries: Int
    /// What went wrong without stopping the fetch (an unwritable or corrupt cache), for stderr.
    public var warnings: [String] = []
    /// How many least recently used archives were evicted to keep the cache under its bound.
    public var evictedFromCache = 0
}
