import Foundation
import ModelFetch

/// Writes a tar archive of one file filled with a seeded pseudo-random pattern, and returns its
/// SHA-256. A 1 MiB block from a fixed-seed xorshift generator is written repeatedly, each copy
/// stamped with its index, so the content never repeats and generation costs little.
enum BenchmarkArchive {
    static func write(to path: String, mebibytes: Int) throws -> SHA256Digest {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw BenchmarkFailure("cannot create \(path)")
        }
        defer { try? handle.close() }
        let hasher = SHA256Hasher()
        let contentSize = mebibytes * 1_048_576 - 1024 - 512
        func emit(_ data: Data) throws {
            hasher.update(data)
            try handle.write(contentsOf: data)
        }
        try emit(header(name: "model/weights.bin", size: contentSize))
        var block = seededBlock()
        var written = 0
        var index: UInt64 = 0
        while written < contentSize {
            withUnsafeBytes(of: index.littleEndian) { stamp in block.replaceSubrange(0..<8, with: stamp) }
            let chunk = written + block.count <= contentSize ? block : block.prefix(contentSize - written)
            try emit(chunk)
            written += chunk.count
            index += 1
        }
        try emit(Data(count: 1024))  // the end-of-archive blocks; the content fills whole blocks
        return hasher.finalize()
    }

    private static func seededBlock() -> Data {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var words = [UInt64](repeating: 0, count: 131_072)
        for index in words.indices {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            words[index] = state
        }
        return words.withUnsafeBytes { Data($0) }
    }

    /// A ustar header for one regular file.
    private static func header(name: String, size: Int) -> Data {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, _ offset: Int) {
            for (index, byte) in text.utf8.enumerated() { block[offset + index] = byte }
        }
        func octal(_ value: Int, _ offset: Int, _ width: Int) {
            let digits = String(value, radix: 8)
            put(String(repeating: "0", count: width - 1 - digits.count) + digits, offset)
        }
        put(name, 0)
        octal(0o644, 100, 8)
        octal(0, 108, 8)
        octal(0, 116, 8)
        octal(size, 124, 12)
        octal(0, 136, 12)
        put("        ", 148)
        block[156] = UInt8(ascii: "0")
        put("ustar", 257)
        put("00", 263)
        let sum = block.reduce(0) { $0 + Int($1) }
        octal(sum, 148, 7)
        return Data(block)
    }
}
