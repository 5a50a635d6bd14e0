import Foundation
import KubeModel
import ModelFetch
import TestSupport
import Testing

/// Small limits so failure cases finish in seconds on a loaded machine.
func testOptions(maxAttempts: Int = 3, maxBytes: Int64 = 1 << 20, maxRedirects: Int = 3,
                 policy: URLPolicy = .standard) -> DownloadOptions {
    DownloadOptions(maxRedirects: maxRedirects, connectTimeout: .seconds(10),
                    lowSpeedBytesPerSecond: 1000, lowSpeedTime: .seconds(1),
                    maxAttempts: maxAttempts,
                    retryBackoff: Backoff(initial: .milliseconds(20), cap: .milliseconds(100), jitter: 0.5...1),
                    maxBytes: maxBytes, policy: policy)
}

/// A tar.gz holding a saved_model.pb and a variables file, built in the test.
func sampleArchive(_ content: String = "graph-def") throws -> Data {
    var tar = TarBuilder()
    tar.file("saved_model.pb", content)
    tar.file("variables/variables.index", "index")
    return try gzipped(tar.archive)
}

/// The error `body` throws, or nil when it succeeds.
func fetchError<T>(_ body: () async throws(ModelFetchError) -> T) async -> ModelFetchError? {
    do {
        _ = try await body()
        return nil
    } catch {
        return error
    }
}

@Suite("Downloads from a loopback server")
struct DownloadTests {
    func verifier(_ options: DownloadOptions = testOptions(), cache: DigestCache? = nil,
                  resolver: any HostResolving = SystemHostResolver()) -> ModelVerifier {
        ModelVerifier(downloader: ArchiveDownloader(options: options, client: CurlArchiveClient(), resolver: resolver),
                      cache: cache)
    }

    @Test("a good archive verifies; a mismatched one names version, URL and both digests, and is not retried")
    func goodAndMismatched() async throws {
        let archive = try sampleArchive()
        let other = try sampleArchive("tampered")
        try await withServer({ path, _ in path == "/good.tgz" ? .body(archive) : .body(other) }) { server in
            let want = SHA256Hasher.digest(archive)
            let verified = try await verifier().verify(url: server.url("/good.tgz"), sha256: want.hex, version: "4")
            #expect(verified.sha256 == want)
            #expect(verified.bytes == Int64(archive.count))
            #expect(!verified.fromCache)
            #expect(verified.cachedPath == nil)

            let error = try #require(await fetchError { () throws(ModelFetchError) in
                try await verifier().verify(url: server.url("/bad.tgz"), sha256: want.hex, version: "4")
            })
            #expect(error.reason == .checksumMismatch)
            let got = SHA256Hasher.digest(other)
            #expect(error.description == "sha256 mismatch for version 4 (\(server.url("/bad.tgz"))): want \(want.hex), got \(got.hex)")
            #expect(error.want == want && error.got == got)
            #expect(server.requests("/bad.tgz") == 1)
        }
    }

    /// A URL that answers something other than an archive (here an API server's JSON, as an
    /// in-cluster address would) must not have its digest reported: that would let a tenant
    /// learn the content of what only the operator can reach.
    @Test("a mismatch of something that is not an archive reports no digest")
    func nonArchiveMismatchHidesTheDigest() async throws {
        let secret = Data(#"{"kind":"PodList","items":[{"metadata":{"name":"secret-pod"}}]}"#.utf8)
        try await withServer({ _, _ in .body(secret) }) { server in
            let want = SHA256Hasher.digest(try sampleArchive())
            let error = try #require(await fetchError { () throws(ModelFetchError) in
                try await verifier().verify(url: server.url("/api/v1/pods"), sha256: want.hex, version: "4")
            })
            #expect(error.reason == .checksumMismatch)
            #expect(error.got == nil)
            #expect(!error.description.contains(SHA256Hasher.digest(secret).hex))
            #expect(error.description.contains("is not a .tar.gz, .tgz, .tar or .zip archive"))
        }
    }

    @Test("a malformed sha256 is reported before any request")
    func badDigest() async throws {
        try await withServer({ _, _ in .body(Data()) }) { server in
            let error = try #require(await fetchError { () throws(ModelFetchError) in
                try await verifier().verify(url: server.url("/m.tgz"), sha256: "108a", version: "4")
            })
            #expect(error.reason == .invalidDigest)
            #expect(error.description.contains("version 4"))
            #expect(error.description.contains("64 hex digits"))
            #expect(server.requests() == 0)
        }
    }

    @Test("500 then OK: the retry succeeds; 404 is not retried")
    func retries() async throws {
        let archive = try sampleArchive()
        try await withServer({ path, n in
            switch path {
            case "/flaky.tgz": return n == 1 ? .body(Data("oops".utf8), status: 500) : .body(archive)
            default: return .body(Data("no".utf8), status: 404)
            }
        }) { server in
            let want = SHA256Hasher.digest(archive).hex
            _ = try await verifier().verify(url: server.url("/flaky.tgz"), sha256: want, version: "1")
            #expect(server.requests("/flaky.tgz") == 2)

            let error = try #require(await fetchError { () throws(ModelFetchError) in
                try await verifier().verify(url: server.url("/missing.tgz"), sha256: want, version: "1")
            })
            #expect(error.reason == .downloadFailed)
            #expect(error.description.contains("HTTP 404"))
            #expect(error.description.contains("version 1"))
            #expect(server.requests("/missing.tgz") == 1)
        }
    }

    @Test("persistent 503s are retried up to the attempt limit, then reported")
    func exhaustedRetries() async throws {
        try await withServer({ _, _ in .body(Data("busy".utf8), status: 503) }) { server in
            let error = try #require(await fetchError { () throws(ModelFetchError) in
                try await verifier(testOptions(maxAttempts: 3)).verify(url: server.url("/m.tgz"),
                                                                       sha256: String(repeating: "a", count: 64), version: "1")
            })
            #expect(error.reason == .downloadFailed)
            #expect(error.description.contains("HTTP 503"))
            #expect(error.description.contains("after 3 attempts"))
            #expect(server.requests() == 3)
        }
    }

    @Test("a truncated transfer fails after its retries")
    func truncated() async throws {
        let archive = try sampleArchive()
        try await withServer({ _, _ in .truncated(archive.prefix(100), declared: archive.count) }) { server in
            let error = try #require(await fetchError { () throws(ModelFetchError) in
                try await verifier(testOptions(maxAttempts: 2)).verify(url: server.url("/cut.tgz"),
                                                                       sha256: SHA256Hasher.digest(archive).hex, version: "2")
            })
            #expect(error.reason == .downloadFailed)
            #expect(error.description.contains("after 2 attempts"), "\(error)")
            #expect(server.requests("/cut.tgz") == 2)
        }
    }

    @Test("a stalled server trips the low-speed timeout")
    func slow() async throws {
        try await withServer({ _, _ in .slow(chunk: Data(count: 10), interval: .milliseconds(500), count: 40) }) { server in
            let started = ContinuousClock.now
            let error = try #require(await fetchError { () throws(ModelFetchError) in
                try await verifier(testOptions(maxAttempts: 1)).verify(url: server.url("/slow.tgz"),
                                                                       sha256: String(repeating: "0", count: 64), version: "3")
            })
            #expect(error.reason == .downloadFailed)
            #expect(error.description.lowercased().contains("too slow"), "\(error)")
            #expect(ContinuousClock.now - started < .seconds(15), "the whole transfer would take 20 s")
        }
    }

    @Test("redirects: followed hop by hop, a loop stops at the limit, a hop to a denied address is refused")
    func redirects() async throws {
        let archive = try sampleArchive()
        try await withServer({ path, _ in
            switch path {
            case "/a": return .redirect("/b")
            case "/b": return .redirect("/a")
            case "/hop": return .redirect("/final.tgz", status: 301)
            case "/final.tgz": return .body(archive)
            default: return .redirect("http://169.254.169.254/latest/meta-data/")
            }
        }) { server in
            let want = SHA256Hasher.digest(archive).hex
            let ok = try await verifier().verify(url: server.url("/hop"), sha256: want, version: "1")
            #expect(ok.sha256.hex == want)
            #expect(server.requests("/final.tgz") == 1)

            let loop = try #require(await fetchError { () throws(ModelFetchError) in
                try await verifier().verify(url: server.url("/a"), sha256: want, version: "1")
            })
            #expect(loop.reason == .downloadFailed)
            #expect(loop.description.contains("more than 3 redirects"), "\(loop)")
            #expect(server.requests("/a") + server.requests("/b") == 4)

            let refused = try #require(await fetchError { () throws(ModelFetchError) in
                try await verifier().verify(url: server.url("/evil"), sha256: want, version: "1")
            })
            #expect(refused.reason == .urlNotAllowed)
            #expect(refused.description.contains("169.254.169.254"))
            #expect(refused.url == server.url("/evil"))
        }
    }

    @Test("oversize archives are refused from Content-Length, and mid-stream without one")
    func oversize() async throws {
        let big = Data(count: 300_000)
        try await withServer({ path, _ in path == "/chunked" ? .chunked(big) : .body(big) }) { server in
            for path in ["/big.tgz", "/chunked"] {
                let error = try #require(await fetchError { () throws(ModelFetchError) in
                    try await verifier(testOptions(maxBytes: 100_000)).verify(url: server.url(path),
                                                                              sha256: SHA256Hasher.digest(big).hex, version: "9")
                })
                #expect(error.reason == .tooLarge, "\(path): \(error)")
                #expect(error.description.contains("100000-byte limit"))
                #expect(server.requests(path) == 1)
            }
        }
    }

    @Test("the connection goes to the checked address: a name only the policy's resolver knows still downloads")
    func pinnedAddress() async throws {
        let archive = try sampleArchive()
        try await withServer({ _, _ in .body(archive) }) { server in
            let resolver = TableResolver(table: ["models.example.test": ["127.0.0.1"]])
            let url = "http://models.example.test:\(server.port)/m.tgz"
            let verified = try await verifier(resolver: resolver).verify(url: url, sha256: SHA256Hasher.digest(archive).hex)
            #expect(verified.bytes == Int64(archive.count))
            #expect(server.requests() == 1)
        }
    }

    @Test("with a cache, a second verification of the same digest makes no request")
    func cached() async throws {
        let archive = try sampleArchive()
        try await withServer({ _, _ in .body(archive) }) { server in
            let dir = try TempDir()
            defer { dir.remove() }
            let cache = DigestCache(root: dir.path)
            let want = SHA256Hasher.digest(archive)
            let first = try await verifier(cache: cache).verify(url: server.url("/m.tgz"), sha256: want.hex, version: "1")
            #expect(!first.fromCache)
            #expect(first.cachedPath == dir.path + "/sha256/" + want.hex)
            #expect(try Data(contentsOf: URL(fileURLWithPath: dir.path + "/sha256/" + want.hex)) == archive)
            let second = try await verifier(cache: cache).verify(url: server.url("/m.tgz"), sha256: want.hex, version: "1")
            #expect(second.fromCache)
            #expect(server.requests() == 1)
            #expect(dir.listing("sha256") == [want.hex], "no temporary download files are left")
            #expect(second.sha256 == want && second.version == "1")
        }
    }
}
