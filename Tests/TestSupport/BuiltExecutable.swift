import Foundation
import ProcessSpawn

/// The executables of this package as `swift build` (or `swift build --build-tests`) left them,
/// for tests that run them as child processes.
public enum BuiltExecutable {
    /// `model-operator`: `$MODEL_OPERATOR_BINARY`, else the one built beside the test bundle.
    public static func modelOperator() throws -> URL {
        try find("model-operator", override: "MODEL_OPERATOR_BINARY")
    }

    /// `local-cluster`: `$LOCAL_CLUSTER_BINARY`, else the one built beside the test bundle.
    public static func localCluster() throws -> URL {
        try find("local-cluster", override: "LOCAL_CLUSTER_BINARY")
    }

    /// The product `name`: the path in the environment variable `override` when set, else the
    /// build directory of the running test bundle, else `.build/debug` of the package.
    public static func find(_ name: String, override: String) throws -> URL {
        if let path = ProcessInfo.processInfo.environment[override] {
            return URL(fileURLWithPath: path)
        }
        let runner = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let candidates = [
            runner.deletingLastPathComponent().appendingPathComponent(name),
            // A bundle directory (`*.xctest/`) holds the runner one level deeper on some platforms.
            runner.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(name),
            packageDirectory.appendingPathComponent(".build/debug/\(name)"),
        ]
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) {
            return found
        }
        throw SpawnFailed(description: """
            \(name) is not built (looked at \(candidates.map(\.path).joined(separator: ", "))); \
            build it with `swift build --product \(name)` (or `swift build --build-tests`), or set \(override) to its path
            """)
    }

    /// The package's root directory (this file is at `Tests/TestSupport/` in it).
    public static let packageDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
