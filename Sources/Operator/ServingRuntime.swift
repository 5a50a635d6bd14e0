import KubeClient

/// How one serving framework runs a model: images (CPU and GPU variants), the architectures
/// each image is published for, the directory layout `model-operator fetch` prepares, and the
/// command line that points the server at the model and the serving port.
public struct ServingRuntime: Sendable, Equatable, Codable {
    /// The layout of the model directory (see `model-operator fetch --layout`).
    public enum Layout: String, Sendable, Codable {
        /// `<base>/<model>/<version>/` (TensorFlow Serving).
        case tensorflow
        /// `<repository>/<model>/<version>/` (Triton).
        case triton
        /// The archive's files directly under the model directory.
        case plain
    }

    public var image: String
    /// Used when the model asks for a GPU; falls back to `image`.
    public var gpuImage: String?
    /// Architectures `image` is published for (`amd64`, `arm64`); empty means any.
    public var architectures: [String]
    /// Architectures `gpuImage` is published for; empty means the same as `architectures`.
    public var gpuArchitectures: [String]
    public var layout: Layout
    /// The container's arguments. Placeholders: `{{model}}`, `{{port}}`, `{{modelDir}}` (where the
    /// model lands: `/models` for the tensorflow and triton layouts' base, `/models/<model>` for plain).
    public var args: [String]
    /// An HTTP path that answers 200 when the server is ready, probed on the serving port.
    public var readinessPath: String?

    public init(image: String, gpuImage: String? = nil, architectures: [String] = [], gpuArchitectures: [String] = [],
                layout: Layout, args: [String], readinessPath: String? = nil) {
        self.image = image
        self.gpuImage = gpuImage
        self.architectures = architectures
        self.gpuArchitectures = gpuArchitectures
        self.layout = layout
        self.args = args
        self.readinessPath = readinessPath
    }

    private enum CodingKeys: String, CodingKey {
        case image, gpuImage, architectures, gpuArchitectures, layout, args, readinessPath
    }

    /// Decodes a config entry; `architectures`, `gpuArchitectures` and `args` may be left out.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        image = try container.decode(String.self, forKey: .image)
        gpuImage = try container.decodeIfPresent(String.self, forKey: .gpuImage)
        architectures = try container.decodeIfPresent([String].self, forKey: .architectures) ?? []
        gpuArchitectures = try container.decodeIfPresent([String].self, forKey: .gpuArchitectures) ?? []
        layout = try container.decode(Layout.self, forKey: .layout)
        args = try container.decodeIfPresent([String].self, forKey: .args) ?? []
        readinessPath = try container.decodeIfPresent(String.self, forKey: .readinessPath)
    }

    /// The image for a model that does or does not use a GPU.
    public func image(gpu: Bool) -> String { gpu ? (gpuImage ?? image) : image }

    /// The architectures the chosen image runs on; empty means any.
    public func architectures(gpu: Bool) -> [String] {
        gpu && gpuImage != nil && !gpuArchitectures.isEmpty ? gpuArchitectures : architectures
    }

    /// The arguments with placeholders filled in.
    /// `{{grpcPort}}` is a second port that never collides with the serving port: 8500, or
    /// 8501 when the model serves on 8500 (TensorFlow Serving listens on both).
    public func arguments(model: String, port: Int, modelDirectory: String) -> [String] {
        let grpcPort = port == 8500 ? 8501 : 8500
        return args.map {
            $0.replacingOccurrences(of: "{{model}}", with: model)
                .replacingOccurrences(of: "{{port}}", with: String(port))
                .replacingOccurrences(of: "{{grpcPort}}", with: String(grpcPort))
                .replacingOccurrences(of: "{{modelDir}}", with: modelDirectory)
        }
    }
}
