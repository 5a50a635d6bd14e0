/// Text that came from outside (archive entry names, link targets, URLs) made safe to show in a
/// message, a log line, a termination message or a status condition: control characters
/// (CR, LF, ESC, DEL, C1), bidirectional overrides and line separators are written as visible
/// `\u{…}` escapes, so a crafted name can neither forge a second line nor reorder the text
/// around it; and the text is cut to a bounded length.
public enum DisplayText {
    /// `text` with every unsafe scalar escaped, at most `maxScalars` scalars of it (then `…`).
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

    /// True for scalars that must not reach a message as they are.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true               // C0, DEL, C1 controls
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true  // bidi controls
        case 0x2028, 0x2029: return true                          // line and paragraph separators
        default: return false
        }
    }
}
