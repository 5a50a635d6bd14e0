import Foundation
@testable import CurlHTTP
import Synchronization
import Testing

/// Counts how many chunks were freed, through `Data`'s custom deallocator.
private final class ReleaseCounter: Sendable {
    let released = Mutex(0)

    func chunk(_ size: Int = 16_384) -> Data {
        // malloc of a positive size returns nil only when memory is exhausted.
        let bytes = malloc(size)!
        return Data(bytesNoCopy: bytes, count: size, deallocator: .custom { [self] pointer, _ in
            free(pointer)
            released.withLock { $0 += 1 }
        })
    }
}

@Suite("CurlTransferSink stream buffering")
struct CurlTransferSinkTests {
    @Test("a chunk the reader has taken is released at once, though the queue never runs empty")
    func consumedChunksAreReleased() async throws {
        let sink = CurlTransferSink(mode: .stream, url: "http://127.0.0.1/test", bufferLimit: 1 << 30)
        let counter = ReleaseCounter()
        #expect(sink.offer(counter.chunk()) == .accepted)
        #expect(sink.offer(counter.chunk()) == .accepted)
        // A network as fast as the reader: one chunk in for every chunk out, so the queue
        // always holds one and is never drained completely.
        for _ in 0..<200 {
            let taken: Data? = try await withCheckedThrowingContinuation { continuation in
                _ = sink.nextChunk(continuation)
            }
            #expect(taken?.count == 16_384)
            #expect(sink.offer(counter.chunk()) == .accepted)
        }
        let released = counter.released.withLock { $0 }
        #expect(released >= 195, "taken chunks must not stay referenced by the queue (\(released) of 200 released)")
        _ = sink.cancel()
    }
}
