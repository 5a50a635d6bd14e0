import Foundation

/// The init container's work. The archive is never parsed before it is verified:
///
/// 1. Leftovers of killed fetches (`.incoming-*` in the cache, `.fetch-staging-*`,
///    `.fetch-download-*` and `.fetch-old-*` in `dest`) older than `DigestCache.staleAge` are
///    removed.
/// 2. The node-local cache: an entry is hashed again through the descriptor it is then
///    unpacked from (no network at all, so a pod restarts on an edge node without uplink). An
///    entry that does not match or is not a regular file is removed and downloaded again.
/// 3. Else the download, verified as it arrives, into the cache; when the cache cannot be
///    written (read-only, wrong owner) straight into `dest` instead, with a warning.
/// 4. Unpacking into a staging directory inside `dest` from the verified descriptor, then the
///    move into the serving layout.
/// 5. With a cache size bound, the least recently used other entries are evicted.
public struct ModelFetcher: Sendable {
    public var downloader: ArchiveDownloader

    /// Names in `dest` that a killed fetch leaves behind.
    static let destLeftoverPrefixes = [".fetch-staging-", ".fetch-download-", ".fetch-old-"]

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
        var warnings: [String] = []
        var dest: String?
        if request.extract {
            guard let path = request.dest else {
                throw ModelFetchError(reason: .extractionFailed, detail: "no destination directory given (--dest)")
            }
            try Self.makeDirectory(path)
            // Layouts set an old model directory aside beside it (<dest>/<model>/.fetch-old-*).
            var places = [path]
            if let model = request.model, (try? ServingLayout.validateComponent(model, what: "model name")) != nil {
                places.append(path + "/" + model)
            }
            for place in places {
                _ = StaleLeftovers.remove(in: place, prefixes: Self.destLeftoverPrefixes, now: Date(), staleAge: DigestCache.staleAge)
            }
            dest = path
        }
        var cache = request.cacheDir.map(DigestCache.init(root:))
        if let current = cache {
            current.removeStaleLeftovers()
            switch current.lookup(want) {
            case .verified(let file):
                var outcome = try finish(file, fromCache: true, request: request, dest: dest)
                outcome.evictedFromCache = trim(current, request: request)
                return outcome
            case .missing:
                break
            case .unusable(let note, let removed):
                if removed {
                    warnings.append("\(note); removed it, downloading again")
                } else {
                    warnings.append("\(note) and cannot remove it; downloading without the cache")
                    cache = nil
                }
            }
        }
        // The download: into the cache, else beside the destination, else only hashed.
        var archive: ArchiveFile?
        var committed = false
        let download = try await downloader.download(request.url, expected: want, credentials: request.credentials,
            makeFile: { () throws(ModelFetchError) -> TemporaryFile? in
                if let current = cache {
                    do throws(ModelFetchError) { return try current.makeTemporaryFile() } catch {
                        warnings.append("the cache \(current.root) cannot be written (\(error.detail)); downloading straight to the destination")
                        cache = nil
                    }
                }
                guard let dest else { return nil }
                return try TemporaryFile.create(inDirectory: dest, prefix: ".fetch-download-")
            },
            keep: { (file) throws(ModelFetchError) in
                archive = try file.reopenForReading()
                guard let current = cache else { return }
                do throws(ModelFetchError) {
                    try current.commit(file, as: want)
                    committed = true
                } catch {
                    warnings.append("cannot add the archive to the cache \(current.root) (\(error.detail)); using it without caching")
                }
            })
        var outcome: FetchOutcome
        if let archive {
            outcome = try finish(archive, fromCache: false, request: request, dest: dest)
        } else {
            outcome = FetchOutcome(fromCache: false, archiveBytes: download.bytes, installedAt: nil, extractedEntries: 0)
        }
        if committed, let cache { outcome.evictedFromCache = trim(cache, request: request) }
        outcome.warnings = warnings + outcome.warnings
        return outcome
    }

    /// Unpacks a verified archive when asked to, and says what was done.
    private func finish(_ archive: ArchiveFile, fromCache: Bool, request: FetchRequest, dest: String?) throws(ModelFetchError) -> FetchOutcome {
        guard let dest else {
            return FetchOutcome(fromCache: fromCache, archiveBytes: archive.size, installedAt: nil, extractedEntries: 0)
        }
        return try install(archive, fromCache: fromCache, request: request, dest: dest)
    }

    /// Unpacks the verified archive into `<dest>/.fetch-staging-XXXXXX`, then moves the tree
    /// into the layout. The staging directory is removed whatever happens.
    private func install(_ archive: ArchiveFile, fromCache: Bool, request: FetchRequest, dest: String) throws(ModelFetchError) -> FetchOutcome {
        let staging = try Self.makeStagingDirectory(in: dest)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        // The descriptor's content was verified (hashed on arrival, or again from the cache).
        let summary = try ArchiveExtractor(limits: request.limits).extract(archive, into: staging, verifiedDigest: request.sha256)
        let installed = try request.layout.install(staging: staging, dest: dest, model: request.model, version: request.version)
        return FetchOutcome(fromCache: fromCache, archiveBytes: archive.size, installedAt: installed, extractedEntries: summary.entries)
    }

    private func trim(_ cache: DigestCache, request: FetchRequest) -> Int {
        guard let bound = request.cacheMaxBytes else { return 0 }
        return cache.trim(toAtMost: bound, keeping: request.sha256).count
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
