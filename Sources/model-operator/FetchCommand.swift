import ArgumentParser
import Foundation
import ModelFetch

/// `model-operator fetch`: the serving pod's init container. Takes the model archive from the
/// node-local cache keyed by digest when present (no network request), else downloads and
/// verifies it into the cache; then unpacks it safely into the layout the serving framework
/// expects. On failure it writes `<Reason>: <message>` to the termination-message file, which
/// the operator shows in the InferenceModel's status, and exits non-zero.
struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download, verify and unpack a model archive (the serving pod's init container).",
        discussion: """
        Layouts: tensorflow puts the files in <dest>/<model>/<version>/ (TensorFlow Serving); \
        triton in Triton's <dest>/<model>/<version>/ with config.pbtxt in <dest>/<model>/; plain \
        unpacks into <dest>/ as is. Without --layout: tensorflow when --model and --version are \
        given, else plain. A single top-level directory named after the model, or (tensorflow) \
        after the version or with an all-digit name, is unwrapped. On failure the command \
        writes "<Reason>: <message>" (reasons: ChecksumMismatch, DownloadFailed, InvalidURL, \
        URLNotAllowed, TooLarge, UnsafeArchive, ExtractionFailed, InvalidDigest, StorageFailed, \
        InvalidArguments) to --termination-message-path and exits 1.
        """
    )

    @Option(help: "The archive's http:// or https:// URL (.tar, .tar.gz, .tgz or .zip; the format is read from the file itself).")
    var url: String

    @Option(help: "The archive's SHA-256 as 64 hex digits.")
    var sha256: String

    @Option(help: "The directory to unpack into (the pod's model volume).")
    var dest: String?

    @Option(help: "A node-local cache directory; archives are kept as <cache>/sha256/<digest>.")
    var cacheDir: String?

    @Option(help: "The model name (a directory name in the tensorflow and triton layouts).")
    var model: String?

    @Option(name: .customLong("version"), help: "The manifest version (a directory name in the tensorflow and triton layouts).")
    var modelVersion: String?

    @Option(help: "tensorflow, triton or plain.")
    var layout: String?

    @Flag(help: "Download and verify only (kept in --cache-dir when given); do not unpack.")
    var noExtract = false

    @Option(help: "The largest archive accepted, e.g. 20Gi.")
    var maxSize = "20Gi"

    @Option(help: "The most bytes the archive may unpack to, e.g. 64Gi.")
    var maxExtractedSize = "64Gi"

    @Option(help: "The most entries the archive may hold.")
    var maxEntries = 100_000

    @Option(help: "Redirects followed at most.")
    var maxRedirects = 5

    @Option(help: "Download attempts in all (retries back off exponentially with jitter).")
    var maxAttempts = 4

    @Option(help: "Seconds allowed to connect.")
    var connectTimeout = 15

    @Option(help: "A transfer slower than --low-speed-limit bytes/s for this many seconds is abandoned.")
    var lowSpeedTime = 60

    @Option(help: "See --low-speed-time.")
    var lowSpeedLimit = 1024

    @Option(help: "Allowed host (models.example.com, *.example.com) or CIDR; repeatable. Default: any.")
    var allow: [String] = []

    @Option(help: "Denied host or CIDR; repeatable. Link-local and cloud metadata addresses are always denied.")
    var deny: [String] = []

    @Option(help: "Where the failure reason goes for Kubernetes to show.")
    var terminationMessagePath = "/dev/termination-log"

    func run() async throws {
        do {
            let request = try makeRequest()
            let downloader = ArchiveDownloader(options: try makeOptions(), client: CurlArchiveClient())
            let started = ContinuousClock.now
            let outcome = try await ModelFetcher(downloader: downloader).fetch(request)
            let seconds = (ContinuousClock.now - started).seconds
            let source = outcome.fromCache ? "from the cache (no download)" : "downloaded"
            var line = "fetch: \(outcome.archiveBytes) bytes verified (sha256 \(request.sha256.hex)), \(source), in \(String(format: "%.2f", seconds)) s"
            if let installed = outcome.installedAt { line += "; \(outcome.extractedEntries) entries unpacked into \(installed)" }
            FileHandle.standardError.write(Data((line + "\n").utf8))
        } catch let error as ModelFetchError {
            fail(reason: error.reason.rawValue, message: error.description)
        } catch let error as InvalidArguments {
            fail(reason: error.reason, message: error.message)
        }
    }

    private func makeRequest() throws -> FetchRequest {
        let digest: SHA256Digest
        do { digest = try SHA256Digest(hex: sha256) } catch {
            throw InvalidArguments(reason: ModelFetchError.Reason.invalidDigest.rawValue, message: "--sha256: \(error.description)")
        }
        guard noExtract || dest != nil else {
            throw InvalidArguments(reason: "InvalidArguments", message: "--dest is required unless --no-extract is given")
        }
        let chosen: ServingLayout
        if let layout {
            guard let parsed = ServingLayout(rawValue: layout) else {
                throw InvalidArguments(reason: "InvalidArguments", message: "--layout \(layout): use tensorflow, triton or plain")
            }
            chosen = parsed
        } else {
            chosen = (model != nil && modelVersion != nil) ? .tensorflow : .plain
        }
        let extracted: Int64
        do { extracted = try ByteSize.parse(maxExtractedSize) } catch {
            throw InvalidArguments(reason: "InvalidArguments", message: "--max-extracted-size: \(error)")
        }
        return FetchRequest(url: url, sha256: digest, dest: dest, cacheDir: cacheDir, model: model, version: modelVersion,
                            layout: chosen, extract: !noExtract,
                            limits: ExtractionLimits(maxTotalBytes: extracted, maxEntries: maxEntries))
    }

    private func makeOptions() throws -> DownloadOptions {
        let policy: URLPolicy
        do { policy = try URLPolicy(allow: allow, deny: deny) } catch {
            throw InvalidArguments(reason: "InvalidArguments", message: "--allow/--deny: \(error)")
        }
        let bytes: Int64
        do { bytes = try ByteSize.parse(maxSize) } catch {
            throw InvalidArguments(reason: "InvalidArguments", message: "--max-size: \(error)")
        }
        return DownloadOptions(maxRedirects: maxRedirects, connectTimeout: .seconds(connectTimeout),
                               lowSpeedBytesPerSecond: lowSpeedLimit, lowSpeedTime: .seconds(lowSpeedTime),
                               maxAttempts: maxAttempts, maxBytes: bytes, policy: policy)
    }

    /// Writes the termination message and stderr line, then exits 1.
    private func fail(reason: String, message: String) -> Never {
        let text = TerminationMessage.format(reason: reason, message: message)
        FileHandle.standardError.write(Data("fetch failed: \(text)\n".utf8))
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: terminationMessagePath))
        } catch {
            FileHandle.standardError.write(Data("fetch: cannot write the termination message to \(terminationMessagePath): \(error.localizedDescription)\n".utf8))
        }
        Foundation.exit(1)
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
