import Foundation
import ModelFetch

/// Small model archives for the demo and the tests, generated on the spot (nothing binary is
/// committed): a TensorFlow SavedModel-shaped directory per archive, packed with `tar czf`.
public enum SampleArchives {
    /// One generated archive: its file and SHA-256.
    public struct Archive: Sendable, Hashable {
        public var name: String
        public var path: String
        public var sha256: String
    }

    /// Writes `<name>.tar.gz` into `directory` for each name; the content depends only on the
    /// name, so the digests are the same on every run.
    public static func generate(_ names: [String], into directory: URL) throws -> [String: Archive] {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
        var archives: [String: Archive] = [:]
        for name in names {
            let source = directory.appendingPathComponent("src-\(name)")
            try? fileManager.removeItem(at: source)
            try fileManager.createDirectory(at: source.appendingPathComponent("variables"), withIntermediateDirectories: true)
            try Data("saved model \(name)\n".utf8).write(to: source.appendingPathComponent("saved_model.pb"))
            try Data(repeating: UInt8(truncatingIfNeeded: name.utf8.count), count: 4096)
                .write(to: source.appendingPathComponent("variables/variables.data-00000-of-00001"))
            try Data("index \(name)\n".utf8).write(to: source.appendingPathComponent("variables/variables.index"))
            let archive = directory.appendingPathComponent("\(name).tar.gz")
            try run("/usr/bin/env", ["tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner",
                                     "-czf", archive.path, "-C", source.path, "."],
                    environment: ["GZIP": "-n"])
            try fileManager.removeItem(at: source)
            let digest = try SHA256Hasher.digest(fileAt: archive.path)
            archives[name] = Archive(name: name, path: archive.path, sha256: digest.hex)
        }
        return archives
    }

    private static func run(_ executable: String, _ arguments: [String], environment: [String: String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw DemoError("tar failed (\(process.terminationStatus)): \(message)")
        }
    }
}

/// A demo step that failed, and why.
public struct DemoError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
