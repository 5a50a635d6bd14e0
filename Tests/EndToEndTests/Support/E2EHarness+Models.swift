import Foundation
import KubeClient
import KubeModel
import ModelAPI
import Operator
import Testing

/// kubectl, InferenceModel manifests and the waits tests use, all in the test's namespace.
extension E2EHarness {
    // MARK: - kubectl

    /// Runs kubectl against the cluster in the test's namespace; its exit status, stdout and stderr.
    @discardableResult
    func kubectl(_ arguments: [String], stdin: String? = nil) async throws -> (status: Int32, out: String, err: String) {
        try await Kubectl(kubeconfig: kubeconfig, namespace: namespace).run(arguments, stdin: stdin)
    }

    /// `kubectl apply -f -` of YAML text; fails the test with kubectl's stderr when it fails.
    func apply(_ yaml: String) async throws {
        let result = try await kubectl(["apply", "-f", "-"], stdin: yaml)
        #expect(result.status == 0, "kubectl apply failed: \(result.err)")
    }

    /// `kubectl get <what> -o json` as a JSON value.
    func getJSON(_ what: [String]) async throws -> JSONValue {
        let result = try await kubectl(["get"] + what + ["-o", "json"])
        guard result.status == 0 else { throw E2EFailure("kubectl get \(what): \(result.err)") }
        return try JSONValue.parse(result.out)
    }

    // MARK: - Archives

    /// The URL the archive `name` (such as `m-1`) is downloaded from.
    func archiveURL(_ name: String) -> String { archives.url(name) }

    /// The archive's SHA-256 in hex.
    func digest(_ name: String) -> String { archives.digest(name) }

    // MARK: - Models

    /// An InferenceModel manifest in the test's namespace whose version `v` downloads archive `m-v`.
    func modelYAML(name: String, layer: String = "edge", versions: [String] = ["1"], target: String? = nil,
                   replicas: Int = 2, port: Int = 8080, digests: [String: String] = [:], extra: String = "") -> String {
        let manifest = versions.map { version in
            """
                - version: '\(version)'
                  downloadURL: \(archiveURL("m-\(version)"))
                  sha256sum: \(digests[version] ?? digest("m-\(version)"))
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

    /// The image image-based models serve (`E2E_IMAGE_MODEL` on a real cluster).
    var imageModelImage: String { environment.imageModelReference }

    /// Creates an image-based InferenceModel (nothing to download) on the cloud layer.
    func applyImageModel(_ name: String) async throws {
        _ = try await client.create(.inferenceModels, namespace: namespace,
                                    body: ImageModels.manifest(name: name, namespace: namespace, image: imageModelImage))
    }

    func model(_ name: String) async throws -> InferenceModel {
        try await client.get(InferenceModel.self, namespace: namespace, name: name)
    }

    /// Polls until `condition` holds for the model; the failure shows its last status.
    @discardableResult
    func waitForModel(_ name: String, timeout: Duration = .seconds(60), _ what: String,
                      _ condition: (InferenceModel) -> Bool) async throws -> InferenceModel {
        var last: InferenceModel?
        do {
            return try await eventuallyValue("\(name) \(what)", timeout: timeout, every: .milliseconds(50)) {
                let model = try await self.model(name)
                last = model
                return condition(model) ? model : nil
            }
        } catch let failure as E2EFailure {
            let status = (try? last?.status.map { try JSONValue(encoding: $0).jsonString }) ?? "none"
            throw E2EFailure("\(failure); last status: \(status)")
        }
    }

    /// Until the model is Ready and serves `version` (a manifest version, or the image).
    @discardableResult
    func waitUntilReady(_ name: String, version: String) async throws -> InferenceModel {
        try await waitForModel(name, "Ready serving version \(version)") {
            $0.status?.condition(.ready)?.status == .true && $0.status?.servingVersion == version
        }
    }

    /// Where the model's pods can become Available (LocalCluster, or a real cluster with the
    /// image knobs): ``waitUntilReady(_:version:)``. Elsewhere, until the operator has done its
    /// part for the current generation: `version` verified (or image-based) and scheduled, the
    /// Service written (`status.url`), and every Deployment's pod template on `version`.
    @discardableResult
    func waitUntilDeployed(_ name: String, version: String) async throws -> InferenceModel {
        let imageBased = try await eventuallyValue("\(name) readable") { try await self.model(name) }.spec.image?.isEmpty == false
        if imageBased ? environment.imagePodsBecomeAvailable : environment.archivePodsBecomeAvailable {
            return try await waitUntilReady(name, version: version)
        }
        let deployed = try await waitForModel(name, "deployed with version \(version)") {
            $0.status?.observedGeneration == $0.metadata.generation && $0.status?.condition(.verified)?.status == .true
                && $0.status?.condition(.scheduled)?.status == .true && $0.status?.url != nil
        }
        try await eventually("\(name)'s Deployments on version \(version)") {
            let deployments = try await client.list(.deployments, namespace: namespace,
                                                    options: ListOptions(labelSelector: "\(ModelLabels.model)=\(name)"))
            return !deployments.items.isEmpty && deployments.items.allSatisfy {
                $0[path: ["spec", "template", "metadata", "annotations", ModelLabels.servingVersionAnnotation]]
                    == .string(version)
            }
        }
        return deployed
    }
}
