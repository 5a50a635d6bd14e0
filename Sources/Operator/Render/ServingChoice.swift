import ModelAPI

/// What a Deployment's pod template serves: a serving image that contains the model, or a
/// manifest archive that passed the verification gate.
public enum ServingChoice: Sendable, Hashable {
    case image(String)
    /// A manifest entry whose archive's SHA-256 the operator verified.
    case verifiedArchive(InferenceModelFile)

    /// The text `status.servingVersion` reports: the manifest version, or the image.
    public var versionLabel: String {
        switch self {
        case .image(let image): return image
        case .verifiedArchive(let file): return file.version
        }
    }
}
