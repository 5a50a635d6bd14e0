import KubeModel

/// Resolves a symlink's target the way the kernel would, inside an extracted tree: component by
/// component from the link's directory, following every symlink met on the way (earlier links of
/// the same archive), and popping a *physical* directory on `..`. Lexical resolution alone is not
/// enough: with `b -> .`, the target `b/..` is lexically `.` but the kernel reads it as the
/// parent of the tree.
///
/// `lookup` answers, for a path relative to the root (all of whose parents are real
/// directories), the target of the symlink there, or nil when there is no symlink there.
struct SymlinkResolver {
    /// The kernel's limit on links followed in one resolution (`ELOOP` beyond it).
    static let maxLinksFollowed = 40

    let lookup: ([String]) -> String?

    /// Why a target is refused.
    enum Refusal: Error {
        case absolute
        case outside
        case loop
    }

    /// The components, relative to the root, that the symlink at `link` resolves to.
    func resolve(linkAt link: [String], target: String) throws(Refusal) -> [String] {
        var budget = Self.maxLinksFollowed
        return try walk(target, from: Array(link.dropLast()), budget: &budget)
    }

    private func walk(_ path: String, from base: [String], budget: inout Int) throws(Refusal) -> [String] {
        if ArchivePath.isAbsolute(path) { throw .absolute }
        var current = base
        for part in ArchivePath.split(Array(path.utf8)) {
            if part == [ArchivePath.dot] { continue }
            if part == [ArchivePath.dot, ArchivePath.dot] {
                guard !current.isEmpty else { throw .outside }
                current.removeLast()
                continue
            }
            let candidate = current + [String(decoding: part, as: UTF8.self)]
            if let next = lookup(candidate) {
                budget -= 1
                guard budget >= 0 else { throw .loop }
                current = try walk(next, from: current, budget: &budget)
            } else {
                current = candidate
            }
        }
        return current
    }

    /// The error for the symlink entry `entry` whose target `target` was refused.
    static func error(_ refusal: Refusal, entry: String, target: String) -> ModelFetchError {
        let shown = DisplayText.sanitized(target)
        switch refusal {
        case .absolute:
            return ArchivePath.unsafe(entry, "it is a symlink to the absolute path \(shown), outside the destination")
        case .outside:
            return ArchivePath.unsafe(entry, "it is a symlink to \(shown), which points outside the destination (links are followed as the kernel would)")
        case .loop:
            return ArchivePath.unsafe(entry, "it is a symlink to \(shown), which goes through more than \(maxLinksFollowed) links (a loop)")
        }
    }
}
