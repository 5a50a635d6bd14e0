import Foundation

/// Whether the first bytes of a download look like an archive `fetch` can unpack: gzip
/// (`1f 8b`), zip (`PK\3\4`, or `PK\5\6` for an empty one) or tar (`ustar` at offset 257, or a
/// plausible old-style header). A digest mismatch of anything else (an HTML page, an API
/// server's JSON) is reported without the digest, so a status never serves as an oracle for the
/// content of an address the tenant could not read.
public enum ArchiveSignature {
    /// How many leading bytes the check needs.
    public static let prefixLength = 512

    public static func looksLikeArchive(_ prefix: Data) -> Bool {
        let bytes = [UInt8](prefix.prefix(prefixLength))
        if bytes.starts(with: [0x1F, 0x8B]) { return true }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return true }
        if bytes.count >= 262, Array(bytes[257..<262]) == Array("ustar".utf8) { return true }
        return false
    }
}
