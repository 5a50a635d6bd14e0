import Foundation
import KubeClient
import ModelFetch
import Testing

@Suite("Verified-digest records, sizes and termination messages")
struct RecordTests {
    let digest = SHA256Hasher.digest(Data("abc".utf8))

    @Test("a record round-trips through the JSON kept in status.verified")
    func roundTrip() throws {
        let record = VerifiedDigestRecord(version: "4", url: "http://127.0.0.1:8080/m4.tar.gz", sha256: digest,
                                          verifiedAt: Date(timeIntervalSince1970: 1_700_000_000.7))
        let json = record.json
        #expect(json["verifiedAt"]?.stringValue == "2023-11-14T22:13:20Z")
        #expect(json["sha256"]?.stringValue == digest.hex)
        #expect(VerifiedDigestRecord(json: json) == record)
        let encoded = try JSONEncoder().encode(record)
        #expect(try JSONDecoder().decode(VerifiedDigestRecord.self, from: encoded) == record)
    }

    @Test("the ledger matches on version, URL and digest together, and skips malformed entries")
    func ledger() throws {
        let status = try JSONValue.parse("""
        [{"version":"4","url":"http://127.0.0.1/m4.tgz","sha256":"\(digest.hex)","verifiedAt":"2024-05-01T12:00:00Z"},
         {"version":"5","url":"http://127.0.0.1/m5.tgz","sha256":"not-hex","verifiedAt":"2024-05-01T12:00:00Z"}]
        """)
        let ledger = VerifiedDigestLedger(json: status)
        #expect(ledger.records.count == 1)
        #expect(ledger.isVerified(version: "4", url: "http://127.0.0.1/m4.tgz", sha256: digest))
        #expect(!ledger.isVerified(version: "4", url: "http://127.0.0.1/other.tgz", sha256: digest))
        #expect(!ledger.isVerified(version: "4", url: "http://127.0.0.1/m4.tgz", sha256: SHA256Hasher.digest(Data())))
        let updated = ledger.recording(VerifiedDigestRecord(version: "4", url: "http://127.0.0.1/new.tgz", sha256: digest, verifiedAt: Date()))
        #expect(updated.records.count == 1)
        #expect(updated.isVerified(version: "4", url: "http://127.0.0.1/new.tgz", sha256: digest))
        #expect(updated.keeping(versions: ["5"]).records.isEmpty)
    }

    @Test("sizes with suffixes")
    func sizes() throws {
        #expect(try ByteSize.parse("20Gi") == 20 << 30)
        #expect(try ByteSize.parse("500M") == 500_000_000)
        #expect(try ByteSize.parse("1234") == 1234)
        #expect(throws: ByteSizeError.self) { try ByteSize.parse("lots") }
        #expect(throws: ByteSizeError.self) { try ByteSize.parse("-1Gi") }
    }

    @Test("a mismatch message names the version, the URL and both digests, and survives the termination file")
    func messages() throws {
        let got = SHA256Hasher.digest(Data())
        let error = ModelFetchError.mismatch(version: "4", url: "http://127.0.0.1:8080/m4.tar.gz", want: digest, got: got)
        #expect(error.reason.rawValue == "ChecksumMismatch")
        #expect(error.description == "sha256 mismatch for version 4 (http://127.0.0.1:8080/m4.tar.gz): want \(digest.hex), got \(got.hex)")
        let text = TerminationMessage.format(reason: error.reason.rawValue, message: error.description)
        let parsed = try #require(TerminationMessage.parse(text))
        #expect(parsed.reason == "ChecksumMismatch")
        #expect(parsed.message == error.description)
        #expect(TerminationMessage.format(reason: "X", message: String(repeating: "é", count: 5000)).utf8.count <= 4096)
    }

    @Test("backoff doubles, is capped, and is jittered between half and all of the delay")
    func backoff() {
        let options = DownloadOptions(initialBackoff: .seconds(1), maxBackoff: .seconds(10))
        #expect(options.backoff(beforeRetry: 1, unit: 1) == .seconds(1))
        #expect(options.backoff(beforeRetry: 3, unit: 1) == .seconds(4))
        #expect(options.backoff(beforeRetry: 3, unit: 0) == .seconds(2))
        #expect(options.backoff(beforeRetry: 30, unit: 1) == .seconds(10))
    }
}
