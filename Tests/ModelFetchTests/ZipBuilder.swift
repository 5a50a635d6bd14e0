import Foundation
import TestSupport

/// Builds zip archives for tests with Python's `zipfile`, which (unlike `zip`) writes any entry
/// name, including hostile ones, and symlink entries.
enum ZipBuilder {
    enum Kind: String { case file, directory, symlink }

    /// `entries`: name, kind, and content (a symlink's content is its target).
    static func make(_ entries: [(String, Kind, String)]) throws -> Data {
        let dir = try TempDir()
        defer { dir.remove() }
        let spec = entries.map { ["name": $0.0, "kind": $0.1.rawValue, "content": $0.2] }
        let specPath = try dir.write("spec.json", try JSONSerialization.data(withJSONObject: spec)).path
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
        let scriptPath = try dir.write("make_zip.py", Data(script.utf8)).path
        let output = dir.path + "/out.zip"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptPath, specPath, output]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ZipBuildFailed() }
        return try Data(contentsOf: URL(fileURLWithPath: output))
    }

    /// `zip` with every entry's uncompressed size, in its local header and in the central
    /// directory, rewritten to `declared` (the content and its CRC-32 stay as they are): an
    /// archive whose entries inflate to more than they declare.
    static func declaring(_ declared: UInt32, in zip: Data) -> Data {
        var bytes = [UInt8](zip)
        func put(_ value: UInt32, at offset: Int) {
            for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(index))) }
        }
        var offset = 0
        while offset + 4 <= bytes.count {
            let signature = bytes[offset..<offset + 4]
            if signature.elementsEqual([0x50, 0x4b, 0x03, 0x04]) { put(declared, at: offset + 22) }
            if signature.elementsEqual([0x50, 0x4b, 0x01, 0x02]) { put(declared, at: offset + 24) }
            offset += 1
        }
        return Data(bytes)
    }

    struct ZipBuildFailed: Error {}
}
