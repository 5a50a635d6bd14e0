import Foundation

/// A fresh, uniquely named directory under the system's temporary directory, for one test:
/// files written into it, and `remove()` (usually in a `defer`) deletes it with its contents.
public struct TempDir: Sendable {
    public let url: URL

    /// Creates the directory. Its name starts with the calling test module's name (from
    /// `fileID`), so one left behind says where it came from.
    public init(fileID: String = #fileID) throws {
        let module = fileID.prefix { $0 != "/" }.lowercased()
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(module)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The directory's path.
    public var path: String { url.path }

    /// The URL of `name` in the directory (which need not exist yet).
    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Writes `text` (UTF-8) to `name` in the directory, replacing what was there.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> URL {
        try write(name, Data(text.utf8))
    }

    /// Writes `data` to `name` in the directory, replacing what was there.
    @discardableResult
    public func write(_ name: String, _ data: Data) throws -> URL {
        let target = file(name)
        try data.write(to: target)
        return target
    }

    /// Every path below the directory (or below `subdirectory` of it), relative to that, sorted.
    public func listing(_ subdirectory: String = "") -> [String] {
        let root = subdirectory.isEmpty ? path : path + "/" + subdirectory
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        return (enumerator.allObjects as? [String] ?? []).sorted()
    }

    /// Deletes the directory and everything in it.
    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
