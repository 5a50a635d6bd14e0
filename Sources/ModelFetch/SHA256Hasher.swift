import COpenSSL
import Foundation

/// Streaming SHA-256 over OpenSSL's EVP interface: feed any number of chunks, then `finalize`.
/// Memory stays constant whatever the input size. Not thread-safe: one hasher per stream.
public final class SHA256Hasher {
    private let context: OpaquePointer
    private var finished = false
    /// How many bytes went in so far.
    public private(set) var byteCount: Int64 = 0

    /// A fresh hasher. Fails only if OpenSSL cannot allocate or lacks SHA-256 (a broken libcrypto).
    public init() {
        guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            // A libcrypto without SHA-256 or out of memory: nothing sensible can continue.
            fatalError("OpenSSL EVP_DigestInit_ex(EVP_sha256()) failed")
        }
        self.context = context
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    /// Adds bytes to the digest.
    public func update(_ data: Data) {
        data.withUnsafeBytes { update($0) }
    }

    /// Adds bytes to the digest.
    public func update(_ buffer: UnsafeRawBufferPointer) {
        precondition(!finished, "SHA256Hasher.update after finalize")
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        // EVP_DigestUpdate fails only on a misused context, which `finished` rules out.
        _ = EVP_DigestUpdate(context, base, buffer.count)
        byteCount += Int64(buffer.count)
    }

    /// The digest of everything fed in; the hasher cannot be used afterwards.
    public func finalize() -> SHA256Digest {
        precondition(!finished, "SHA256Hasher.finalize called twice")
        finished = true
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = EVP_DigestFinal_ex(context, &out, &length)
        // SHA-256 always yields 32 bytes, so the initializer cannot fail.
        return SHA256Digest(bytes: Array(out.prefix(Int(length))))!
    }

    /// The digest of one buffer.
    public static func digest(_ data: Data) -> SHA256Digest {
        let hasher = SHA256Hasher()
        hasher.update(data)
        return hasher.finalize()
    }

    /// The digest of a file, read in 1 MiB chunks.
    public static func digest(fileAt path: String) throws -> SHA256Digest {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        let hasher = SHA256Hasher()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(chunk)
        }
        return hasher.finalize()
    }
}
