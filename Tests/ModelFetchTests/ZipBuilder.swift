import Foundation

/// Builds zip archives for tests with Python's `zipfile`, which (unlike `zip`) writes any entry
/// name, including hostile ones, and symlink entries.
enum ZipBuilder {
    enum Kind: String { case file, directory, symlink }

    /// `entries`: name, kind, and content (a symlink's content is its target).
    static func make(_ entries: [(String, Kind, String)]) throws -> Data {
        let dir = try TempDir()
        defer { dir.remove() }
        let spec = entries.map { ["name": $0.0, "kind": $0.1.rawValue, "content": $0.2] }
        let specPath = try dir.write("spec.json", try JSONSerialization.data(withJSONObject: spec))
        let script = """
        import json, sys, zipfile
        spec = json.load(open(sys.argv[1]))
        with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:
            for e in spec:
                info = zipfile.ZipInfo(e["name"])
                info.create_system = 3
                mode = {"file": 0o100644, "directory": 0o040755, "symlink": 0o120777}[e["kind"]]
                info.external_attr = mode << 16
                if e["kind"] == "directory":
                    info.external_attr |= 0x10
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, e["content"])
        """
        let scriptPath = try dir.write("make_zip.py", Data(script.utf8))
        let output = dir.path + "/out.zip"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptPath, specPath, output]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ZipBuildFailed() }
        return try Data(contentsOf: URL(fileURLWithPath: output))
    }

    struct ZipBuildFailed: Error {}
}
