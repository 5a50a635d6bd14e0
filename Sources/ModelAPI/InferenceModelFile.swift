/// One version of a model in `spec.manifest`: an archive to download and the SHA-256 it must
/// have. The keys are those of the original blueprint (`version`, `downloadURL`, `sha256sum`).
public struct InferenceModelFile: Codable, Sendable, Hashable {
    /// The version name, such as `"4"` or `"1.10"`; compared as described in `ModelVersion`.
    /// A number written unquoted in YAML is read as its text (`4` becomes `"4"`).
    public var version: String
    /// Where the archive (`.tar.gz`, `.tgz`, `.tar` or `.zip`) is downloaded from: http or https.
    public var downloadURL: String
    /// The archive's SHA-256 as 64 hexadecimal digits (the output of `sha256sum`).
    public var sha256sum: String

    public init(version: String, downloadURL: String, sha256sum: String) {
        self.version = version
        self.downloadURL = downloadURL
        self.sha256sum = sha256sum
    }

    enum CodingKeys: String, CodingKey {
        case version, downloadURL, sha256sum
    }

    /// Missing keys decode as empty strings so that the validator can name them.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decodeScalarStringIfPresent(forKey: .version) ?? ""
        downloadURL = try container.decodeScalarStringIfPresent(forKey: .downloadURL) ?? ""
        sha256sum = try container.decodeScalarStringIfPresent(forKey: .sha256sum) ?? ""
    }

    /// The digest in lower case, the form digest comparisons and caches use.
    public var normalizedSHA256: String { sha256sum.lowercased() }
}
