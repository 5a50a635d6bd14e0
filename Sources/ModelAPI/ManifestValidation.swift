import Foundation

/// The rules for `spec.manifest`: each entry names a version once, downloads over http(s) and
/// carries a full SHA-256.
enum ManifestValidation {
    /// The longest version name the CRD accepts.
    static let maxVersionLength = 64

    /// The most manifest entries the CRD accepts.
    static let maxEntries = 64
    /// The longest download URL the CRD accepts.
    static let maxURLLength = 2048

    static func validate(_ manifest: [InferenceModelFile], into issues: inout IssueList) {
        if manifest.count > maxEntries {
            issues.error("spec.manifest", "spec.manifest has \(manifest.count) entries, more than \(maxEntries); keep the versions you may serve or roll back to, and remove older ones")
        }
        var firstIndexOfVersion: [String: Int] = [:]
        for (index, file) in manifest.enumerated() {
            let path = "spec.manifest[\(index)]"
            validateVersion(file.version, path: path, index: index, seen: &firstIndexOfVersion, into: &issues)
            validateURL(file.downloadURL, path: "\(path).downloadURL", into: &issues)
            validateDigest(file.sha256sum, path: "\(path).sha256sum", into: &issues)
        }
    }

    private static func validateVersion(
        _ version: String, path: String, index: Int, seen: inout [String: Int], into issues: inout IssueList
    ) {
        let field = "\(path).version"
        if version.isEmpty {
            issues.error(field, "\(field) is required; name the version, such as \"\(index + 1)\"")
            return
        }
        if version.count > maxVersionLength {
            issues.error(field, "\(field) is longer than \(maxVersionLength) characters; use a short name such as \"4\" or \"1.10\"")
        } else if let bad = version.unicodeScalars.first(where: { !InferenceModelValidator.isNameCharacter($0) }) {
            issues.error(field, "\(field) \"\(version)\" contains \"\(bad)\"; use letters, digits, \".\", \"-\" and \"_\", such as \"4\" or \"1.10\"")
        } else if let first = version.unicodeScalars.first, !(("a"..."z").contains(first) || ("A"..."Z").contains(first) || ("0"..."9").contains(first)) {
            issues.error(field, "\(field) \"\(version)\" must start with a letter or digit, such as \"4\" or \"1.10\"")
        }
        if let earlier = seen[version] {
            issues.error(field, "\(field) \"\(version)\" is listed twice (also spec.manifest[\(earlier)]); give each entry its own version")
        } else {
            seen[version] = index
        }
    }

    private static func validateURL(_ text: String, path: String, into issues: inout IssueList) {
        if text.isEmpty {
            issues.error(path, "\(path) is required; set the http or https URL of the version's archive", reason: .invalidURL)
            return
        }
        let example = "such as https://models.example.com/facial-4.tar.gz"
        if text.count > maxURLLength {
            issues.error(path, "\(path) is longer than \(maxURLLength) characters; serve the archive from a shorter URL", reason: .invalidURL)
            return
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            issues.error(path, "\(path) \"\(text)\" is not a URL; set an http or https URL, \(example)", reason: .invalidURL)
            return
        }
        guard scheme == "http" || scheme == "https" else {
            issues.error(path, "\(path) \"\(text)\" must be an http or https URL, not \(scheme); \(example)", reason: .invalidURL)
            return
        }
        if (components.host ?? "").isEmpty {
            issues.error(path, "\(path) \"\(text)\" has no host; \(example)", reason: .invalidURL)
        }
    }

    private static func validateDigest(_ digest: String, path: String, into issues: inout IssueList) {
        if digest.isEmpty {
            issues.error(path, "\(path) is required; set the archive's SHA-256, the 64 hexadecimal digits printed by sha256sum <archive>")
        } else if let problem = KubernetesSyntax.hexDigestProblem(digest, count: 64) {
            issues.error(path, "\(path) must be 64 hexadecimal digits, \(problem); copy the full digest printed by sha256sum <archive>")
        }
    }
}
