import Foundation
import TestSupport

/// Writes tar archives byte by byte for tests, including the hostile entries real tools
/// refuse to create (`../` paths, absolute paths, outward symlinks).
struct TarBuilder {
    private(set) var data = Data()

    mutating func file(_ path: String, _ content: String, mode: Int = 0o644) {
        file(path, Data(content.utf8), mode: mode)
    }

    mutating func file(_ path: String, _ content: Data, mode: Int = 0o644) {
        header(name: path, type: "0", size: content.count, mode: mode)
        data.append(content)
        pad()
    }

    mutating func directory(_ path: String) {
        header(name: path.hasSuffix("/") ? path : path + "/", type: "5", size: 0, mode: 0o755)
    }

    mutating func symlink(_ path: String, to target: String) {
        header(name: path, type: "2", size: 0, mode: 0o777, linkname: target)
    }

    mutating func hardlink(_ path: String, to target: String) {
        header(name: path, type: "1", size: 0, mode: 0o644, linkname: target)
    }

    /// A device or FIFO entry (tar types 3, 4, 6).
    mutating func special(_ path: String, type: Character) {
        header(name: path, type: type, size: 0, mode: 0o644)
    }

    /// A GNU long-name entry (`././@LongLink`, type L) followed by the file.
    mutating func gnuLongNameFile(_ path: String, _ content: String) {
        let name = Data(path.utf8) + Data([0])
        header(name: "././@LongLink", type: "L", size: name.count, mode: 0o644)
        data.append(name)
        pad()
        file(String(path.prefix(99)), content)
    }

    /// A PAX extended header setting `path`, followed by the file under a short name.
    mutating func paxFile(_ path: String, _ content: String) {
        let body = "path=\(path)\n"
        var length = body.utf8.count + 3
        while "\(length) \(body)".utf8.count != length { length = "\(length) \(body)".utf8.count }
        let record = Data("\(length) \(body)".utf8)
        header(name: "PaxHeaders/x", type: "x", size: record.count, mode: 0o644)
        data.append(record)
        pad()
        file("short-name", content)
    }

    /// Only the header of a file whose `size` bytes of content the caller appends elsewhere
    /// (a bomb's content is built compressed, member by member).
    mutating func fileHeader(_ path: String, size: Int) {
        header(name: path, type: "0", size: size, mode: 0o644)
    }

    /// The archive with its two zero end blocks.
    var archive: Data { data + Data(count: 1024) }

    private mutating func pad() {
        let rest = data.count % 512
        if rest != 0 { data.append(Data(count: 512 - rest)) }
    }

    private mutating func header(name: String, type: Character, size: Int, mode: Int, linkname: String = "") {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int, width: Int) {
            for (index, byte) in text.utf8.prefix(width).enumerated() { block[offset + index] = byte }
        }
        func octal(_ value: Int, at offset: Int, width: Int) {
            put(String(String(value, radix: 8).suffix(width - 1)).leftPadded(to: width - 1), at: offset, width: width - 1)
        }
        put(name, at: 0, width: 100)
        octal(mode, at: 100, width: 8)
        octal(0, at: 108, width: 8)
        octal(0, at: 116, width: 8)
        octal(size, at: 124, width: 12)
        octal(0, at: 136, width: 12)
        put("        ", at: 148, width: 8)
        block[156] = type.asciiValue ?? 0
        put(linkname, at: 157, width: 100)
        put("ustar", at: 257, width: 6)
        put("00", at: 263, width: 2)
        let sum = block.reduce(0) { $0 + Int($1) }
        put(String(String(sum, radix: 8)).leftPadded(to: 6) + "\0 ", at: 148, width: 8)
        data.append(contentsOf: block)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}

/// gzip through the system's `gzip` (tests only; production decompresses through zlib).
func gzipped(_ data: Data) throws -> Data {
    let dir = try TempDir()
    defer { dir.remove() }
    let plain = try dir.write("archive.tar", data).path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["gzip", "-n", "-f", plain]
    try process.run()
    process.waitUntilExit()
    return try Data(contentsOf: URL(fileURLWithPath: plain + ".gz"))
}
