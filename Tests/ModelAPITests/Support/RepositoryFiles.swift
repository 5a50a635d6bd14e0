import Foundation
import KubeClient
import KubeModel
import Testing

/// Files of this repository (the CRD, the examples), found relative to this source file.
enum RepositoryFiles {
    /// The repository root: three levels above Tests/ModelAPITests/Support/.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func url(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: url(relativePath), encoding: .utf8)
    }

    /// Every YAML document of a file.
    static func documents(_ relativePath: String) throws -> [JSONValue] {
        try YAML.parseDocuments(text(relativePath))
    }

    /// The YAML files under a directory, recursively, as repository-relative paths, sorted.
    static func yamlFiles(under relativePath: String) throws -> [String] {
        let base = url(relativePath)
        guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else {
            return []
        }
        var paths: [String] = []
        for case let file as URL in enumerator where file.pathExtension == "yaml" {
            let relative = file.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1)
            paths.append(String(relative))
        }
        return paths.sorted()
    }

    /// The CRD's `openAPIV3Schema` of its only version.
    static func crdSchema() throws -> JSONValue {
        let crd = try #require(documents("deploy/crds/ai.kubeedge.io_inferencemodels.yaml").first)
        return try #require(crd[path: ["spec", "versions"]]?[0]?[path: ["schema", "openAPIV3Schema"]])
    }
}
