import CZlibSystem
import Foundation

/// Decompresses a gzip stream (RFC 1952, several members allowed, as `cat a.gz b.gz` makes)
/// pulled from another source, with zlib's `inflate`. Memory stays constant: one input chunk,
/// one output chunk and zlib's 32 KiB window.
public struct GzipByteSource<Upstream: ByteSource>: ByteSource {
    private var upstream: Upstream
    private let state: InflateState
    private var pending = Data()
    /// How much of `pending` zlib has consumed.
    private var pendingOffset = 0
    private var finished = false
    private var sawMember = false

    public init(_ upstream: Upstream) throws(ModelFetchError) {
        self.upstream = upstream
        self.state = try InflateState()
    }

    public mutating func read(upTo count: Int) throws -> Data {
        while !finished {
            if pendingOffset == pending.count {
                pending = try upstream.read(upTo: 256 * 1024)
                pendingOffset = 0
                if pending.isEmpty {
                    if state.inMember || !sawMember {
                        throw ModelFetchError(reason: .extractionFailed, detail: "the gzip stream ends early: the archive is truncated")
                    }
                    finished = true
                    break
                }
            }
            let input = pending[(pending.startIndex + pendingOffset)...]
            let (output, consumed, memberEnded) = try state.inflate(input, outputCapacity: max(count, 64 * 1024))
            sawMember = true
            pendingOffset += consumed
            if memberEnded {
                // A following member starts a new stream; trailing zero padding is tolerated.
                if pending[(pending.startIndex + pendingOffset)...].allSatisfy({ $0 == 0 }) { pendingOffset = pending.count }
                try state.reset()
            }
            if !output.isEmpty { return output }
        }
        return Data()
    }
}

/// The zlib stream state, in a class so its address stays fixed while zlib points into it.
final class InflateState {
    private var stream = z_stream()
    private(set) var inMember = false

    /// `windowBits` 16 + MAX_WBITS (the default) expects a gzip header and trailer (CRC-32 and
    /// length are checked); -MAX_WBITS reads raw deflate data, as zip entries hold.
    init(windowBits: Int32 = 16 + MAX_WBITS) throws(ModelFetchError) {
        guard czlib_inflate_init2(&stream, windowBits) == Z_OK else {
            throw ModelFetchError(reason: .extractionFailed, detail: "zlib inflateInit2 failed")
        }
    }

    deinit {
        inflateEnd(&stream)
    }

    /// Inflates a small raw-deflate buffer whole (at most `limit` bytes out).
    static func inflateRaw(_ data: Data, limit: Int) throws(ModelFetchError) -> Data {
        let state = try InflateState(windowBits: -MAX_WBITS)
        var input = data[...]
        var output = Data()
        while output.count <= limit {
            let (chunk, consumed, ended) = try state.inflate(input, outputCapacity: 4096)
            output.append(chunk)
            input = input.dropFirst(consumed)
            if ended || (consumed == 0 && chunk.isEmpty) { break }
        }
        return output
    }

    func reset() throws(ModelFetchError) {
        inMember = false
        guard inflateReset(&stream) == Z_OK else {
            throw ModelFetchError(reason: .extractionFailed, detail: "zlib inflateReset failed")
        }
    }

    /// Inflates from `input`; returns the output, how much input was used, and whether a
    /// gzip member ended.
    func inflate(_ input: Data, outputCapacity: Int) throws(ModelFetchError) -> (Data, Int, Bool) {
        inMember = true
        var output = Data(count: outputCapacity)
        let (code, consumed, produced) = input.withUnsafeBytes { inRaw in
            output.withUnsafeMutableBytes { outRaw in
                stream.next_in = UnsafeMutablePointer(mutating: inRaw.bindMemory(to: Bytef.self).baseAddress)
                stream.avail_in = uInt(inRaw.count)
                stream.next_out = outRaw.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(outRaw.count)
                let code = CZlibSystem.inflate(&stream, Z_NO_FLUSH)
                let consumed = inRaw.count - Int(stream.avail_in)
                let produced = outRaw.count - Int(stream.avail_out)
                stream.next_in = nil
                stream.next_out = nil
                return (code, consumed, produced)
            }
        }
        switch code {
        case Z_OK, Z_BUF_ERROR:
            break
        case Z_STREAM_END:
            inMember = false
        default:
            let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(code)"
            throw ModelFetchError(reason: .extractionFailed, detail: "the gzip data is corrupt (\(message))")
        }
        output.count = produced
        return (output, consumed, code == Z_STREAM_END)
    }
}
