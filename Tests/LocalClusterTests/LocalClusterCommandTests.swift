import Foundation
import KubeClient
import Testing

@Suite("model-operator local-cluster")
struct LocalClusterCommandTests {
    /// The `model-operator` binary built next to the test bundle.
    static func binary() throws -> String {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let candidates = [
            runner.deletingLastPathComponent().appendingPathComponent("model-operator").path,
            FileManager.default.currentDirectoryPath + "/.build/debug/model-operator",
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TestFailure("model-operator is not built (looked at \(candidates)); run swift build --build-tests")
        }
        return found
    }

    @Test("the subcommand serves the API, writes a kubeconfig kubectl can use, and adds demo nodes")
    func serves() async throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let kubeconfig = dir.file("kc")
        let server = try ChildProcess(try Self.binary(), ["local-cluster", "--kubeconfig", kubeconfig.path, "--demo-nodes"],
                                      in: dir)
        defer { server.stop() }
        let banner = try await server.waitForOutput { $0.contains("Press Ctrl-C to stop.") }
        #expect(banner.contains("Kubeconfig written to \(kubeconfig.path)"))
        #expect(banner.contains("http://127.0.0.1:"))
        let kubectl = try ChildProcess(executablePath("kubectl"), [
            "--kubeconfig", kubeconfig.path, "--cache-dir", dir.file("cache").path, "get", "nodes", "-o", "name",
        ], in: dir, environment: ["HOME": dir.url.path])
        #expect(try await kubectl.wait() == 0, "\(kubectl.stderr)")
        #expect(kubectl.stdout.contains("node/cloud-gpu-1"))
        #expect(kubectl.stdout.contains("node/edge-arm-2"))
    }

    @Test("a bad port is refused with a clear message")
    func badPort() async throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let command = try ChildProcess(try Self.binary(), ["local-cluster", "--port", "70000"], in: dir)
        #expect(try await command.wait() != 0)
        #expect(command.stderr.contains("--port must be between 0 and 65535"))
    }
}
