import Foundation
import Testing

/// Where the end-to-end suite runs, read once from the environment: against an in-process
/// LocalCluster (the default), or against the cluster of `E2E_KUBECONFIG`, and what that
/// cluster can do. Empty variables count as unset (`make e2e` exports every knob).
///
/// | variable | meaning |
/// | --- | --- |
/// | `E2E_KUBECONFIG` | run against this cluster instead of LocalCluster |
/// | `E2E_TIMEOUT_SCALE` | multiplies every wait (default 1 on LocalCluster, 3 on a real cluster) |
/// | `E2E_SERVING_IMAGE` | the model server of archive models; must listen on TCP `{{port}}` |
/// | `E2E_SERVING_ARGS` | its arguments, a JSON array (default busybox `httpd` on `{{port}}`) |
/// | `E2E_FETCH_IMAGE` | the model-operator image, for the `fetch` init container |
/// | `E2E_ARCHIVE_BASE_URL` | where pods and the operator download `m-1.tar.gz`, `m-2.tar.gz`, `m-3.tar.gz` |
/// | `E2E_IMAGE_MODEL` | the image of image-based models; must listen on TCP 8080 by itself |
/// | `E2E_SIMULATED_PODS` | `1`: the cluster simulates Deployment availability (LocalCluster as a process) |
struct E2EEnvironment: Sendable {
    static let current = E2EEnvironment(ProcessInfo.processInfo.environment)

    /// The real cluster's kubeconfig (absolute); nil runs against an in-process LocalCluster.
    let kubeconfig: URL?
    let timeoutScale: Double
    let servingImage: String?
    /// `E2E_SERVING_ARGS` as given (a JSON array of strings; ``E2EServingRuntime`` parses it).
    let servingArgumentsJSON: String?
    let fetchImage: String?
    let archiveBaseURL: String?
    let imageModelImage: String?
    let simulatedPods: Bool

    init(_ environment: [String: String]) {
        func value(_ name: String) -> String? {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return text
        }
        let directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        kubeconfig = value("E2E_KUBECONFIG").map { URL(fileURLWithPath: $0, relativeTo: directory).standardizedFileURL }
        timeoutScale = value("E2E_TIMEOUT_SCALE").flatMap(Double.init).map { max($0, 0.1) } ?? (kubeconfig == nil ? 1 : 3)
        servingImage = value("E2E_SERVING_IMAGE")
        servingArgumentsJSON = value("E2E_SERVING_ARGS")
        fetchImage = value("E2E_FETCH_IMAGE")
        archiveBaseURL = value("E2E_ARCHIVE_BASE_URL").map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        imageModelImage = value("E2E_IMAGE_MODEL")
        simulatedPods = value("E2E_SIMULATED_PODS") == "1"
    }

    /// Whether the suite starts its own LocalCluster (in-process, simulator knobs at hand).
    var isLocalCluster: Bool { kubeconfig == nil }

    /// Whether pods of archive models can become Available: on LocalCluster and simulating
    /// clusters always, on a real cluster with a serving image, a fetch image and archives the
    /// pods can download.
    var archivePodsBecomeAvailable: Bool {
        isLocalCluster || simulatedPods || (servingImage != nil && fetchImage != nil && archiveBaseURL != nil)
    }

    /// Whether pods of image-based models can become Available.
    var imagePodsBecomeAvailable: Bool { isLocalCluster || simulatedPods || imageModelImage != nil }

    /// The image of image-based models: `E2E_IMAGE_MODEL`, or a name no cluster needs to pull
    /// where pods never run or are only simulated.
    var imageModelReference: String { imageModelImage ?? "localhost:5000/models/mobilenet-serving:1.0" }

    /// `duration` multiplied by the timeout scale.
    func scaled(_ duration: Duration) -> Duration { duration * timeoutScale }
}

extension Trait where Self == ConditionTrait {
    /// For tests that wait for pods of archive models to become Available (Ready, serving
    /// versions, ready replicas): skipped on a real cluster without the image and archive knobs.
    static var needsArchivePods: Self {
        .enabled(if: E2EEnvironment.current.archivePodsBecomeAvailable,
                 "pods of archive models cannot run here: set E2E_SERVING_IMAGE, E2E_FETCH_IMAGE and E2E_ARCHIVE_BASE_URL")
    }

    /// For tests that wait for pods of image-based models to become Available.
    static var needsImagePods: Self {
        .enabled(if: E2EEnvironment.current.imagePodsBecomeAvailable,
                 "pods of image-based models cannot run here: set E2E_IMAGE_MODEL (an image listening on TCP 8080)")
    }

    /// For tests that drive LocalCluster's simulator or look inside an in-process operator;
    /// each use says why it cannot run against a real cluster.
    static func localClusterOnly(_ reason: Comment) -> Self {
        .enabled(if: E2EEnvironment.current.isLocalCluster, reason)
    }
}
