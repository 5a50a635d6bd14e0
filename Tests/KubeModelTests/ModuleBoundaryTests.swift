import Foundation
import Testing

/// The module boundaries of DESIGN.md section 4, read from the import lines of the sources:
/// KubeModel stays pure, and the `fetch` init container's code (ModelFetch, over CurlHTTP) never
/// pulls in the Kubernetes client.
@Suite struct ModuleBoundaryTests {
    /// Modules that are, or link, the Kubernetes client.
    static let kubernetesClientModules: Set<String> = [
        "KubeClient", "Controller", "Operator", "LocalCluster", "DemoSupport",
    ]

    @Test("KubeModel imports Foundation and FastJSON only: no C library, no networking, no logging")
    func kubeModelImportsFoundationOnly() throws {
        let imports = try SourceImports.of(module: "KubeModel")
        #expect(imports.contains { $0.module == "Foundation" }, "the scan found no import at all")
        for found in imports where found.module != "Foundation" && found.module != "FastJSON" {
            Issue.record("\(found.file) imports \(found.module)")
        }
        // FastJSON itself is pure Swift with no dependency beyond the toolchain's own modules
        // (Foundation; Synchronization for its string pool's lock).
        let toolchain: Set<String> = ["Foundation", "Synchronization"]
        for found in try SourceImports.of(module: "FastJSON") where !toolchain.contains(found.module) {
            Issue.record("\(found.file) imports \(found.module)")
        }
    }

    @Test("ModelFetch and the engine under it import nothing of the Kubernetes client")
    func modelFetchDoesNotImportTheKubernetesClient() throws {
        let fetchImports = try SourceImports.of(module: "ModelFetch")
        #expect(fetchImports.contains { $0.module == "CurlHTTP" }, "ModelFetch downloads over CurlHTTP")
        let engineImports = try SourceImports.of(module: "CurlHTTP")
        #expect(engineImports.contains { $0.module == "CCurl" }, "CurlHTTP wraps libcurl")
        for found in fetchImports + engineImports where Self.kubernetesClientModules.contains(found.module) {
            Issue.record("\(found.file) imports \(found.module)")
        }
    }
}

/// The modules that the Swift files of one source directory import.
enum SourceImports {
    /// The repository root: two levels above Tests/KubeModelTests/.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every import in `Sources/<module>`, recursively, with the file it is in (repository-relative).
    static func of(module: String) throws -> [(file: String, module: String)] {
        let directory = root.appendingPathComponent("Sources").appendingPathComponent(module)
        let files = try FileManager.default.subpathsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".swift") }.sorted()
        var imports: [(file: String, module: String)] = []
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") {
                if let imported = importedModule(line) { imports.append(("Sources/\(module)/\(file)", imported)) }
            }
        }
        return imports
    }

    /// The top-level module an `import` line names (`@testable import X`, `import struct X.Y`,
    /// `@preconcurrency import X.Y`), or nil for any other line.
    static func importedModule(_ line: Substring) -> String? {
        var words = line.split(whereSeparator: \.isWhitespace)[...]
        while let first = words.first, first.hasPrefix("@") { words = words.dropFirst() }
        guard words.first == "import" else { return nil }
        words = words.dropFirst()
        let kinds: Set<Substring> = ["typealias", "struct", "class", "enum", "protocol", "let", "var", "func"]
        if let kind = words.first, kinds.contains(kind) { words = words.dropFirst() }
        return words.first.map { String($0.prefix { $0 != "." && $0 != ";" }) }
    }
}
