import KubeModel
import ArgumentParser
import Foundation
import ModelFetch

/// `model-operator fetch`: the serving pod's init container. Takes the model archive from the
/// node-local cache keyed by digest when present (no network request), else downloads and
/// verifies it into the cache; then unpacks it safely into the layout the serving framework
/// expects. On failure it writes `<Reason>: <message>` to the termination-message file, which
/// the operator shows in the InferenceModel's status, and exits non-zero.
struct FetchCommand: AsyncParsableCommand {
    /// Every download default comes from `DownloadOptions.standard`, the extraction and cache
    /// bounds from `ExtractionLimits.standard` and `FetchRequest`: the flags only show them.
    private static let download = DownloadOptions.standard

    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download, verify and unpack a model archive (the serving pod's init container).",
        discussion: """
        Layouts: tensorflow puts the files in <dest>/<model>/<version>/ (TensorFlow Serving); \
        triton in Triton's <dest>/<model>/<version>/ with config.pbtxt in <dest>/<model>/; plain \
        unpacks into <dest>/ as is. Without --layout: tensorflow when --model and --model-version are \
        given, else plain. A single top-level directory named after the model, or (tensorflow) \
        after the version or with an all-digit name, is unwrapped. On failure the command \
        writes "<Reason>: <message>" (reasons: ChecksumMismatch, DownloadFailed, InvalidURL, \
        URLNotAllowed, TooLarge, UnsafeArchive, ExtractionFailed, InvalidDigest, StorageFailed, \
        InvalidArguments) to --termination-message-path and exits 1. URLs are shown with \
        credentials and query values masked (***). Credentials for the archive server come from \
        the environment: MODEL_ARCHIVE_AUTHORIZATION (a whole Authorization header value), \
        MODEL_ARCHIVE_TOKEN (a bearer token), or MODEL_ARCHIVE_USERNAME and MODEL_ARCHIVE_PASSWORD \
        (HTTP Basic); they go only to the URL's own host, over https or loopback. A cached archive is hashed again before it \
        is unpacked; a corrupt one is removed and downloaded again; a cache that cannot be \
        written is bypassed with a warning. The manifest version used to be given with \
        --version, which still works but clashes with the tool's own --version flag.
        """
    )

    @Option(help: "The archive's http:// or https:// URL (.tar, .tar.gz, .tgz or .zip; the format is read from the file itself).")
    var url: String?

    @Option(help: "The archive's SHA-256 as 64 hex digits.")
    var sha256: String?

    @Flag(help: ArgumentHelp(
        "Only prepare --cache-dir for the fetch user (--cache-owner), then exit; run as root with CAP_CHOWN.",
        discussion: "The serving pod's first init container in node-cache mode: the kubelet creates the hostPath as root."))
    var prepareCache = false

    @Option(help: "The user (and group) --prepare-cache gives the cache to.")
    var cacheOwner: UInt32 = 65532

    @Option(help: "The directory to unpack into (the pod's model volume).")
    var dest: String?

    @Option(help: "A node-local cache directory; archives are kept as <cache>/sha256/<digest>.")
    var cacheDir: String?

    @Option(help: "The model name (a directory name in the tensorflow and triton layouts).")
    var model: String?

    @Option(help: "The manifest version (a directory name in the tensorflow and triton layouts).")
    var modelVersion: String?

    /// The old spelling of --model-version, kept so pods rendered before the rename still start.
    @Option(name: .customLong("version"), help: .hidden)
    var legacyModelVersion: String?

    @Option(help: "tensorflow, triton or plain.")
    var layout: String?

    @Flag(help: "Download and verify only (kept in --cache-dir when given); do not unpack.")
    var noExtract = false

    @Option(help: "The largest archive accepted, e.g. 20Gi.")
    var maxSize = FetchDefaults.sizeText(download.maxBytes)

    @Option(help: ArgumentHelp(
        "The most bytes the archive may unpack to, e.g. 8Gi.",
        discussion: "Default: 4 x the archive's size + 256Mi, at most 64Gi, so a small compressed bomb cannot fill the pod's disk."))
    var maxExtractedSize: String?

    @Option(help: "The most entries (files, directories, links) the archive may hold; a bound against archives of millions of empty files.")
    var maxEntries = ExtractionLimits.standard.maxEntries

    @Option(help: "The size the cache is trimmed to after a fetch, least recently used archives first, e.g. 20Gi; none for no bound.")
    var cacheMaxSize = FetchDefaults.sizeText(FetchRequest.defaultCacheMaxBytes)

    @Option(help: "The whole download (every attempt, redirect and backoff) must end within this, e.g. 30m, 90s, 1h30m.")
    var deadline = FetchDefaults.durationText(DownloadOptions.defaultDeadline)

    @Option(help: "Redirects followed at most.")
    var maxRedirects = download.maxRedirects

    @Option(help: "Download attempts in all (retries back off exponentially with jitter).")
    var maxAttempts = download.maxAttempts

    @Option(help: "Seconds allowed to connect.")
    var connectTimeout = Int(download.connectTimeout.components.seconds)

    @Option(help: "A transfer slower than --low-speed-limit bytes/s for this many seconds is abandoned.")
    var lowSpeedTime = Int(download.lowSpeedTime.components.seconds)

    @Option(help: "See --low-speed-time.")
    var lowSpeedLimit = download.lowSpeedBytesPerSecond

    @Option(name: [.customLong("allow"), .customLong("allow-download")],
            help: "Allowed host (models.example.com, *.example.com) or CIDR; repeatable. Default: any.")
    var allow: [String] = []

    @Option(name: [.customLong("deny"), .customLong("deny-download")],
            help: "Denied host or CIDR (the API server, pod and service CIDRs); repeatable. Link-local and cloud metadata addresses (AWS, GCP, Azure, Alibaba, Oracle) are always denied, in every IPv6 spelling.")
    var deny: [String] = []

    @Flag(help: "Also deny loopback and unspecified addresses (127.0.0.0/8, ::1, 0.0.0.0/8, ::), as in a cluster.")
    var denyLoopback = false

    @Option(help: "Where the failure reason goes for Kubernetes to show.")
    var terminationMessagePath = "/dev/termination-log"

    func validate() throws {
        guard !prepareCache else {
            guard cacheDir != nil else { throw ValidationError("--prepare-cache needs --cache-dir") }
            return
        }
        guard url != nil else { throw ValidationError("Missing expected argument '--url <url>'") }
        guard sha256 != nil else { throw ValidationError("Missing expected argument '--sha256 <sha256>'") }
    }

    func run() async throws {
        do {
            if prepareCache, let cacheDir {
                try CachePreparation.prepare(root: cacheDir, owner: cacheOwner, group: cacheOwner)
                FileHandle.standardError.write(Data("fetch: the cache \(cacheDir) belongs to user \(cacheOwner)\n".utf8))
                return
            }
            let request = try makeRequest()
            let downloader = ArchiveDownloader(options: try makeOptions(), client: CurlArchiveClient())
            let started = ContinuousClock.now
            let outcome = try await ModelFetcher(downloader: downloader).fetch(request)
            let seconds = (ContinuousClock.now - started).seconds
            let source = outcome.fromCache ? "from the cache (no download)" : "downloaded"
            for warning in outcome.warnings {
                FileHandle.standardError.write(Data("fetch: warning: \(DisplayText.sanitized(URLRedaction.redactURLs(in: warning), maxScalars: 2000))\n".utf8))
            }
            var line = "fetch: \(outcome.archiveBytes) bytes verified (sha256 \(request.sha256.hex)), \(source), in \(String(format: "%.2f", seconds)) s"
            if let installed = outcome.installedAt { line += "; \(outcome.extractedEntries) entries unpacked into \(installed)" }
            if outcome.evictedFromCache > 0 { line += "; evicted \(outcome.evictedFromCache) least recently used archives from the cache" }
            FileHandle.standardError.write(Data((line + "\n").utf8))
        } catch let error as ModelFetchError {
            try fail(reason: error.reason.rawValue, message: error.description)
        } catch let error as InvalidArguments {
            try fail(reason: error.reason, message: error.message)
        }
    }

    private func makeRequest() throws -> FetchRequest {
        let digest: SHA256Digest
        let url = url ?? ""
        do { digest = try SHA256Digest(hex: sha256 ?? "") } catch {
            throw InvalidArguments(reason: ModelFetchError.Reason.invalidDigest.rawValue, message: "--sha256: \(error.description)")
        }
        guard noExtract || dest != nil else {
            throw InvalidArguments(reason: "InvalidArguments", message: "--dest is required unless --no-extract is given")
        }
        if let modelVersion, let legacyModelVersion, modelVersion != legacyModelVersion {
            throw InvalidArguments(reason: "InvalidArguments", message: "--model-version and --version disagree; give --model-version only")
        }
        let version = modelVersion ?? legacyModelVersion
        let chosen: ServingLayout
        if let layout {
            guard let parsed = ServingLayout(rawValue: layout) else {
                throw InvalidArguments(reason: "InvalidArguments", message: "--layout \(layout): use tensorflow, triton or plain")
            }
            chosen = parsed
        } else {
            chosen = (model != nil && version != nil) ? .tensorflow : .plain
        }
        var extracted: Int64?
        if let maxExtractedSize {
            do { extracted = try ByteSize.parse(maxExtractedSize) } catch {
                throw InvalidArguments(reason: "InvalidArguments", message: "--max-extracted-size: \(error)")
            }
        }
        var cacheBound: Int64?
        if cacheMaxSize.lowercased() != "none" {
            do { cacheBound = try ByteSize.parse(cacheMaxSize) } catch {
                throw InvalidArguments(reason: "InvalidArguments", message: "--cache-max-size: \(error)")
            }
        }
        guard maxEntries > 0 else {
            throw InvalidArguments(reason: "InvalidArguments", message: "--max-entries must be positive")
        }
        let credentials: ArchiveCredentials?
        do { credentials = try ArchiveCredentials.fromEnvironment(ProcessInfo.processInfo.environment) } catch {
            throw InvalidArguments(reason: "InvalidArguments", message: "the archive credentials (spec.archiveCredentials' Secret, "
                + "as MODEL_ARCHIVE_* variables): the Secret \(error.problem)")
        }
        return FetchRequest(url: url, sha256: digest, dest: dest, cacheDir: cacheDir, model: model, version: version,
                            layout: chosen, extract: !noExtract,
                            limits: ExtractionLimits(maxTotalBytes: extracted, maxEntries: maxEntries),
                            cacheMaxBytes: cacheBound, credentials: credentials)
    }

    private func makeOptions() throws -> DownloadOptions {
        let policy: URLPolicy
        do { policy = try URLPolicy(allow: allow, deny: deny, denyLoopback: denyLoopback) } catch {
            throw InvalidArguments(reason: "InvalidArguments", message: "--allow/--deny: \(error)")
        }
        let bytes: Int64
        do { bytes = try ByteSize.parse(maxSize) } catch {
            throw InvalidArguments(reason: "InvalidArguments", message: "--max-size: \(error)")
        }
        let limit: Duration
        do { limit = try DurationText.parse(deadline) } catch {
            throw InvalidArguments(reason: "InvalidArguments", message: "--deadline: \(error)")
        }
        return DownloadOptions(maxRedirects: maxRedirects, connectTimeout: .seconds(connectTimeout),
                               lowSpeedBytesPerSecond: lowSpeedLimit, lowSpeedTime: .seconds(lowSpeedTime),
                               maxAttempts: maxAttempts, maxBytes: bytes, policy: policy, deadline: limit)
    }

    /// Writes the termination message and stderr line, then ends the command with exit code 1.
    private func fail(reason: String, message: String) throws -> Never {
        let text = TerminationMessage.format(reason: reason, message: message)
        FileHandle.standardError.write(Data("fetch failed: \(text)\n".utf8))
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: terminationMessagePath))
        } catch {
            FileHandle.standardError.write(Data("fetch: cannot write the termination message to \(terminationMessagePath): \(error.localizedDescription)\n".utf8))
        }
        throw ExitCode(1)
    }
}

/// A command-line mistake, reported like a fetch failure.
struct InvalidArguments: Error {
    let reason: String
    let message: String
}

fileprivate extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

/// The flags' default texts, spelled from the values the code uses.
enum FetchDefaults {
    /// `20Gi`, `512Mi`, `4096`: the largest binary unit that divides the size.
    static func sizeText(_ bytes: Int64) -> String {
        for (shift, unit) in [(40, "Ti"), (30, "Gi"), (20, "Mi"), (10, "Ki")] where bytes >= Int64(1) << shift {
            if bytes % (Int64(1) << shift) == 0 { return "\(bytes >> shift)\(unit)" }
        }
        return "\(bytes)"
    }

    /// `30m`, `90s`, `1h`: the largest unit that divides the whole seconds.
    static func durationText(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        if seconds > 0, seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds > 0, seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}
