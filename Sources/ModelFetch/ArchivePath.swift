/// Turns the paths an archive names into safe relative paths, and checks link targets,
/// purely on the text (the extractor also checks the file system as it goes).
enum ArchivePath {
    /// The components of an entry's path, with `.` and empty parts dropped. Throws for absolute
    /// paths, `..` components and NUL bytes: such an entry could land outside the destination.
    static func components(of path: String) throws(ModelFetchError) -> [String] {
        if path.hasPrefix("/") {
            throw unsafe(path, "it is an absolute path; archive entries must be relative")
        }
        if path.utf8.contains(0) {
            throw unsafe(path, "it contains a NUL byte")
        }
        var parts: [String] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { throw unsafe(path, "it contains a \"..\" component, which could climb out of the destination") }
            parts.append(String(part))
        }
        return parts
    }

    /// The components a symlink at `linkComponents` pointing to `target` resolves to, relative
    /// to the extraction root; throws when the target is absolute or climbs out of the root.
    static func symlinkTarget(_ target: String, of linkComponents: [String], entry: String) throws(ModelFetchError) -> [String] {
        guard !target.isEmpty else { throw unsafe(entry, "it is a symlink with an empty target") }
        if target.hasPrefix("/") {
            throw unsafe(entry, "it is a symlink to the absolute path \(target), outside the destination")
        }
        var resolved = Array(linkComponents.dropLast())
        for part in target.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                guard !resolved.isEmpty else {
                    throw unsafe(entry, "it is a symlink to \(target), which points outside the destination")
                }
                resolved.removeLast()
            } else {
                resolved.append(String(part))
            }
        }
        return resolved
    }

    static func unsafe(_ entry: String, _ why: String) -> ModelFetchError {
        ModelFetchError(reason: .unsafeArchive, detail: "entry \"\(entry.prefix(200))\" rejected: \(why)")
    }
}
