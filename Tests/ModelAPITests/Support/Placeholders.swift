import Foundation

/// The `${SHA256_<ARCHIVE>}` placeholders of the runnable examples, which the demo replaces with
/// the SHA-256 of the archive it serves.
enum Placeholders {
    /// Every `${NAME}` in the text, in order of appearance.
    static func names(in text: String) -> [String] {
        var names: [String] = []
        var rest = text[...]
        while let start = rest.range(of: "${") {
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
            names.append(String(rest[start.upperBound..<end]))
            rest = rest[rest.index(after: end)...]
        }
        return names
    }

    /// The placeholder name the naming rule gives an archive URL:
    /// `http://127.0.0.1:18080/facial-edge-1.tar.gz` becomes `SHA256_FACIAL_EDGE_1`.
    static func name(forArchiveURL url: String) -> String {
        var file = String(url.split(separator: "/").last ?? "")
        for suffix in [".tar.gz", ".tgz", ".tar", ".zip"] where file.hasSuffix(suffix) {
            file.removeLast(suffix.count)
            break
        }
        let mapped = file.uppercased().map { $0 == "-" || $0 == "." ? "_" : String($0) }.joined()
        return "SHA256_" + mapped
    }

    /// A distinct, valid 64-hex digest for each name (its repeated hex-encoded bytes, padded).
    static func digest(for name: String) -> String {
        var hex = name.utf8.map { String(format: "%02x", $0) }.joined()
        while hex.count < 64 { hex += hex }
        return String(hex.suffix(64))
    }

    /// The text with every `${NAME}` replaced by `digest(for: NAME)`.
    static func substituted(_ text: String) -> String {
        var result = text
        for name in names(in: text) {
            result = result.replacingOccurrences(of: "${\(name)}", with: digest(for: name))
        }
        return result
    }
}
