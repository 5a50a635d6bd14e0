import Foundation
import ModelFetch
import TestSupport
import Testing

@Suite("Safe streaming extraction of tar and tar.gz")
struct ExtractionTests {
    /// Extracts `archive` into a fresh `out/` directory inside a temp dir; returns the temp dir.
    func extract(_ archive: Data, limits: ExtractionLimits = .standard) throws -> (TempDir, Result<ExtractionSummary, ModelFetchError>) {
        let dir = try TempDir()
        let path = try dir.write("archive", archive).path
        try FileManager.default.createDirectory(atPath: dir.path + "/out", withIntermediateDirectories: true)
        do {
            let summary = try ArchiveExtractor(limits: limits).extract(archiveAt: path, into: dir.path + "/out")
            return (dir, .success(summary))
        } catch {
            return (dir, .failure(error))
        }
    }

    func failure(_ result: Result<ExtractionSummary, ModelFetchError>) -> ModelFetchError? {
        if case .failure(let error) = result { return error }
        return nil
    }

    @Test("a tar.gz with directories, files, long names, PAX paths and inner links unpacks exactly")
    func goodArchive() throws {
        var tar = TarBuilder()
        tar.directory("model/1")
        tar.file("model/1/saved_model.pb", "graph")
        tar.file("model/1/run.sh", "#!/bin/sh\n", mode: 0o4755)
        let longName = "model/1/variables/" + String(repeating: "v", count: 150) + ".index"
        tar.gnuLongNameFile(longName, "long")
        tar.paxFile("model/1/pax/" + String(repeating: "p", count: 120), "pax")
        tar.symlink("model/1/latest", to: "saved_model.pb")
        tar.hardlink("model/1/copy.pb", to: "model/1/saved_model.pb")
        let archive = try gzipped(tar.archive)
        let (dir, result) = try extract(archive)
        defer { dir.remove() }
        let summary = try result.get()
        #expect(summary.format == .gzippedTar)
        #expect(summary.archiveDigest == SHA256Hasher.digest(archive))
        let out = dir.path + "/out/model/1"
        #expect(try String(contentsOfFile: out + "/saved_model.pb", encoding: .utf8) == "graph")
        #expect(try String(contentsOfFile: out + "/" + String(longName.dropFirst("model/1/".count)), encoding: .utf8) == "long")
        #expect(try String(contentsOfFile: out + "/pax/" + String(repeating: "p", count: 120), encoding: .utf8) == "pax")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: out + "/latest") == "saved_model.pb")
        #expect(try String(contentsOfFile: out + "/copy.pb", encoding: .utf8) == "graph")
        // setuid is dropped; the execute bits survive.
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: out + "/run.sh")[.posixPermissions] as? Int)
        #expect(mode == 0o755)
        let plainMode = try #require(try FileManager.default.attributesOfItem(atPath: out + "/saved_model.pb")[.posixPermissions] as? Int)
        #expect(plainMode == 0o644)
    }

    @Test("an uncompressed tar unpacks too, and a big file streams through")
    func plainTar() throws {
        var tar = TarBuilder()
        let big = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        tar.file("weights.bin", big)
        let (dir, result) = try extract(tar.archive)
        defer { dir.remove() }
        #expect(try result.get().format == .tar)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.path + "/out/weights.bin")) == big)
    }

    @Test("a multi-member gzip (cat a.gz b.gz) and a large compressed file stream through")
    func multiMemberGzip() throws {
        var first = TarBuilder()
        first.file("a.txt", "first member")
        let big = Data((0..<4_000_000).map { UInt8(truncatingIfNeeded: ($0 / 3) &* 13) })
        var second = TarBuilder()
        second.file("big.bin", big)
        let archive = try gzipped(first.data) + (try gzipped(second.archive))
        let (dir, result) = try extract(archive)
        defer { dir.remove() }
        #expect(try result.get().entries == 2)
        #expect(try String(contentsOfFile: dir.path + "/out/a.txt", encoding: .utf8) == "first member")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.path + "/out/big.bin")) == big)
    }

    @Test("hostile entries are rejected and nothing lands outside the destination",
          arguments: [
            ("dotdot", "../escaped.txt", "\"..\" component"),
            ("nested dotdot", "model/../../escaped.txt", "\"..\" component"),
            ("absolute", "/tmp/escaped.txt", "absolute path"),
          ])
    func hostilePaths(label: String, path: String, message: String) throws {
        var tar = TarBuilder()
        tar.file("ok.txt", "fine")
        tar.file(path, "bad")
        let (dir, result) = try extract(try gzipped(tar.archive))
        defer { dir.remove() }
        let error = try #require(failure(result), "\(label) must be rejected")
        #expect(error.reason == .unsafeArchive)
        #expect(error.description.contains(message), "\(error)")
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/escaped.txt"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/escaped.txt"))
        #expect(dir.listing().filter { !$0.hasPrefix("out") && $0 != "archive" } == [])
    }

    @Test("symlinks that point out, and entries written through symlinks, are rejected")
    func outwardSymlinks() throws {
        let cases: [(String, (inout TarBuilder) -> Void, String)] = [
            ("absolute target", { $0.symlink("link", to: "/etc") }, "absolute path /etc"),
            ("relative escape", { $0.symlink("a/link", to: "../../outside") }, "points outside the destination"),
            ("write through an inner link", { tar in
                tar.directory("real")
                tar.symlink("alias", to: "real")
                tar.file("alias/file.txt", "x")
            }, "lies under alias, a symlink"),
            ("hard link out", { $0.hardlink("h", to: "../../etc/passwd") }, "\"..\" component"),
            ("device", { $0.special("dev/sda", type: "4") }, "device or FIFO"),
        ]
        for (label, build, message) in cases {
            var tar = TarBuilder()
            build(&tar)
            let (dir, result) = try extract(tar.archive)
            defer { dir.remove() }
            let error = try #require(failure(result), "\(label) must be rejected")
            #expect(error.reason == .unsafeArchive, "\(label): \(error)")
            #expect(error.description.contains(message), "\(label): \(error)")
            #expect(!FileManager.default.fileExists(atPath: dir.path + "/outside"))
            #expect(!FileManager.default.fileExists(atPath: dir.path + "/real/file.txt") || label != "write through an inner link")
        }
    }

    @Test("limits on entry count and total size stop archive bombs")
    func limits() throws {
        var many = TarBuilder()
        for index in 0..<20 { many.file("f\(index)", "x") }
        let (dir1, r1) = try extract(many.archive, limits: ExtractionLimits(maxTotalBytes: 1 << 20, maxEntries: 10))
        defer { dir1.remove() }
        #expect(failure(r1)?.description.contains("more than 10 entries") == true)

        var big = TarBuilder()
        big.file("big", Data(count: 10_000))
        let (dir2, r2) = try extract(try gzipped(big.archive), limits: ExtractionLimits(maxTotalBytes: 4096, maxEntries: 10))
        defer { dir2.remove() }
        let error = try #require(failure(r2))
        #expect(error.reason == .unsafeArchive)
        #expect(error.description.contains("more than 4096 bytes"))
    }

    @Test("corrupt and truncated archives give a clear error")
    func corrupt() throws {
        var tar = TarBuilder()
        tar.file("model.pb", Data(count: 5000))
        let gz = try gzipped(tar.archive)
        let (d1, r1) = try extract(gz.prefix(gz.count / 2))
        defer { d1.remove() }
        #expect(failure(r1)?.description.contains("truncated") == true, "\(String(describing: failure(r1)))")

        let (d2, r2) = try extract(tar.archive.prefix(2048))
        defer { d2.remove() }
        #expect(failure(r2)?.description.contains("truncated") == true)

        let (d3, r3) = try extract(Data("this is not an archive at all".utf8) + Data(count: 600))
        defer { d3.remove() }
        #expect(failure(r3)?.description.contains("not a tar archive") == true)

        let (d4, r4) = try extract(Data([0x50, 0x4b, 0x03, 0x04]) + Data(count: 100))
        defer { d4.remove() }
        #expect(failure(r4)?.reason == .extractionFailed)
        #expect(failure(r4)?.description.contains("zip archive cannot be read") == true, "\(String(describing: failure(r4)))")
    }

    @Test("zip: files, directories and inner links unpack; hostile entries are rejected like tar's")
    func zipArchives() throws {
        let good = try ZipBuilder.make([
            ("model/", .directory, ""),
            ("model/saved_model.pb", .file, String(repeating: "graph ", count: 10_000)),
            ("model/latest", .symlink, "saved_model.pb"),
        ])
        let (dir, result) = try extract(good)
        defer { dir.remove() }
        let summary = try result.get()
        #expect(summary.format == .zip)
        #expect(summary.archiveDigest == SHA256Hasher.digest(good))
        #expect(try String(contentsOfFile: dir.path + "/out/model/saved_model.pb", encoding: .utf8) == String(repeating: "graph ", count: 10_000))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir.path + "/out/model/latest") == "saved_model.pb")

        let hostile: [([(String, ZipBuilder.Kind, String)], String)] = [
            ([("../escaped.txt", .file, "bad")], "\"..\" component"),
            ([("/tmp/escaped.txt", .file, "bad")], "absolute path"),
            ([("link", .symlink, "/etc")], "absolute path /etc"),
            ([("a/link", .symlink, "../../outside")], "points outside the destination"),
        ]
        for (entries, message) in hostile {
            let (d, r) = try extract(try ZipBuilder.make(entries))
            defer { d.remove() }
            let error = try #require(failure(r), "\(entries) must be rejected")
            #expect(error.reason == .unsafeArchive)
            #expect(error.description.contains(message), "\(error)")
            #expect(!FileManager.default.fileExists(atPath: d.path + "/escaped.txt"))
        }

        let bomb = try ZipBuilder.make([("zeros.bin", .file, String(repeating: "0", count: 200_000))])
        let (d5, r5) = try extract(bomb, limits: ExtractionLimits(maxTotalBytes: 50_000, maxEntries: 10))
        defer { d5.remove() }
        #expect(failure(r5)?.description.contains("more than 50000 bytes") == true)
    }
}
