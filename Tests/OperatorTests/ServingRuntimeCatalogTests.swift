import Foundation
import Testing
@testable import Operator

@Suite struct ServingRuntimeCatalogTests {
    @Test func defaultsCoverTheBlueprintFrameworks() throws {
        let catalog = ServingRuntimeCatalog.defaults
        let tensorflow = try #require(catalog.runtime(for: "TensorFlow"))
        #expect(tensorflow.image(gpu: false) == "tensorflow/serving:2.14.1")
        #expect(tensorflow.image(gpu: true) == "tensorflow/serving:2.14.1-gpu")
        #expect(tensorflow.arguments(model: "facialexpression", port: 8080, modelDirectory: "/models")
            .contains("--model_base_path=/models/facialexpression"))
        #expect(catalog.runtime(for: "onnx")?.layout == .triton)
        #expect(catalog.runtime(for: "caffe") == nil)
    }

    @Test func configFileOverridesAndAddsFrameworks() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
        frameworks:
          tensorflow:
            image: registry.local/tf-serving:2.15
            layout: tensorflow
            args: ["--rest_api_port={{port}}"]
          paddle:
            image: registry.local/paddle-serving:0.9
            architectures: [amd64, arm64]
            layout: plain
            args: ["--port", "{{port}}"]
        aliases:
          pp: paddle
        """.write(to: file, atomically: true, encoding: .utf8)
        let catalog = try ServingRuntimeCatalog.load(contentsOf: file)
        #expect(catalog.runtime(for: "tensorflow")?.image == "registry.local/tf-serving:2.15")
        #expect(catalog.runtime(for: "PP")?.architectures == ["amd64", "arm64"])
        #expect(catalog.runtime(for: "triton") != nil)
    }

    @Test func aliasToUnknownFrameworkIsRejectedWithItsName() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try "aliases:\n  mx: mxnet\n".write(to: file, atomically: true, encoding: .utf8)
        #expect {
            try ServingRuntimeCatalog.load(contentsOf: file)
        } throws: { error in
            "\(error)".contains("alias mx names mxnet, which is not a framework")
        }
    }

    /// `servingPort: 8500` on a TensorFlow model made `--rest_api_port=8500 --port=8500` collide.
    @Test func tensorflowsGRPCPortNeverCollidesWithTheServingPort() throws {
        let runtime = try #require(ServingRuntimeCatalog.defaults.runtime(for: "tensorflow"))
        let on8500 = runtime.arguments(model: "m", port: 8500, modelDirectory: "/models")
        #expect(on8500.contains("--rest_api_port=8500") && on8500.contains("--port=8501"))
        let on8080 = runtime.arguments(model: "m", port: 8080, modelDirectory: "/models")
        #expect(on8080.contains("--rest_api_port=8080") && on8080.contains("--port=8500"))
    }
}
