import Foundation
import ModelFetch
import TestSupport
import Testing

/// Issue 10, finding 5: the node cache is verified before it is parsed and heals.
@Suite("The node cache heals, is bounded, and is optional")
struct CacheHealingTests {
    func fetcher() -> ModelFetcher {
        ModelFetcher(downloader: ArchiveDownloader(options: testOptions(), client: CurlArchiveClient()))
    }

    func request(_ url: String, _ archive: Data, dir: TempDir, pod: String = "pod", cacheMaxBytes: Int64? = nil) -> FetchRequest {
        FetchRequest(url: url, sha256: SHA256Hasher.digest(archive), dest: dir.path + "/" + pod, cacheDir: dir.path + "/cache",
                     model: "facialexpression", version: "4", layout: .tensorflow, cacheMaxBytes: cacheMaxBytes)
    }

    /// Puts `content` in the cache under `archive`'s digest.
    func plant(_ content: Data, as archive: Data, in dir: TempDir) throws -> String {
        let path = DigestCache(root: dir.path + "/cache").path(for: SHA256Hasher.digest(archive))
        try FileManager.default.createDirectory(atPath: dir.path + "/cache/sha256", withIntermediateDirectories: true)
        try content.write(to: URL(fileURLWithPath: path))
        return path
    }

    func setModified(_ path: String, secondsAgo: Double) throws {
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -secondsAgo)], ofItemAtPath: path)
    }

    @Test("corrupt cache entries (truncated, bit-flipped, another archive, an unsafe one) are removed and fetched again",
          arguments: ["truncated", "bit-flipped", "other", "unsafe"])
    func corruptEntries(kind: String) async throws {
        let archive = try sampleArchive()
        let dir = try TempDir()
        defer { dir.remove() }
        let planted: Data
        switch kind {
        case "truncated": planted = archive.prefix(archive.count / 2)
        case "bit-flipped":
            var flipped = archive
            flipped[flipped.count / 2] ^= 0x40
            planted = flipped
        case "other": planted = try sampleArchive("rotten")
        default:
            var tar = TarBuilder()
            tar.file("../../side-effect.txt", "unpacked before it was verified")
            planted = try gzipped(tar.archive)
        }
        let path = try plant(planted, as: archive, in: dir)
        try await withServer({ _, _ in .body(archive) }) { server in
            let outcome = try await fetcher().fetch(request(server.url("/m4.tgz"), archive, dir: dir))
            #expect(!outcome.fromCache)
            #expect(server.requests() == 1)
            #expect(outcome.warnings.contains { $0.contains("corrupt") }, "\(outcome.warnings)")
            #expect(try String(contentsOfFile: dir.path + "/pod/facialexpression/4/saved_model.pb", encoding: .utf8) == "graph-def")
            #expect(try SHA256Hasher.digest(fileAt: path) == SHA256Hasher.digest(archive), "the entry is healed")
        }
    }

    @Test("a directory at the digest path is removed and replaced by the archive")
    func directoryAtDigestPath() async throws {
        let archive = try sampleArchive()
        let dir = try TempDir()
        defer { dir.remove() }
        let path = DigestCache(root: dir.path + "/cache").path(for: SHA256Hasher.digest(archive))
        try FileManager.default.createDirectory(atPath: path + "/inner", withIntermediateDirectories: true)
        try await withServer({ _, _ in .body(archive) }) { server in
            let outcome = try await fetcher().fetch(request(server.url("/m4.tgz"), archive, dir: dir))
            #expect(outcome.installedAt == dir.path + "/pod/facialexpression/4")
            var isDirectory: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue)
            #expect(try SHA256Hasher.digest(fileAt: path) == SHA256Hasher.digest(archive))
            // And now it is a cache hit.
            let again = try await fetcher().fetch(request(server.url("/m4.tgz"), archive, dir: dir, pod: "pod2"))
            #expect(again.fromCache)
            #expect(server.requests() == 1)
        }
    }

    @Test("leftovers of a killed fetch are removed once stale; a fresh download in progress is left alone")
    func staleLeftovers() async throws {
        let archive = try sampleArchive()
        let dir = try TempDir()
        defer { dir.remove() }
        let cacheDir = dir.path + "/cache/sha256"
        try FileManager.default.createDirectory(atPath: cacheDir, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir.path + "/pod/.fetch-staging-old/model", withIntermediateDirectories: true)
        try Data("half a download".utf8).write(to: URL(fileURLWithPath: cacheDir + "/.incoming-old"))
        try Data("being written".utf8).write(to: URL(fileURLWithPath: cacheDir + "/.incoming-new"))
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir.path + "/pod/.fetch-download-old"))
        try setModified(cacheDir + "/.incoming-old", secondsAgo: 3600)
        try setModified(dir.path + "/pod/.fetch-staging-old", secondsAgo: 3600)
        try setModified(dir.path + "/pod/.fetch-download-old", secondsAgo: 3600)
        try await withServer({ _, _ in .body(archive) }) { server in
            _ = try await fetcher().fetch(request(server.url("/m4.tgz"), archive, dir: dir))
        }
        let cached = try FileManager.default.contentsOfDirectory(atPath: cacheDir).sorted()
        #expect(cached == [".incoming-new", SHA256Hasher.digest(archive).hex])
        let pod = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/pod").sorted()
        #expect(pod == ["facialexpression"])
    }

    @Test("the cache is trimmed to its bound, least recently used first; a cache hit counts as a use")
    func leastRecentlyUsedEviction() async throws {
        let archive = try sampleArchive()
        let reused = try sampleArchive("reused")
        let dir = try TempDir()
        defer { dir.remove() }
        let cache = DigestCache(root: dir.path + "/cache")
        let filler = Data(count: 100_000)
        var old: [String] = []
        for index in 0..<3 {
            let name = SHA256Hasher.digest(Data("filler \(index)".utf8)).hex
            let path = try plant(filler, as: Data("filler \(index)".utf8), in: dir)
            try setModified(path, secondsAgo: Double(10_000 - index * 1000))
            old.append(name)
        }
        // The reused archive is the oldest of all, but is used now, so it becomes the newest.
        let reusedPath = try plant(reused, as: reused, in: dir)
        try setModified(reusedPath, secondsAgo: 20_000)
        try await withServer({ path, _ in path == "/reused.tgz" ? .body(reused) : .body(archive) }) { server in
            let hit = try await fetcher().fetch(request(server.url("/reused.tgz"), reused, dir: dir, pod: "pod-reused"))
            #expect(hit.fromCache)
            let touched = try FileManager.default.attributesOfItem(atPath: reusedPath)[.modificationDate] as? Date
            #expect(touched.map { Date().timeIntervalSince($0) < 600 } == true, "a cache hit marks the entry as used")
            // Room for the new archive, the reused one and one filler: the two oldest fillers go.
            let bound = Int64(archive.count + reused.count) + 150_000
            let outcome = try await fetcher().fetch(request(server.url("/m4.tgz"), archive, dir: dir, cacheMaxBytes: bound))
            #expect(outcome.evictedFromCache == 2)
        }
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/cache/sha256"))
        #expect(left == [SHA256Hasher.digest(archive).hex, SHA256Hasher.digest(reused).hex, old[2]])
        #expect(cache.contains(SHA256Hasher.digest(archive)))
    }

    @Test("a cache that cannot be written is bypassed with a warning: the model is still installed")
    func unwritableCache() async throws {
        let archive = try sampleArchive()
        let dir = try TempDir()
        defer { dir.remove() }
        // A file where the cache directory should be: creating it fails even for root.
        try Data("not a directory".utf8).write(to: URL(fileURLWithPath: dir.path + "/cache"))
        try await withServer({ _, _ in .body(archive) }) { server in
            let outcome = try await fetcher().fetch(request(server.url("/m4.tgz"), archive, dir: dir))
            #expect(!outcome.fromCache)
            #expect(outcome.warnings.contains { $0.contains("cannot be written") && $0.contains("straight to the destination") },
                    "\(outcome.warnings)")
            #expect(try String(contentsOfFile: dir.path + "/pod/facialexpression/4/saved_model.pb", encoding: .utf8) == "graph-def")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/pod") == ["facialexpression"],
                    "no download file is left in the destination")
        }
    }
}
