import Foundation
import Operator

/// The `--runtime-config` the operator gets on a real cluster, for the `tensorflow` framework
/// the tests' models name. With `E2E_SERVING_IMAGE`: that image with `E2E_SERVING_ARGS`
/// (default: busybox `httpd` serving the model directory on the serving port), the archive
/// unpacked as is, and a TCP readiness probe; the test archives are no real SavedModels, so
/// TensorFlow Serving could not load them. Without it: the default runtime, whose pods are
/// not expected to run. Either way any CPU architecture may host it, so placement does not
/// depend on the cluster's architectures.
enum E2EServingRuntime {
    static let defaultArguments = ["httpd", "-f", "-p", "{{port}}", "-h", "{{modelDir}}"]

    static func runtime(_ environment: E2EEnvironment) throws -> ServingRuntime {
        if let image = environment.servingImage {
            return ServingRuntime(image: image, layout: .plain, args: try arguments(environment.servingArgumentsJSON))
        }
        // The built-in catalog always has tensorflow; the fallback only keeps this total.
        var runtime = ServingRuntimeCatalog.defaults.runtime(for: "tensorflow")
            ?? ServingRuntime(image: "tensorflow/serving:2.14.1", layout: .tensorflow, args: [])
        runtime.architectures = []
        runtime.gpuArchitectures = []
        return runtime
    }

    /// The config file's content (JSON, which the YAML loader reads).
    static func config(_ environment: E2EEnvironment) throws -> Data {
        struct File: Encodable { var frameworks: [String: ServingRuntime] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(File(frameworks: ["tensorflow": try runtime(environment)]))
    }

    /// `E2E_SERVING_ARGS` parsed, or the default when unset.
    private static func arguments(_ json: String?) throws -> [String] {
        guard let json else { return defaultArguments }
        guard let arguments = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String] else {
            throw E2EFailure(#"E2E_SERVING_ARGS must be a JSON array of strings, such as ["httpd","-f","-p","{{port}}"]; got \#(json)"#)
        }
        return arguments
    }
}
