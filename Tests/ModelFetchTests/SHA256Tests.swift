import Foundation
import ModelFetch
import TestSupport
import Testing

@Suite("SHA-256 over OpenSSL EVP")
struct SHA256Tests {
    @Test("known vectors: empty, abc, 1 MiB of zeros")
    func knownVectors() {
        #expect(SHA256Hasher.digest(Data()).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Hasher.digest(Data("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Hasher.digest(Data(count: 1 << 20)).hex == "30e14955ebf1352266dc2ff8067e68104607e750abb9d3b36582b8af909fcb58")
    }

    @Test("chunked updates give the same digest as one update")
    func chunking() {
        let data = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let hasher = SHA256Hasher()
        var offset = 0
        var step = 1
        while offset < data.count {
            let end = min(data.count, offset + step)
            hasher.update(data.subdata(in: offset..<end))
            offset = end
            step = step * 3 % 4097 + 1
        }
        #expect(hasher.byteCount == 100_000)
        #expect(hasher.finalize() == SHA256Hasher.digest(data))
    }

    @Test("hex parsing accepts 64 hex digits in either case and rejects anything else")
    func hexParsing() throws {
        let lower = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        #expect(try SHA256Digest(hex: lower.uppercased()).hex == lower)
        #expect(try SHA256Digest(hex: lower + "\n").hex == lower)
        #expect(SHA256Digest.isValidHex(lower))
        #expect(!SHA256Digest.isValidHex(String(lower.dropLast())))
        #expect(!SHA256Digest.isValidHex(String(lower.dropLast()) + "g"))
        #expect {
            try SHA256Digest(hex: "abc")
        } throws: { error in
            "\(error)".contains("3 characters") && "\(error)".contains("64 hex digits")
        }
        #expect {
            try SHA256Digest(hex: String(repeating: "z", count: 64))
        } throws: { error in
            "\(error)".contains("character 1 is not a hex digit")
        }
    }

    @Test("a file is hashed in chunks to the same digest")
    func fileDigest() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let data = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0) })
        let path = try dir.write("blob", data).path
        #expect(try SHA256Hasher.digest(fileAt: path) == SHA256Hasher.digest(data))
    }
}
