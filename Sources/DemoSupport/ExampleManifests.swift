import Foundation
import KubeClient
import KubeModel

/// The runnable examples (`examples/*.yaml`), with each `${SHA256_<ARCHIVE>}` placeholder
/// replaced by the digest of the generated archive it names.
public enum ExampleManifests {
    /// The examples the demo applies, in order.
    public static let runnable = [
        "edge-model.yaml", "cloud-model.yaml", "image-model.yaml", "gpu-model.yaml",
        "joint-inference/edge-model.yaml", "joint-inference/cloud-model.yaml", "joint-inference/edge-router.yaml",
    ]

    /// The archives the runnable examples download.
    public static let archiveNames = ["facial-edge-1", "facial-edge-2", "facial-cloud-1", "resnet-gpu-1",
                                      "joint-edge-1", "joint-cloud-1"]

    /// The placeholder for an archive: upper case, `-` and `.` as `_`.
    public static func placeholder(for archive: String) -> String {
        "${SHA256_" + archive.uppercased().replacingOccurrences(of: "-", with: "_")
            .replacingOccurrences(of: ".", with: "_") + "}"
    }

    /// Reads the runnable examples under `directory` with the digests substituted; fails naming
    /// any placeholder left without an archive.
    public static func load(from directory: URL, digests: [String: String],
                            files: [String] = runnable) throws -> [JSONValue] {
        var documents: [JSONValue] = []
        for file in files {
            var text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            for (archive, digest) in digests { text = text.replacingOccurrences(of: placeholder(for: archive), with: digest) }
            if let range = text.range(of: #"\$\{SHA256_[A-Z0-9_]+\}"#, options: .regularExpression) {
                throw DemoError("\(file): no archive for placeholder \(text[range])")
            }
            documents += try YAML.parseDocuments(text)
        }
        return documents
    }

    /// The `examples/` directory: next to the working directory's Package.swift, or `MODEL_OPERATOR_EXAMPLES`.
    public static func locate() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["MODEL_OPERATOR_EXAMPLES"] {
            return URL(fileURLWithPath: path)
        }
        var directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        for _ in 0..<6 {
            let candidate = directory.appendingPathComponent("examples")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("edge-model.yaml").path) {
                return candidate
            }
            directory.deleteLastPathComponent()
        }
        throw DemoError("cannot find the examples/ directory; run from the repository, or set MODEL_OPERATOR_EXAMPLES")
    }
}
