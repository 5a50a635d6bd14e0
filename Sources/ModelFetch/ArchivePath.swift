import KubeModel

/// Turns the paths an archive names into safe relative paths, purely on the text (the writer
/// then opens every component relative to its parent, never through a symlink).
///
/// Paths are split on the byte `/` (0x2F), as the kernel reads them, never on Swift
/// `Character`s: a `/` followed by a combining mark (U+0301, U+200D) is one `Character`, and a
/// split on characters would not see that slash while the kernel walks it.
enum ArchivePath {
    static let slash = UInt8(ascii: "/")
    static let dot = UInt8(ascii: ".")

    /// The components of an entry's path, with `.` and empty parts dropped. Throws for absolute
    /// paths, `..` components and NUL bytes: such an entry could land outside the destination.
    static func components(of path: String) throws(ModelFetchError) -> [String] {
        let bytes = Array(path.utf8)
        if bytes.first == slash {
            throw unsafe(path, "it is an absolute path; archive entries must be relative")
        }
        if bytes.contains(0) {
            throw unsafe(path, "it contains a NUL byte")
        }
        var parts: [String] = []
        for part in split(bytes) {
            if part == [dot] { continue }
            if part == [dot, dot] { throw unsafe(path, "it contains a \"..\" component, which could climb out of the destination") }
            parts.append(String(decoding: part, as: UTF8.self))
        }
        return parts
    }

    /// The non-empty byte runs between slashes. Splitting valid UTF-8 at an ASCII byte always
    /// leaves valid UTF-8 on both sides, so each part decodes back to exactly its bytes.
    static func split(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.split(separator: slash, omittingEmptySubsequences: true).map(Array.init)
    }

    /// True when `text`, read as the kernel reads it, is absolute.
    static func isAbsolute(_ text: String) -> Bool {
        text.utf8.first == slash
    }

    /// True when `text` contains the byte `/` anywhere.
    static func containsSlash(_ text: String) -> Bool {
        text.utf8.contains(slash)
    }

    static func unsafe(_ entry: String, _ why: String) -> ModelFetchError {
        ModelFetchError(reason: .unsafeArchive, detail: "entry \"\(DisplayText.sanitized(entry))\" rejected: \(why)")
    }
}
