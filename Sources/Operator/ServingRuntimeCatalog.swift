import Foundation
import KubeClient

/// Maps an InferenceModel's `frameworkType` to the runtime that serves it. Built-in defaults
/// cover TensorFlow Serving, Triton and ONNX Runtime; a YAML config file can override or add
/// frameworks:
///
/// ```yaml
/// frameworks:
///   tensorflow:
///     image: tensorflow/serving:2.14.1
///     gpuImage: tensorflow/serving:2.14.1-gpu
///     architectures: [amd64]
///     layout: tensorflow
///     args: ["--model_name={{model}}", "--model_base_path={{modelDir}}/{{model}}", "--rest_api_port={{port}}"]
///     readinessPath: /v1/models/{{model}}
/// aliases:
///   tf: tensorflow
/// ```
public struct ServingRuntimeCatalog: Sendable, Equatable {
    public var frameworks: [String: ServingRuntime]
    /// Other spellings of a framework name (`tf` → `tensorflow`); matched case-insensitively.
    public var aliases: [String: String]

    public init(frameworks: [String: ServingRuntime], aliases: [String: String] = [:]) {
        self.frameworks = frameworks
        self.aliases = aliases
    }

    /// The runtime for a framework, or nil when the catalog has none.
    public func runtime(for framework: String) -> ServingRuntime? {
        let name = framework.lowercased()
        return frameworks[aliases[name] ?? name]
    }

    /// The framework names users may write, sorted (for error messages).
    public var knownFrameworks: [String] { Array(Set(frameworks.keys).union(aliases.keys)).sorted() }

    /// The defaults: TensorFlow Serving, Triton (TensorRT, PyTorch, ONNX) and ONNX Runtime.
    public static let defaults = ServingRuntimeCatalog(
        frameworks: [
            "tensorflow": ServingRuntime(
                image: "tensorflow/serving:2.14.1", gpuImage: "tensorflow/serving:2.14.1-gpu",
                architectures: ["amd64"], layout: .tensorflow,
                args: ["--model_name={{model}}", "--model_base_path={{modelDir}}/{{model}}", "--rest_api_port={{port}}",
                       "--port={{grpcPort}}"],
                readinessPath: "/v1/models/{{model}}"),
            "triton": ServingRuntime(
                image: "nvcr.io/nvidia/tritonserver:24.08-py3", architectures: ["amd64", "arm64"], layout: .triton,
                args: ["tritonserver", "--model-repository={{modelDir}}", "--http-port={{port}}", "--allow-grpc=false"],
                readinessPath: "/v2/health/ready"),
            "onnxruntime": ServingRuntime(
                image: "mcr.microsoft.com/onnxruntime/server:latest", architectures: ["amd64"], layout: .plain,
                args: ["--model_path={{modelDir}}/model.onnx", "--http_port={{port}}"]),
        ],
        aliases: [
            "tf": "tensorflow", "tensorflow-serving": "tensorflow", "tfserving": "tensorflow", "keras": "tensorflow",
            "tensorrt": "triton", "pytorch": "triton", "torch": "triton", "onnx": "triton",
            "onnx-runtime": "onnxruntime", "ort": "onnxruntime",
        ])

    /// Loads a catalog file; its frameworks and aliases override and extend the defaults.
    public static func load(contentsOf url: URL) throws -> ServingRuntimeCatalog {
        let document = try YAML.parse(String(decoding: try Data(contentsOf: url), as: UTF8.self))
        var catalog = ServingRuntimeCatalog.defaults
        for (name, value) in document["frameworks"]?.objectValue ?? [:] {
            do {
                catalog.frameworks[name.lowercased()] = try value.decode(as: ServingRuntime.self)
            } catch {
                throw CatalogError(file: url.path, message: "frameworks.\(name) is not a valid runtime: \(error)")
            }
        }
        for (alias, target) in document["aliases"]?.objectValue ?? [:] {
            guard let target = target.stringValue else {
                throw CatalogError(file: url.path, message: "aliases.\(alias) must be a framework name")
            }
            catalog.aliases[alias.lowercased()] = target.lowercased()
        }
        for (alias, target) in catalog.aliases where catalog.frameworks[target] == nil {
            throw CatalogError(file: url.path, message: "alias \(alias) names \(target), which is not a framework")
        }
        return catalog
    }
}

/// A serving-runtime config file that cannot be used, and why.
public struct CatalogError: Error, CustomStringConvertible {
    public let file: String
    public let message: String
    public var description: String { "serving runtime config \(file): \(message)" }
}
