import Foundation
import ModelFetch
import Testing

/// Small limits so failure cases finish in seconds on a loaded machine.
func testOptions(maxAttempts: Int = 3, maxBytes: Int64 = 1 << 20, maxRedirects: Int = 3) -> DownloadOptions {
    DownloadOptions(maxRedirects: maxRedirects, connectTimeout: .seconds(10),
                    lowSpeedBytesPerSecond: 1000, lowSpeedTime: .seconds(1),
                    maxAttempts: maxAttempts, initialBackoff: .milliseconds(20), maxBackoff: .milliseconds(100),
                    maxBytes: maxBytes)
}

/// A tar.gz holding one saved_model.pb, built in the test.
func sampleArchive(_ content: String = "graph-def") throws -> Data {
    var tar = TarBuilder()
    tar.file("saved_model.pb", content)
    tar.file("variables/variables.index", "index")
    return try gzipped(tar.archive)
}

@Suite("Downloads from a loopback server")
struct DownloadTests {
    func verifier(_ options: DownloadOptions = testOptions(), cache: DigestCache? = nil) -> ModelVerifier {
        ModelVerifier(downloader: ArchiveDownloader(options: options, client: CurlArchiveClient()), cache: cache)
    }

    func outcome(_ body: () async throws(ModelFetchError) -> VerifiedArchive) async -> Result<VerifiedArchive, ModelFetchError> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    @Test("a good archive verifies, a mismatched one names version, URL and both digests")
    func goodAndMismatched() async throws {
        let archive = try sampleArchive()
        let other = try sampleArchive("tampered")
        let server = try await LoopbackServer { path, _ in
            path == "/good.tgz" ? .body(archive) : .body(other)
        }
        defer { Task { await server.shutdown() } }
        let want = SHA256Hasher.digest(archive)
        let verified = try await verifier().verify(url: server.url("/good.tgz"), sha256: want.hex, version: "4")
        #expect(verified.sha256 == want)
        #expect(verified.bytes == Int64(archive.count))
        #expect(!verified.fromCache)
        #expect(verified.cachedPath == nil)

        let result = await outcome { () throws(ModelFetchError) in
            try await verifier().verify(url: server.url("/bad.tgz"), sha256: want.hex, version: "4")
        }
        guard case .failure(let error) = result else { Issue.record("a mismatch must fail"); return }
        #expect(error.reason == .checksumMismatch)
        let got = SHA256Hasher.digest(other)
        #expect(error.description == "sha256 mismatch for version 4 (\(server.url("/bad.tgz"))): want \(want.hex), got \(got.hex)")
        #expect(server.requests("/bad.tgz") == 1, "a mismatch is not retried")
        await server.shutdown()
    }

    @Test("500 then OK: the retry succeeds; 404 is not retried")
    func retries() async throws {
        let archive = try sampleArchive()
        let server = try await LoopbackServer { path, n in
            switch path {
            case "/flaky.tgz": return n == 1 ? .body(Data("oops".utf8), status: 500) : .body(archive)
            default: return .body(Data("no".utf8), status: 404)
            }
        }
        let want = SHA256Hasher.digest(archive).hex
        _ = try await verifier().verify(url: server.url("/flaky.tgz"), sha256: want, version: "1")
        #expect(server.requests("/flaky.tgz") == 2)

        let result = await outcome { () throws(ModelFetchError) in
            try await verifier().verify(url: server.url("/missing.tgz"), sha256: want, version: "1")
        }
        guard case .failure(let error) = result else { Issue.record("404 must fail"); await server.shutdown(); return }
        #expect(error.reason == .downloadFailed)
        #expect(error.description.contains("HTTP 404"))
        #expect(error.description.contains("version 1"))
        #expect(server.requests("/missing.tgz") == 1)
        await server.shutdown()
    }

    @Test("a truncated transfer fails after its retries, with how much arrived")
    func truncated() async throws {
        let archive = try sampleArchive()
        let server = try await LoopbackServer { _, _ in .truncated(archive.prefix(100), declared: archive.count) }
        let result = await outcome { () throws(ModelFetchError) in
            try await verifier(testOptions(maxAttempts: 2)).verify(url: server.url("/cut.tgz"),
                                                                   sha256: SHA256Hasher.digest(archive).hex, version: "2")
        }
        guard case .failure(let error) = result else { Issue.record("truncation must fail"); await server.shutdown(); return }
        #expect(error.reason == .downloadFailed)
        #expect(error.description.contains("after 2 attempts"), "\(error)")
        #expect(server.requests("/cut.tgz") == 2)
        await server.shutdown()
    }

    @Test("a stalled server trips the low-speed timeout")
    func slow() async throws {
        let server = try await LoopbackServer { _, _ in .slow(chunk: Data(count: 10), interval: .milliseconds(500), count: 40) }
        let started = ContinuousClock.now
        let result = await outcome { () throws(ModelFetchError) in
            try await verifier(testOptions(maxAttempts: 1)).verify(url: server.url("/slow.tgz"),
                                                                   sha256: String(repeating: "0", count: 64), version: "3")
        }
        guard case .failure(let error) = result else { Issue.record("a stall must fail"); await server.shutdown(); return }
        #expect(error.reason == .downloadFailed)
        #expect(error.description.lowercased().contains("too slow"), "\(error)")
        #expect(ContinuousClock.now - started < .seconds(15), "the transfer would take 20 s without the limit")
        await server.shutdown()
    }

    @Test("a redirect loop stops at the limit; a redirect to a denied address is refused without contacting it")
    func redirects() async throws {
        let archive = try sampleArchive()
        let server = try await LoopbackServer { path, _ in
            switch path {
            case "/a": return .redirect("/b")
            case "/b": return .redirect("/a")
            case "/hop": return .redirect("/final.tgz", status: 301)
            case "/final.tgz": return .body(archive)
            default: return .redirect("http://169.254.169.254/latest/meta-data/")
            }
        }
        let want = SHA256Hasher.digest(archive).hex
        let ok = try await verifier().verify(url: server.url("/hop"), sha256: want, version: "1")
        #expect(ok.sha256.hex == want)

        let loop = await outcome { () throws(ModelFetchError) in
            try await verifier().verify(url: server.url("/a"), sha256: want, version: "1")
        }
        guard case .failure(let error) = loop else { Issue.record("a loop must fail"); await server.shutdown(); return }
        #expect(error.reason == .downloadFailed)
        #expect(error.description.contains("more than 3 redirects"), "\(error)")
        #expect(server.requests("/a") + server.requests("/b") == 4)

        let metadata = await outcome { () throws(ModelFetchError) in
            try await verifier().verify(url: server.url("/evil"), sha256: want, version: "1")
        }
        guard case .failure(let refused) = metadata else { Issue.record("must be refused"); await server.shutdown(); return }
        #expect(refused.reason == .urlNotAllowed)
        #expect(refused.description.contains("169.254.169.254"))
        #expect(refused.url == server.url("/evil"))
        await server.shutdown()
    }

    @Test("oversize archives are refused from Content-Length")
    func oversize() async throws {
        let big = Data(count: 300_000)
        let server = try await LoopbackServer { _, _ in .body(big) }
        let result = await outcome { () throws(ModelFetchError) in
            try await verifier(testOptions(maxBytes: 100_000)).verify(url: server.url("/big.tgz"),
                                                                      sha256: SHA256Hasher.digest(big).hex, version: "9")
        }
        guard case .failure(let error) = result else { Issue.record("must be refused"); await server.shutdown(); return }
        #expect(error.reason == .tooLarge)
        #expect(error.description.contains("100000-byte limit"))
        #expect(server.requests() == 1)
        await server.shutdown()
    }

    @Test("with a cache, a second verification of the same digest makes no request")
    func cached() async throws {
        let archive = try sampleArchive()
        let server = try await LoopbackServer { _, _ in .body(archive) }
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
        // No temporary download files are left beside the entries.
        #expect(dir.listing("sha256") == [want.hex])
        await server.shutdown()
    }
}
