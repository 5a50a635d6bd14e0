import Foundation
import KubeClient
import TestSupport
import Testing

@Suite("local-cluster serve")
struct LocalClusterCommandTests {
    @Test("serve runs the API, writes a kubeconfig kubectl can use, and adds demo nodes")
    func serves() async throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let kubeconfig = dir.file("kc")
        let server = try SpawnedProcess.start([try BuiltExecutable.localCluster().path, "serve",
                                               "--kubeconfig", kubeconfig.path, "--demo-nodes"], logsIn: dir.url)
        defer { server.killNow() }
        let banner = try await server.waitForOutput { $0.contains("Press Ctrl-C to stop.") }
        #expect(banner.contains("Kubeconfig written to \(kubeconfig.path)"))
        #expect(banner.contains("http://127.0.0.1:"))
        let kubectl = try SpawnedProcess.start([
            executablePath("kubectl"),
            "--kubeconfig", kubeconfig.path, "--cache-dir", dir.file("cache").path, "get", "nodes", "-o", "name",
        ], logsIn: dir.url, environment: ["HOME": dir.url.path])
        #expect(try await kubectl.wait() == 0, "\(kubectl.stderr)")
        #expect(kubectl.stdout.contains("node/cloud-gpu-1"))
        #expect(kubectl.stdout.contains("node/edge-arm-2"))
    }

    @Test("SIGTERM stops the server cleanly")
    func stopsOnSIGTERM() async throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let server = try SpawnedProcess.start([try BuiltExecutable.localCluster().path, "serve",
                                               "--kubeconfig", dir.file("kc").path], logsIn: dir.url)
        defer { server.killNow() }
        _ = try await server.waitForOutput { $0.contains("Press Ctrl-C to stop.") }
        #expect(await server.stop(grace: .seconds(20)) == 0)
        #expect(server.stdout.contains("Stopping LocalCluster."))
    }

    @Test("a bad port is refused with a clear message")
    func badPort() async throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let command = try SpawnedProcess.start([try BuiltExecutable.localCluster().path, "serve", "--port", "70000"],
                                               logsIn: dir.url)
        #expect(try await command.wait() != 0)
        #expect(command.stderr.contains("--port must be between 0 and 65535"))
    }
}

@Suite("local-cluster and model-operator are separate binaries")
struct BinarySplitTests {
    /// The subcommand names a command's `--help` lists under SUBCOMMANDS.
    static func subcommands(_ binary: URL, in dir: TempDir) async throws -> [String] {
        let help = try SpawnedProcess.start([binary.path, "--help"], logsIn: dir.url)
        #expect(try await help.wait() == 0, "\(help.stderr)")
        let lines = help.stdout.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: "SUBCOMMANDS:") else { return [] }
        // A subcommand's line starts two spaces in; its description may wrap onto deeper-indented lines.
        return lines[(start + 1)...].prefix { !$0.isEmpty }
            .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .compactMap { $0.split(separator: " ", omittingEmptySubsequences: true).first.map(String.init) }
    }

    @Test("model-operator offers only the product's commands: run, fetch, render, place, version")
    func modelOperatorCommands() async throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let names = try await Self.subcommands(try BuiltExecutable.modelOperator(), in: dir)
        #expect(Set(names) == ["run", "fetch", "render", "place", "version"], "\(names)")
        let removed = try SpawnedProcess.start([try BuiltExecutable.modelOperator().path, "local-cluster"], logsIn: dir.url)
        #expect(try await removed.wait() != 0)
    }

    @Test("local-cluster offers serve (the default) and demo")
    func localClusterCommands() async throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let names = try await Self.subcommands(try BuiltExecutable.localCluster(), in: dir)
        #expect(Set(names) == ["serve", "demo"], "\(names)")
    }
}
