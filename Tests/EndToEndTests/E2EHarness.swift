import DemoSupport
import Foundation
import KubeClient
import LocalCluster
import Logging
import ModelAPI
import Operator
import Testing

/// One end-to-end world per test: LocalCluster with the demo nodes, sample archives on
/// 127.0.0.1, the CRD installed, the operator running in-process, and kubectl pointed at it.
final class E2EHarness: Sendable {
    let demo: DemoEnvironment
    let runtime: OperatorRuntime
    let operatorTask: Task<Void, Error>
    let namespace = "default"

    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func start(archives: [String] = ["m-1", "m-2", "m-3"], options: OperatorOptions = E2EHarness.fastOptions)
        async throws -> E2EHarness
    {
        var logger = Logger(label: "e2e")
        logger.logLevel = .error
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)")
        let demo = try await DemoEnvironment.start(workDirectory: work, archiveNames: archives,
                                                   simulation: DeploymentSimulationOptions(delay: .milliseconds(100)),
                                                   logger: logger)
        try await demo.installCRD(repository: repository)
        let (runtime, task) = demo.startOperator(options: options)
        return E2EHarness(demo: demo, runtime: runtime, operatorTask: task)
    }

    /// Short download retries so failure tests finish quickly.
    static var fastOptions: OperatorOptions {
        var options = OperatorOptions(workers: 2, placementWindow: .milliseconds(50))
        options.download.maxAttempts = 1
        return options
    }

    private init(demo: DemoEnvironment, runtime: OperatorRuntime, operatorTask: Task<Void, Error>) {
        self.demo = demo
        self.runtime = runtime
        self.operatorTask = operatorTask
    }

    func stop() async {
        await runtime.stop()
        _ = try? await operatorTask.value
        await demo.stop()
        try? FileManager.default.removeItem(at: demo.workDirectory)
    }

    // MARK: - kubectl

    /// Runs kubectl against the cluster; returns its exit status, stdout and stderr.
    @discardableResult
    func kubectl(_ arguments: [String], stdin: String? = nil) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["kubectl", "--kubeconfig", demo.kubeconfig.path] + arguments
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// `kubectl apply -f -` of YAML text; fails the test with kubectl's stderr when it fails.
    func apply(_ yaml: String) throws {
        let result = try kubectl(["apply", "-f", "-"], stdin: yaml)
        #expect(result.status == 0, "kubectl apply failed: \(result.err)")
    }

    /// `kubectl get <what> -o json` as a JSON value.
    func getJSON(_ what: [String]) throws -> JSONValue {
        let result = try kubectl(["get"] + what + ["-o", "json"])
        guard result.status == 0 else { throw E2EFailure("kubectl get \(what): \(result.err)") }
        return try JSONValue.parse(result.out)
    }

    // MARK: - Models

    /// An InferenceModel manifest whose versions download from this harness's archive server.
    func modelYAML(name: String, layer: String = "edge", versions: [String] = ["1"], target: String? = nil,
                   replicas: Int = 2, port: Int = 8080, digests: [String: String] = [:], extra: String = "") -> String {
        let manifest = versions.map { version in
            """
                - version: '\(version)'
                  downloadURL: \(demo.archiveURL("m-\(version)"))
                  sha256sum: \(digests[version] ?? demo.digest("m-\(version)"))
            """
        }.joined(separator: "\n")
        return """
        apiVersion: ai.kubeedge.io/v1alpha1
        kind: InferenceModel
        metadata:
          name: \(name)
          namespace: \(namespace)
        spec:
          modelName: \(name)
          deployToLayer: \(layer)
          frameworkType: tensorflow
          manifest:
        \(manifest)
        \(target.map { "  targetVersion: '\($0)'" } ?? "")
          servingPort: \(port)
          replicas: \(replicas)
        \(extra)
        """
    }

    func model(_ name: String) async throws -> InferenceModel {
        try await demo.client.get(InferenceModel.self, namespace: namespace, name: name)
    }

    /// Polls until `condition` holds for the model (or fails after `timeout`).
    @discardableResult
    func waitForModel(_ name: String, timeout: Duration = .seconds(60), _ what: String,
                      _ condition: (InferenceModel) -> Bool) async throws -> InferenceModel {
        let deadline = ContinuousClock.now + timeout
        var last: InferenceModel?
        while ContinuousClock.now < deadline {
            if let model = try? await model(name) {
                last = model
                if condition(model) { return model }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw E2EFailure("\(name): not \(what) within \(timeout); last status: \((try? last?.status.map { try JSONValue(encoding: $0).jsonString }) ?? "none")")
    }

    func waitUntilReady(_ name: String, version: String) async throws -> InferenceModel {
        try await waitForModel(name, "Ready serving version \(version)") {
            $0.status?.condition(.ready)?.status == .true && $0.status?.servingVersion == version
        }
    }

    /// Waits until `condition` holds (polling every 50 ms).
    func wait(timeout: Duration = .seconds(60), _ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if (try? await condition()) == true { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw E2EFailure("not \(what) within \(timeout)")
    }
}

struct E2EFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
