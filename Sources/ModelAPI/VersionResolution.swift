/// Why no manifest entry could be chosen to serve.
public enum VersionResolutionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The manifest lists no versions.
    case emptyManifest
    /// `targetVersion` names no manifest entry; `available` lists the versions, highest last.
    case targetVersionNotFound(target: String, available: [String])

    public var description: String {
        switch self {
        case .emptyManifest:
            return "spec.manifest lists no versions; add an entry with version, downloadURL and sha256sum, or set spec.image"
        case .targetVersionNotFound(let target, let available):
            return "spec.targetVersion \"\(target)\" is not in spec.manifest (versions: \(available.joined(separator: ", "))); "
                + "set targetVersion to one of them or add a manifest entry for \(target)"
        }
    }
}

/// Chooses the manifest entry to serve.
public enum VersionResolver {
    /// `targetVersion` when set must name an entry exactly (no numeric equivalence: `"04"` does
    /// not select `"4"`); without it, the highest version by `ModelVersion` order is served.
    /// An empty `targetVersion` counts as unset.
    public static func resolve(
        targetVersion: String?, in manifest: [InferenceModelFile]
    ) throws(VersionResolutionError) -> InferenceModelFile {
        guard !manifest.isEmpty else { throw .emptyManifest }
        if let targetVersion, !targetVersion.isEmpty {
            if let entry = manifest.first(where: { $0.version == targetVersion }) { return entry }
            throw .targetVersionNotFound(target: targetVersion, available: sortedVersions(manifest))
        }
        // Of entries with the same version text the first wins; validation rejects duplicates anyway.
        var best = manifest[0]
        for entry in manifest.dropFirst() where ModelVersion(best.version) < ModelVersion(entry.version) {
            best = entry
        }
        return best
    }

    /// The manifest's version names, lowest first, without duplicates.
    public static func sortedVersions(_ manifest: [InferenceModelFile]) -> [String] {
        Array(Set(manifest.map(\.version))).sorted { ModelVersion($0) < ModelVersion($1) }
    }
}

extension InferenceModelSpec {
    /// The manifest entry to serve (see `VersionResolver.resolve`). Image-based specs have no
    /// entry to serve: their manifest is ignored, so this throws `.emptyManifest` for them.
    public func resolveManifestEntry() throws(VersionResolutionError) -> InferenceModelFile {
        guard case .manifest(let files) = source else { throw .emptyManifest }
        return try VersionResolver.resolve(targetVersion: targetVersion, in: files)
    }
}
