import Foundation
import ModelFetch
import TestSupport
import Testing

/// The escapes of issue 10 (finding 1), each archive built here byte by byte.
@Suite("Extraction cannot leave the destination")
struct EscapeTests {
    /// A fresh temp dir with `out/` (the destination) and `outside/` (where nothing may land).
    struct Scene {
        let dir: TempDir
        var out: String { dir.path + "/out" }
        var outside: String { dir.path + "/outside" }

        init() throws {
            dir = try TempDir()
            try FileManager.default.createDirectory(atPath: dir.path + "/out", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: dir.path + "/outside", withIntermediateDirectories: true)
        }

        func extract(_ archive: Data, limits: ExtractionLimits = .standard) throws -> ModelFetchError? {
            let path = try dir.write("archive", archive).path
            do {
                _ = try ArchiveExtractor(limits: limits).extract(archiveAt: path, into: out)
                return nil
            } catch {
                return error
            }
        }

        /// What lies beside the destination or in `outside/` (not walking into `out/`, whose
        /// links may loop).
        var strays: [String] {
            let top = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            let inOutside = (try? FileManager.default.contentsOfDirectory(atPath: outside)) ?? []
            return top.filter { !["out", "outside", "archive"].contains($0) }.sorted() + inOutside.sorted()
        }
    }

    /// The chain: `b -> .`, `c0 -> b/..`, `c1 -> c0/..` … `c11 -> c10/..`, then
    /// `tgt -> c11/<absolute dir>`: to the kernel, c11 is twelve levels above the destination.
    static func chainLinks(to absoluteDir: String) -> [(String, String)] {
        var links = [("b", "."), ("c0", "b/..")]
        for index in 1...11 { links.append(("c\(index)", "c\(index - 1)/..")) }
        links.append(("tgt", "c11" + absoluteDir))
        return links
    }

    @Test("a slash followed by a combining mark is still a slash: ../\\u{301}x is refused (tar and zip)")
    func combiningMarkAfterSlash() throws {
        for (label, name) in [("U+0301", "../\u{301}escaped"), ("U+200D", "../\u{200D}escaped")] {
            var tar = TarBuilder()
            tar.file(name, "bad")
            let scene = try Scene()
            defer { scene.dir.remove() }
            let error = try #require(try scene.extract(tar.archive), "\(label) must be refused")
            #expect(error.reason == .unsafeArchive, "\(error)")
            #expect(error.description.contains("\"..\" component"), "\(error)")
            #expect(scene.strays == [], "\(label): \(scene.strays)")

            let zipScene = try Scene()
            defer { zipScene.dir.remove() }
            let zipError = try #require(try zipScene.extract(try ZipBuilder.make([(name, .file, "bad")])), "zip \(label) must be refused")
            #expect(zipError.reason == .unsafeArchive, "\(zipError)")
            #expect(zipScene.strays == [], "zip \(label): \(zipScene.strays)")
        }
    }

    @Test("the issue's symlink chain with tgt/\\u{301}x writes nothing outside the destination (tar)")
    func chainEscapeTar() throws {
        let scene = try Scene()
        defer { scene.dir.remove() }
        var tar = TarBuilder()
        for (name, target) in Self.chainLinks(to: scene.outside) { tar.symlink(name, to: target) }
        tar.file("tgt/\u{301}x", "planted")
        let error = try #require(try scene.extract(tar.archive), "the chain must be refused")
        #expect(error.reason == .unsafeArchive, "\(error)")
        #expect(error.description.contains("points outside the destination"), "\(error)")
        #expect(scene.strays == [], "\(scene.strays)")
    }

    @Test("the issue's symlink chain with tgt/\\u{301}x writes nothing outside the destination (zip)")
    func chainEscapeZip() throws {
        let scene = try Scene()
        defer { scene.dir.remove() }
        let entries = Self.chainLinks(to: scene.outside).map { ($0.0, ZipBuilder.Kind.symlink, $0.1) }
            + [("tgt/\u{301}x", .file, "planted")]
        let error = try #require(try scene.extract(try ZipBuilder.make(entries)), "the chain must be refused")
        #expect(error.reason == .unsafeArchive, "\(error)")
        #expect(scene.strays == [], "\(scene.strays)")
    }

    @Test("even with its links allowed one by one, no entry is written through a symlink")
    func noWriteThroughLinks() throws {
        // b -> . is harmless on its own; an entry under it must still not be written through it.
        let scene = try Scene()
        defer { scene.dir.remove() }
        var tar = TarBuilder()
        tar.symlink("b", to: ".")
        tar.file("b/\u{301}x", "through")
        let error = try #require(try scene.extract(tar.archive))
        #expect(error.reason == .unsafeArchive)
        #expect(error.description.contains("a symlink"), "\(error)")
        #expect(!FileManager.default.fileExists(atPath: scene.out + "/\u{301}x"))
    }

    @Test("symlink chains that end outside are refused, whatever the order of the links")
    func chainsEndingOutside() throws {
        let cases: [(String, [(String, String)])] = [
            ("direct", [("etcpasswd", "../../../../etc/passwd")]),
            ("via b -> .", [("b", "."), ("up", "b/.."), ("etcpasswd", "up/etc/passwd")]),
            ("link written before the link it goes through", [("up", "b/.."), ("b", ".")]),
            ("through a subdirectory link", [("d/self", "."), ("d/up", "self/../.."), ("e", "d/up/etc")]),
            ("a loop", [("loop1", "loop2"), ("loop2", "loop1")]),
        ]
        for (label, links) in cases {
            let scene = try Scene()
            defer { scene.dir.remove() }
            var tar = TarBuilder()
            tar.directory("d")
            for (name, target) in links { tar.symlink(name, to: target) }
            let error = try #require(try scene.extract(tar.archive), "\(label) must be refused")
            #expect(error.reason == .unsafeArchive, "\(label): \(error)")
            #expect(error.description.contains("points outside") || error.description.contains("loop"), "\(label): \(error)")
        }
    }

    @Test("chains that stay inside are kept")
    func chainsInside() throws {
        let scene = try Scene()
        defer { scene.dir.remove() }
        var tar = TarBuilder()
        tar.directory("model/1")
        tar.file("model/1/saved_model.pb", "graph")
        tar.symlink("latest", to: "model/1")
        tar.symlink("current", to: "latest/saved_model.pb")
        tar.symlink("model/self", to: ".")
        tar.symlink("model/back", to: "self/../latest")
        #expect(try scene.extract(tar.archive) == nil)
        #expect(try String(contentsOfFile: scene.out + "/current", encoding: .utf8) == "graph")
        #expect(try String(contentsOfFile: scene.out + "/model/back/saved_model.pb", encoding: .utf8) == "graph")
    }

    @Test("a zip entry that inflates to more than it declares is refused at the declared size")
    func zipDeclaredSize() throws {
        let scene = try Scene()
        defer { scene.dir.remove() }
        let honest = try ZipBuilder.make([("weights.bin", .file, String(repeating: "0", count: 200_000))])
        let lying = ZipBuilder.declaring(1000, in: honest)
        let error = try #require(try scene.extract(lying), "an entry declaring 1,000 bytes must not unpack to 200,000")
        #expect(error.reason == .unsafeArchive, "\(error)")
        #expect(error.description.contains("1000 bytes its header declares"), "\(error)")
        let written = (try? FileManager.default.attributesOfItem(atPath: scene.out + "/weights.bin")[.size] as? Int) ?? 0
        #expect(written <= 1000)
    }

    @Test("GNU sparse entries are reported as unsupported sparse files, not as devices")
    func sparse() throws {
        let scene = try Scene()
        defer { scene.dir.remove() }
        var tar = TarBuilder()
        tar.special("weights.bin", type: "S")
        let error = try #require(try scene.extract(tar.archive))
        #expect(error.reason == .unsafeArchive)
        #expect(error.description.contains("sparse"), "\(error)")
        #expect(!error.description.contains("device or FIFO"), "\(error)")
    }

    @Test("CR, LF and other control characters in entry names never reach a message")
    func controlCharactersInNames() throws {
        let scene = try Scene()
        defer { scene.dir.remove() }
        var tar = TarBuilder()
        tar.file("evil\r\nChecksumMismatch: forged\u{1B}[2J\u{202E}/../../x", "bad")
        let error = try #require(try scene.extract(tar.archive))
        #expect(error.reason == .unsafeArchive)
        let message = error.description
        #expect(!message.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x202E }, "\(message.debugDescription)")
        #expect(message.contains("evil\\u{D}\\u{A}ChecksumMismatch"), "\(message)")
        let termination = TerminationMessage.format(reason: error.reason.rawValue, message: message)
        #expect(!termination.contains("\n") && !termination.contains("\r"))
    }

    @Test("without --max-extracted-size, a small gzip bomb is stopped at a bound derived from its size")
    func derivedSizeLimit() throws {
        let scene = try Scene()
        defer { scene.dir.remove() }
        let mebibyte = 1 << 20
        let count = 300
        var header = TarBuilder()
        header.fileHeader("zeros.bin", size: count * mebibyte)
        let zeros = try gzipped(Data(count: mebibyte))
        var bomb = try gzipped(header.data)
        for _ in 0..<count { bomb.append(zeros) }
        bomb.append(try gzipped(Data(count: 1024)))
        #expect(bomb.count < 2 * mebibyte, "the bomb is small: \(bomb.count) bytes")
        let error = try #require(try scene.extract(bomb), "300 MiB from a \(bomb.count)-byte archive must be refused by default")
        #expect(error.reason == .unsafeArchive)
        #expect(error.description.contains("4 x the \(bomb.count)-byte archive + 256 MiB"), "\(error)")
        #expect(ExtractionLimits.derivedMaxTotalBytes(archiveBytes: Int64(bomb.count)) == 4 * Int64(bomb.count) + (256 << 20))
        #expect(ExtractionLimits.derivedMaxTotalBytes(archiveBytes: 100 << 30) == 64 << 30)
        // The same archive passes with an explicit, larger bound.
        let again = try Scene()
        defer { again.dir.remove() }
        #expect(try again.extract(bomb, limits: ExtractionLimits(maxTotalBytes: 400 << 20, maxEntries: 10)) == nil)
    }
}
