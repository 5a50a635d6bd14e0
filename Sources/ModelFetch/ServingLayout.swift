import KubeModel
import Foundation

/// Where the unpacked model goes under `--dest`, as the serving framework expects it.
///
/// - `tensorflow` (TensorFlow Serving, `--model_base_path=<dest>/<model>`): the files land in
///   `<dest>/<model>/<version>/` (e.g. `/models/facialexpression/4/saved_model.pb`). An archive
///   whose only top-level entry is a directory named after the model is unwrapped, and then one
///   whose only top-level entry is a directory named after the version or with an all-digit
///   name (an export's own version number) is unwrapped too; any other layout is kept as is.
/// - `triton` (Triton's model repository `<dest>/<model>/<version>/`): a single top-level
///   directory named after the model is unwrapped. If the archive then holds numbered
///   directories it is a whole model directory and lands in `<dest>/<model>/` (a single numbered
///   directory is renamed to the version); otherwise its files land in `<dest>/<model>/<version>/`,
///   except `config.pbtxt`, which goes to `<dest>/<model>/`.
/// - `plain` (ONNX Runtime server and anything that takes a path): the archive's contents land
///   in `<dest>/` unchanged.
///
/// A directory the layout owns (`<dest>/<model>/<version>/`, or Triton's model directory) is
/// replaced as a whole when a pod restarts, so no file of an earlier archive lingers; with
/// `plain`, top-level entries of the archive replace those of the same name.
public enum ServingLayout: String, Sendable, CaseIterable, Equatable {
    case tensorflow, triton, plain

    /// Moves the unpacked tree from `staging` into `dest` as the layout says, replacing what an
    /// earlier run left there; returns the directory that now holds the model.
    public func install(staging: String, dest: String, model: String?, version: String?) throws(ModelFetchError) -> String {
        switch self {
        case .plain:
            try Self.checkLinksStayInside(staging)
            try Self.moveContents(of: staging, into: dest)
            return dest
        case .tensorflow:
            let (model, version) = try Self.names(model, version, for: self)
            var source = staging
            if let only = Self.singleDirectory(in: source), only == model { source += "/" + only }
            if let only = Self.singleDirectory(in: source), only == version || Self.isNumber(only) { source += "/" + only }
            let target = dest + "/" + model + "/" + version
            try Self.checkLinksStayInside(source)
            try Self.replaceDirectory(target, with: source)
            return target
        case .triton:
            let (model, version) = try Self.names(model, version, for: self)
            var source = staging
            if let only = Self.singleDirectory(in: source), only == model { source += "/" + only }
            let modelDir = dest + "/" + model
            try Self.checkLinksStayInside(source)
            let numbered = Self.entries(of: source).filter { Self.isNumber($0) && fileType(source + "/" + $0) == S_IFDIR }
            if !numbered.isEmpty {
                if numbered.count == 1, numbered[0] != version {
                    try Self.rename(source + "/" + numbered[0], to: source + "/" + version)
                }
                try Self.replaceDirectory(modelDir, with: source)
                return modelDir
            }
            let config = source + "/config.pbtxt"
            if fileType(config) == S_IFREG {
                try Self.makeDirectory(modelDir)
                try Self.replace(modelDir + "/config.pbtxt", with: config)
            }
            try Self.replaceDirectory(modelDir + "/" + version, with: source)
            return modelDir + "/" + version
        }
    }

    /// Checks that a model name or version can be a directory name.
    public static func validateComponent(_ value: String, what: String) throws(ModelFetchError) {
        // Bytes, not Characters: "/" followed by a combining mark is one Character, not "/".
        let bytes = Array(value.utf8)
        let bad = bytes.isEmpty || bytes == [ArchivePath.dot] || bytes == [ArchivePath.dot, ArchivePath.dot]
            || bytes.contains(ArchivePath.slash) || bytes.contains(0) || bytes.count > 253
        if bad {
            throw ModelFetchError(reason: .extractionFailed, detail: "the \(what) \"\(DisplayText.sanitized(value))\" cannot be a directory name; use letters, digits, dots, dashes or underscores without slashes")
        }
    }

    private static func names(_ model: String?, _ version: String?, for layout: ServingLayout) throws(ModelFetchError) -> (String, String) {
        guard let model, let version else {
            throw ModelFetchError(reason: .extractionFailed, detail: "the \(layout.rawValue) layout needs --model and --version (it writes <dest>/<model>/<version>/)")
        }
        try validateComponent(model, what: "model name")
        try validateComponent(version, what: "version")
        return (model, version)
    }

    static func isNumber(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    static func entries(of directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    /// The name of the only entry in `directory` when it is a real directory (not a link).
    static func singleDirectory(in directory: String) -> String? {
        let names = entries(of: directory)
        guard names.count == 1, fileType(directory + "/" + names[0]) == S_IFDIR else { return nil }
        return names[0]
    }

    /// Refuses the tree if a symlink in it resolves outside `root` once `root` is the model's
    /// directory (unwrapping moves links up, so links are checked again against the new root),
    /// following the tree's other links the way the kernel would (`SymlinkResolver`).
    static func checkLinksStayInside(_ root: String) throws(ModelFetchError) {
        let resolver = SymlinkResolver { parts in
            // Every parent in `parts` is a real directory (the resolver replaced links it met).
            let path = ([root] + parts).joined(separator: "/")
            guard fileType(path) == S_IFLNK else { return nil }
            return (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "/"
        }
        try checkLinks(under: root, relative: [], resolver: resolver)
    }

    private static func checkLinks(under root: String, relative: [String], resolver: SymlinkResolver) throws(ModelFetchError) {
        let directory = ([root] + relative).joined(separator: "/")
        for name in entries(of: directory) {
            let path = directory + "/" + name
            switch fileType(path) {
            case S_IFDIR:
                try checkLinks(under: root, relative: relative + [name], resolver: resolver)
            case S_IFLNK:
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "/"
                let entry = (relative + [name]).joined(separator: "/")
                do { _ = try resolver.resolve(linkAt: relative + [name], target: target) } catch {
                    throw SymlinkResolver.error(error, entry: entry, target: target)
                }
            default:
                continue
            }
        }
    }

    /// Puts `source` at `target`, so no file of an earlier run survives: the old directory is
    /// renamed aside, the new one renamed in, then the old one removed.
    private static func replaceDirectory(_ target: String, with source: String) throws(ModelFetchError) {
        let parent = (target as NSString).deletingLastPathComponent
        try makeDirectory(parent)
        var aside: String?
        if fileType(target) != nil {
            let name = parent + "/.fetch-old-" + UUID().uuidString
            try rename(target, to: name)
            aside = name
        }
        try rename(source, to: target)
        chmod(target, 0o755)
        if let aside { try? FileManager.default.removeItem(atPath: aside) }
    }

    private static func moveContents(of source: String, into target: String) throws(ModelFetchError) {
        try makeDirectory(target)
        for name in entries(of: source) {
            try replace(target + "/" + name, with: source + "/" + name)
        }
    }

    private static func replace(_ destination: String, with source: String) throws(ModelFetchError) {
        if fileType(destination) != nil {
            do { try FileManager.default.removeItem(atPath: destination) } catch {
                throw ModelFetchError(reason: .storageFailed, detail: "cannot remove the old \(destination): \(error.localizedDescription)")
            }
        }
        try rename(source, to: destination)
    }

    private static func rename(_ source: String, to destination: String) throws(ModelFetchError) {
        guard POSIX.renameFile(source, destination) == 0 else {
            throw ModelFetchError(reason: .storageFailed, detail: "cannot move \(source) to \(destination): \(String(cString: strerror(errno)))")
        }
    }

    private static func makeDirectory(_ path: String) throws(ModelFetchError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o755])
        } catch {
            throw ModelFetchError(reason: .storageFailed, detail: "cannot create \(path): \(error.localizedDescription)")
        }
    }
}
