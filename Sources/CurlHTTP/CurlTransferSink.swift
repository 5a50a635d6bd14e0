import Foundation
import Synchronization

/// What the curl worker should do with a chunk of body it was offered.
enum CurlChunkDisposition {
    /// The chunk was taken.
    case accepted
    /// The consumer is behind: pause the transfer; curl keeps the chunk and offers it again later.
    case pause
    /// Nobody wants the body any more: abort the transfer.
    case abort
}

/// The meeting point of one transfer: the curl worker thread pushes the head, body chunks and the
/// outcome in; the awaiting task pulls them out. In `.collect` mode the body is gathered for a
/// single response; in `.stream` mode at most `bufferLimit` bytes wait unread before the worker
/// is told to pause the transfer (curl's `CURL_WRITEFUNC_PAUSE`), and the reader resumes it when
/// the backlog has drained to half.
final class CurlTransferSink: Sendable {
    enum Mode: Sendable { case collect, stream }

    let mode: Mode
    let url: String
    private let bufferLimit: Int
    private let state = Mutex(State())

    private struct State {
        var head: CurlResponseHead?
        var headWaiter: CheckedContinuation<CurlResponseHead, Error>?
        var completionWaiter: CheckedContinuation<CurlResponse, Error>?
        var collected = Data()
        var chunks: [Data] = []
        var firstChunk = 0
        var bufferedBytes = 0
        var chunkWaiter: CheckedContinuation<Data?, Error>?
        var failure: Error?
        var finished = false
        var paused = false
        var cancelled = false
    }

    init(mode: Mode, url: String, bufferLimit: Int) {
        self.mode = mode
        self.url = url
        self.bufferLimit = max(bufferLimit, 1)
    }

    var isCancelled: Bool { state.withLock { $0.cancelled } }

    // MARK: Worker side

    /// The status line and headers of the final response are in.
    func deliverHead(_ head: CurlResponseHead) {
        state.withLock { state in
            state.head = head
            if mode == .stream, let waiter = state.headWaiter {
                state.headWaiter = nil
                waiter.resume(returning: head)
            }
        }
    }

    /// Offers a chunk of body; see `CurlChunkDisposition`.
    func offer(_ chunk: Data) -> CurlChunkDisposition {
        state.withLock { state in
            if state.cancelled { return .abort }
            switch mode {
            case .collect:
                state.collected.append(chunk)
                return .accepted
            case .stream:
                if let waiter = state.chunkWaiter {
                    state.chunkWaiter = nil
                    waiter.resume(returning: chunk)
                    return .accepted
                }
                if state.bufferedBytes >= bufferLimit {
                    state.paused = true
                    return .pause
                }
                state.chunks.append(chunk)
                state.bufferedBytes += chunk.count
                return .accepted
            }
        }
    }

    /// The transfer ended: successfully when `error` is nil.
    func finish(head: CurlResponseHead?, error: Error?) {
        state.withLock { state in
            guard !state.finished else { return }
            state.finished = true
            state.failure = error
            if state.head == nil { state.head = head }
            if let waiter = state.headWaiter {
                state.headWaiter = nil
                if let head = state.head, error == nil {
                    waiter.resume(returning: head)
                } else {
                    waiter.resume(throwing: error ?? CurlError.engineShutDown(url: url))
                }
            }
            if let waiter = state.completionWaiter {
                state.completionWaiter = nil
                if let head = state.head, error == nil {
                    waiter.resume(returning: CurlResponse(head: head, body: state.collected))
                } else {
                    waiter.resume(throwing: error ?? CurlError.engineShutDown(url: url))
                }
                state.collected = Data()
            }
            if let waiter = state.chunkWaiter {
                state.chunkWaiter = nil
                if let error { waiter.resume(throwing: error) } else { waiter.resume(returning: nil) }
            }
        }
    }

    // MARK: Consumer side

    /// Resumes `waiter` with the head once it is in (stream mode).
    func waitForHead(_ waiter: CheckedContinuation<CurlResponseHead, Error>) {
        state.withLock { state in
            if state.cancelled {
                waiter.resume(throwing: CancellationError())
            } else if let head = state.head {
                waiter.resume(returning: head)
            } else if state.finished {
                waiter.resume(throwing: state.failure ?? CurlError.engineShutDown(url: url))
            } else {
                state.headWaiter = waiter
            }
        }
    }

    /// Resumes `waiter` with the whole response once the transfer has ended (collect mode).
    func waitForCompletion(_ waiter: CheckedContinuation<CurlResponse, Error>) {
        state.withLock { state in
            if state.cancelled {
                waiter.resume(throwing: CancellationError())
            } else if state.finished {
                if let head = state.head, state.failure == nil {
                    waiter.resume(returning: CurlResponse(head: head, body: state.collected))
                } else {
                    waiter.resume(throwing: state.failure ?? CurlError.engineShutDown(url: url))
                }
            } else {
                state.completionWaiter = waiter
            }
        }
    }

    /// Resumes `waiter` with the next chunk, or nil at the end of the body. Returns true when the
    /// backlog has drained far enough that the worker should resume a paused transfer.
    func nextChunk(_ waiter: CheckedContinuation<Data?, Error>) -> Bool {
        state.withLock { state in
            if state.cancelled {
                waiter.resume(throwing: CancellationError())
                return false
            }
            if state.firstChunk < state.chunks.count {
                let chunk = state.chunks[state.firstChunk]
                // Drop the queue's reference at once: a consumed chunk left in the array stays
                // alive until the queue empties, which a steady stream may never let happen.
                state.chunks[state.firstChunk] = Data()
                state.firstChunk += 1
                if state.firstChunk == state.chunks.count {
                    state.chunks.removeAll(keepingCapacity: true)
                    state.firstChunk = 0
                } else if state.firstChunk >= 64, state.firstChunk * 2 >= state.chunks.count {
                    state.chunks.removeFirst(state.firstChunk)  // compact: the array stays O(backlog)
                    state.firstChunk = 0
                }
                state.bufferedBytes -= chunk.count
                waiter.resume(returning: chunk)
                if state.paused && state.bufferedBytes <= bufferLimit / 2 {
                    state.paused = false
                    return true
                }
                return false
            }
            if state.finished {
                if let failure = state.failure {
                    state.failure = nil  // Reported once; the stream then ends.
                    waiter.resume(throwing: failure)
                } else {
                    waiter.resume(returning: nil)
                }
                return false
            }
            state.chunkWaiter = waiter
            // An empty buffer with a paused transfer cannot happen (pausing needs a full buffer),
            // but resuming is harmless and guarantees progress.
            if state.paused {
                state.paused = false
                return true
            }
            return false
        }
    }

    /// The consumer gave up. Fails every waiter with `CancellationError`, drops buffered data,
    /// and returns true when the transfer was still running (so the worker must remove it).
    func cancel() -> Bool {
        state.withLock { state in
            guard !state.cancelled else { return false }
            state.cancelled = true
            state.chunks = []
            state.firstChunk = 0
            state.bufferedBytes = 0
            state.collected = Data()
            state.headWaiter?.resume(throwing: CancellationError())
            state.headWaiter = nil
            state.completionWaiter?.resume(throwing: CancellationError())
            state.completionWaiter = nil
            state.chunkWaiter?.resume(throwing: CancellationError())
            state.chunkWaiter = nil
            return !state.finished
        }
    }
}
