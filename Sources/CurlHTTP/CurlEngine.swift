import Foundation
import Synchronization

/// HTTP over libcurl for many concurrent requests: one curl multi handle driven by one dedicated
/// thread, so idle requests and open streams cost no thread each. Connections are reused between
/// requests to the same host, and HTTPS uses HTTP/2 when the server offers it (plain HTTP stays
/// HTTP/1.1). Cancelling the awaiting task cancels the transfer.
///
/// Use `CurlEngine.shared` unless you need a separate connection pool.
public final class CurlEngine: Sendable {
    /// A process-wide engine.
    public static let shared = CurlEngine()

    private let worker = CurlWorker()
    private let nextID = Atomic<UInt64>(0)

    public init() {
        worker.start()
    }

    deinit {
        worker.shutDown()
    }

    /// Performs `request` and returns the whole response. HTTP error statuses are responses,
    /// not errors; transport failures throw `CurlError`, cancellation throws `CancellationError`.
    public func send(_ request: CurlRequest) async throws -> CurlResponse {
        let sink = CurlTransferSink(mode: .collect, url: request.url, bufferLimit: 0)
        let id = nextID.add(1, ordering: .relaxed).newValue
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                sink.waitForCompletion(continuation)
                worker.submit(.start(id: id, request: request, sink: sink))
            }
        } onCancel: {
            if sink.cancel() { worker.submit(.cancel(id: id)) }
        }
    }

    /// Performs `request` and returns once the status and headers are in; the body then streams.
    /// At most `request.options.streamBufferLimit` bytes are held for a slow reader: beyond that
    /// the transfer is paused (`CURL_WRITEFUNC_PAUSE`) until the reader catches up.
    public func stream(_ request: CurlRequest) async throws -> CurlStreamingResponse {
        let sink = CurlTransferSink(mode: .stream, url: request.url,
                                    bufferLimit: request.options.streamBufferLimit)
        let id = nextID.add(1, ordering: .relaxed).newValue
        let lease = CurlStreamLease(id: id, sink: sink, worker: worker)
        let head = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                sink.waitForHead(continuation)
                worker.submit(.start(id: id, request: request, sink: sink))
            }
        } onCancel: {
            lease.cancel()
        }
        let body = AsyncThrowingStream<Data, Error>(unfolding: { try await lease.nextChunk() })
        return CurlStreamingResponse(head: head, body: body)
    }
}

/// Ties a streaming transfer's lifetime to its body stream: when the stream (and with it this
/// lease) is released before the body ended, the transfer is cancelled.
private final class CurlStreamLease: Sendable {
    let id: UInt64
    let sink: CurlTransferSink
    let worker: CurlWorker

    init(id: UInt64, sink: CurlTransferSink, worker: CurlWorker) {
        self.id = id
        self.sink = sink
        self.worker = worker
    }

    deinit {
        cancel()
    }

    func cancel() {
        if sink.cancel() { worker.submit(.cancel(id: id)) }
    }

    func nextChunk() async throws -> Data? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if sink.nextChunk(continuation) { worker.submit(.resume(id: id)) }
            }
        } onCancel: {
            cancel()
        }
    }
}
