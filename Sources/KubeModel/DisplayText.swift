/// Text an operator shows people through the API (condition messages, `status.message`, Event
/// messages) when parts of it came from users: control characters and the Unicode
/// bidirectional controls (which reorder or hide what `kubectl describe` shows) are removed, and
/// the length is bounded, so a status write never nears the API server's limits (a condition
/// message may hold 32 KiB; a spec with a 1 MB label key must not make every write fail).
public enum DisplayText {
    /// The default bound, in characters.
    public static let maximumLength = 1024

    /// `text` without control or bidi-control characters (a line break or tab becomes a space),
    /// cut to `limit` characters with "…" at the end when longer.
    public static func bounded(_ text: String, limit: Int = maximumLength) -> String {
        // Printable ASCII within the limit, what almost every message is, is kept as it is
        // (building it again scalar by scalar was a visible part of every status update).
        let utf8 = text.utf8
        if utf8.count <= limit, utf8.allSatisfy({ (0x20...0x7E).contains($0) }) { return text }
        var kept: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars {
            if scalar == "\n" || scalar == "\r" || scalar == "\t" {
                kept.append(" ")
            } else if !isUnsafe(scalar) {
                kept.append(scalar)
            }
            // One past the limit is enough to know the text must be cut.
            if kept.count > limit { break }
        }
        guard kept.count > limit else { return String(String.UnicodeScalarView(kept)) }
        return String(String.UnicodeScalarView(kept.prefix(max(limit - 1, 0)))) + "…"
    }

    /// C0 and C1 controls, DEL, and the bidirectional embedding, override, isolate and mark characters.
    static func isInvisibleControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// `text` with every unsafe scalar written as a visible `\u{…}` escape (for names taken from
    /// archives, link targets and URLs, where what was there matters), at most `maxScalars`
    /// scalars of it (then `…`).
    public static func sanitized(_ text: some StringProtocol, maxScalars: Int = 200) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == maxScalars {
                out += "…"
                break
            }
            count += 1
            if isUnsafe(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Controls, bidirectional controls and line separators: what must not reach a message as is.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        isInvisibleControl(scalar) || scalar.value == 0x2028 || scalar.value == 0x2029
    }
}
