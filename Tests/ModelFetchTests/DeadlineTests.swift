import Foundation
import ModelFetch
import TestSupport
import Testing

/// Issue 10, finding 2: a server that trickles just above the low-speed limit cannot hold a
/// download for ever.
@Suite("Overall download deadline")
struct DeadlineTests {
    /// 2 KiB every 100 ms (20 KiB/s, well above a 1 KiB/s low-speed limit) for 60 s in all.
    static let trickle = ServedResponse.slow(chunk: Data(count: 2048), interval: .milliseconds(100), count: 600)

    @Test("a trickling server fails at the deadline, with a message that says so, and is not retried past it")
    func trickleHitsDeadline() async throws {
        try await withServer({ _, _ in Self.trickle }) { server in
            var options = testOptions(maxAttempts: 3, maxBytes: 10 << 20)
            options.deadline = .seconds(2)
            let verifier = ModelVerifier(downloader: ArchiveDownloader(options: options, client: CurlArchiveClient()))
            let started = ContinuousClock.now
            let error = try #require(await fetchError { () throws(ModelFetchError) in
                try await verifier.verify(url: server.url("/trickle.tgz"), sha256: String(repeating: "0", count: 64), version: "7")
            })
            #expect(error.reason == .downloadFailed)
            #expect(error.description.contains("did not finish within its 2s deadline"), "\(error)")
            #expect(error.description.contains("version 7"))
            #expect(ContinuousClock.now - started < .seconds(30), "the whole trickle would take 60 s")
            #expect(server.requests() <= 1, "no retry once the deadline has passed: \(error)")
        }
    }

    @Test("deadlines parse as people write them")
    func parsing() throws {
        #expect(try DurationText.parse("30m") == .seconds(1800))
        #expect(try DurationText.parse("90") == .seconds(90))
        #expect(try DurationText.parse("1h30m") == .seconds(5400))
        #expect(try DurationText.parse("500ms") == .milliseconds(500))
        for bad in ["", "abc", "5x", "0s", "-3m", "m"] {
            #expect(throws: DurationTextError.self, "\(bad)") { try DurationText.parse(bad) }
        }
    }
}
