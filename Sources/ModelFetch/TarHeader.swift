import Foundation

/// One 512-byte tar header block, decoded (ustar and old-style v7 headers).
struct TarHeader {
    let name: String
    let mode: UInt32
    let size: Int64
    let typeflag: UInt8
    let linkname: String

    init(_ block: Data) throws(ModelFetchError) {
        let bytes = [UInt8](block)
        let stored = Self.number(bytes[148..<156])
        var sum: Int64 = 0
        for (index, byte) in bytes.enumerated() {
            sum += (148..<156).contains(index) ? 32 : Int64(byte)
        }
        guard stored == sum else {
            throw ModelFetchError(reason: .extractionFailed, detail: "a tar header's checksum is wrong: the file is not a tar archive or is corrupt")
        }
        var name = Self.text(bytes[0..<100])
        let isUstar = bytes[257..<262].elementsEqual("ustar".utf8)
        if isUstar {
            let prefix = Self.text(bytes[345..<500])
            if !prefix.isEmpty { name = prefix + "/" + name }
        }
        guard let size = Self.number(bytes[124..<136]), size >= 0 else {
            throw ModelFetchError(reason: .extractionFailed, detail: "a tar header has an invalid size field")
        }
        self.name = name
        self.mode = UInt32(truncatingIfNeeded: Self.number(bytes[100..<108]) ?? 0o644)
        self.size = size
        self.typeflag = bytes[156]
        self.linkname = Self.text(bytes[157..<257])
    }

    /// The entry this header describes (long names are applied by the reader).
    var entry: TarEntry {
        let kind: TarEntry.Kind
        switch typeflag {
        case 0, UInt8(ascii: "0"), UInt8(ascii: "7"):
            kind = name.hasSuffix("/") ? .directory : .file
        case UInt8(ascii: "1"): kind = .hardlink
        case UInt8(ascii: "2"): kind = .symlink
        case UInt8(ascii: "5"): kind = .directory
        case UInt8(ascii: "S"): kind = .sparse
        default: kind = .special(Character(UnicodeScalar(typeflag)))
        }
        return TarEntry(path: name, kind: kind, mode: mode, size: size, linkTarget: linkname)
    }

    /// A NUL-terminated text field.
    static func text(_ field: ArraySlice<UInt8>) -> String {
        String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// An octal field (space or NUL terminated), or GNU base-256 when the high bit is set.
    static func number(_ field: ArraySlice<UInt8>) -> Int64? {
        guard let first = field.first else { return nil }
        if first & 0x80 != 0 {
            var value: Int64 = Int64(first & 0x7f)
            for byte in field.dropFirst() {
                guard value < (Int64.max >> 8) else { return nil }
                value = value << 8 | Int64(byte)
            }
            return value
        }
        let digits = field.drop { $0 == 32 || $0 == 0 }.prefix { $0 != 32 && $0 != 0 }
        if digits.isEmpty { return 0 }
        var value: Int64 = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "7"), value < (Int64.max >> 3) else { return nil }
            value = value << 3 | Int64(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
