import Foundation
import ModelFetch
import TestSupport
import Testing

@Suite("The init container's fetch: cache, verify, unpack, lay out")
struct FetcherTests {
    func fetcher(_ options: DownloadOptions = testOptions()) -> ModelFetcher {
        ModelFetcher(downloader: ArchiveDownloader(options: options, client: CurlArchiveClient()))
    }

    func request(_ url: String, _ archive: Data, dest: String?, cache: String?, layout: ServingLayout = .tensorflow) -> FetchRequest {
        FetchRequest(url: url, sha256: SHA256Hasher.digest(archive), dest: dest, cacheDir: cache,
                     model: "facialexpression", version: "4", layout: layout)
    }

    @Test("first fetch downloads into the cache and lays out <dest>/<model>/<version>; the next makes no request")
    func cacheThenOffline() async throws {
        let archive = try sampleArchive()
        let dir = try TempDir()
        defer { dir.remove() }
        try await withServer({ _, _ in .body(archive) }) { server in
            let first = try await fetcher().fetch(request(server.url("/m4.tgz"), archive, dest: dir.path + "/pod1", cache: dir.path + "/cache"))
            #expect(!first.fromCache)
            #expect(first.installedAt == dir.path + "/pod1/facialexpression/4")
            #expect(try String(contentsOfFile: dir.path + "/pod1/facialexpression/4/saved_model.pb", encoding: .utf8) == "graph-def")
            let second = try await fetcher().fetch(request(server.url("/m4.tgz"), archive, dest: dir.path + "/pod2", cache: dir.path + "/cache"))
            #expect(second.fromCache)
            #expect(server.requests() == 1, "the cached digest must not be downloaded again")
            #expect(dir.listing("pod2") == ["facialexpression", "facialexpression/4", "facialexpression/4/saved_model.pb",
                                            "facialexpression/4/variables", "facialexpression/4/variables/variables.index"])
        }
    }

    @Test("fetching again into the same volume replaces the earlier files entirely")
    func refetchReplaces() async throws {
        var old = TarBuilder()
        old.file("saved_model.pb", "old")
        old.file("stale.txt", "from the earlier archive")
        let oldArchive = try gzipped(old.archive)
        let newArchive = try sampleArchive("new")
        let dir = try TempDir()
        defer { dir.remove() }
        try await withServer({ path, _ in path == "/old.tgz" ? .body(oldArchive) : .body(newArchive) }) { server in
            _ = try await fetcher().fetch(request(server.url("/old.tgz"), oldArchive, dest: dir.path + "/pod", cache: nil))
            _ = try await fetcher().fetch(request(server.url("/new.tgz"), newArchive, dest: dir.path + "/pod", cache: nil))
            #expect(try String(contentsOfFile: dir.path + "/pod/facialexpression/4/saved_model.pb", encoding: .utf8) == "new")
            #expect(dir.listing("pod") == ["facialexpression", "facialexpression/4", "facialexpression/4/saved_model.pb",
                                           "facialexpression/4/variables", "facialexpression/4/variables/variables.index"])
        }
    }

    @Test("a cached archive that no longer matches its digest is evicted and downloaded again")
    func corruptCache() async throws {
        let archive = try sampleArchive()
        let dir = try TempDir()
        defer { dir.remove() }
        try await withServer({ _, _ in .body(archive) }) { server in
            let cache = DigestCache(root: dir.path + "/cache")
            let digest = SHA256Hasher.digest(archive)
            try FileManager.default.createDirectory(atPath: dir.path + "/cache/sha256", withIntermediateDirectories: true)
            try (try sampleArchive("rotten")).write(to: URL(fileURLWithPath: cache.path(for: digest)))
            let outcome = try await fetcher().fetch(request(server.url("/m4.tgz"), archive, dest: dir.path + "/pod", cache: dir.path + "/cache"))
            #expect(!outcome.fromCache)
            #expect(server.requests() == 1)
            #expect(try String(contentsOfFile: dir.path + "/pod/facialexpression/4/saved_model.pb", encoding: .utf8) == "graph-def")
            #expect(try SHA256Hasher.digest(fileAt: cache.path(for: digest)) == digest)
        }
    }

    @Test("an unsafe archive installs nothing and leaves no staging or download files")
    func unsafeArchive() async throws {
        var tar = TarBuilder()
        tar.file("saved_model.pb", "ok")
        tar.file("../../escape.txt", "bad")
        let archive = try gzipped(tar.archive)
        let dir = try TempDir()
        defer { dir.remove() }
        try await withServer({ _, _ in .body(archive) }) { server in
            let error = try #require(await fetchError { () throws(ModelFetchError) in
                try await fetcher().fetch(request(server.url("/evil.tgz"), archive, dest: dir.path + "/a/pod", cache: nil))
            })
            #expect(error.reason == .unsafeArchive)
            #expect(error.description.contains("version 4"))
            #expect(error.description.contains("\"..\" component"))
            #expect(dir.listing() == ["a", "a/pod"], "nothing outside or inside dest: \(dir.listing())")
        }
    }

    @Test("without a cache the download is unpacked and removed; --no-extract only verifies")
    func noCache() async throws {
        let archive = try sampleArchive()
        let dir = try TempDir()
        defer { dir.remove() }
        try await withServer({ _, _ in .body(archive) }) { server in
            let outcome = try await fetcher().fetch(request(server.url("/m.tgz"), archive, dest: dir.path + "/pod", cache: nil, layout: .plain))
            #expect(outcome.installedAt == dir.path + "/pod")
            #expect(dir.listing("pod") == ["saved_model.pb", "variables", "variables/variables.index"])
            var verifyOnly = request(server.url("/m.tgz"), archive, dest: nil, cache: nil)
            verifyOnly.extract = false
            let verified = try await fetcher().fetch(verifyOnly)
            #expect(verified.archiveBytes == Int64(archive.count))
            #expect(verified.installedAt == nil)
            #expect(server.requests() == 2)
        }
    }
}
