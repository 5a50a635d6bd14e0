import Foundation

/// The init container's work: take the archive from the node-local cache when it is there
/// (no network at all, so a pod restarts on an edge node without uplink), else download and
/// verify it into the cache; then unpack it into a staging directory inside `dest`, hashing the
/// archive again in the same pass, and move the result into the serving layout only when that
/// digest matched too. A cached archive that no longer matches is evicted and downloaded again.
public struct ModelFetcher: Sendable {
    public var downloader: ArchiveDownloader

    public init(downloader: ArchiveDownloader) {
        self.downloader = downloader
    }

    public func fetch(_ request: FetchRequest) async throws(ModelFetchError) -> FetchOutcome {
        do {
            return try await run(request)
        } catch {
            throw error.context(version: request.version, url: request.url)
        }
    }

    private func run(_ request: FetchRequest) async throws(ModelFetchError) -> FetchOutcome {
        let want = request.sha256
        if request.extract {
            guard let dest = request.dest else {
                throw ModelFetchError(reason: .extractionFailed, detail: "no destination directory given (--dest)")
            }
            try Self.makeDirectory(dest)
        }
        let cache = request.cacheDir.map(DigestCache.init(root:))
        // 1. The cache, verified while it is read.
        if let cache, cache.contains(want) {
            let path = cache.path(for: want)
            if request.extract, let dest = request.dest {
                do {
                    return try install(archive: path, fromCache: true, request: request, dest: dest)
                } catch where error.reason == .checksumMismatch {
                    cache.evict(want)
                }
            } else if let size = try? ModelVerifier.verifiedSize(of: path, want: want) {
                return FetchOutcome(fromCache: true, archiveBytes: size, installedAt: nil, extractedEntries: 0)
            } else {
                cache.evict(want)
            }
        }
        // 2. The network, into the cache or a temporary file beside the destination.
        guard request.extract, let dest = request.dest else {
            let result: DownloadResult
            if let cache {
                result = try await downloader.download(request.url, expected: want,
                    makeFile: { () throws(ModelFetchError) in try cache.makeTemporaryFile() },
                    keep: { (file) throws(ModelFetchError) in try cache.commit(file, as: want) })
            } else {
                result = try await downloader.download(request.url, expected: want)
            }
            return FetchOutcome(fromCache: false, archiveBytes: result.bytes, installedAt: nil, extractedEntries: 0)
        }
        if let cache {
            _ = try await downloader.download(request.url, expected: want,
                makeFile: { () throws(ModelFetchError) in try cache.makeTemporaryFile() },
                keep: { (file) throws(ModelFetchError) in try cache.commit(file, as: want) })
            return try install(archive: cache.path(for: want), fromCache: false, request: request, dest: dest)
        }
        var kept: TemporaryFile?
        _ = try await downloader.download(request.url, expected: want,
            makeFile: { () throws(ModelFetchError) in try TemporaryFile.create(inDirectory: dest, prefix: ".fetch-download-") },
            keep: { file in kept = file })
        guard let kept else {
            throw ModelFetchError(reason: .storageFailed, detail: "the downloaded archive was not kept")
        }
        return try install(archive: kept.path, fromCache: false, request: request, dest: dest)
    }

    /// Unpacks into `<dest>/.fetch-staging-XXXXXX`, checks the digest seen while reading, then
    /// moves the tree into the layout. The staging directory is removed whatever happens.
    private func install(archive: String, fromCache: Bool, request: FetchRequest, dest: String) throws(ModelFetchError) -> FetchOutcome {
        let staging = try Self.makeStagingDirectory(in: dest)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let summary = try ArchiveExtractor(limits: request.limits).extract(archiveAt: archive, into: staging)
        guard summary.archiveDigest == request.sha256 else {
            throw ModelFetchError.mismatch(version: request.version, url: request.url,
                                           want: request.sha256, got: summary.archiveDigest)
        }
        let installed = try request.layout.install(staging: staging, dest: dest, model: request.model, version: request.version)
        let size = (try? FileManager.default.attributesOfItem(atPath: archive)[.size] as? NSNumber)?.int64Value ?? 0
        return FetchOutcome(fromCache: fromCache, archiveBytes: size, installedAt: installed, extractedEntries: summary.entries)
    }

    private static func makeStagingDirectory(in dest: String) throws(ModelFetchError) -> String {
        var template = Array((dest + "/.fetch-staging-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            mkdtemp(buffer.baseAddress!) != nil  // the buffer is never empty
        }
        guard made else {
            throw ModelFetchError(reason: .storageFailed, detail: "cannot create a staging directory in \(dest): \(String(cString: strerror(errno)))")
        }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }  // non-empty buffer
        chmod(path, 0o755)
        return path
    }

    private static func makeDirectory(_ path: String) throws(ModelFetchError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw ModelFetchError(reason: .storageFailed, detail: "cannot create \(path): \(error.localizedDescription)")
        }
    }
}
