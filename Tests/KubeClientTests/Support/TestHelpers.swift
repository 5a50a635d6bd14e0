import Foundation
import KubeModel
import Synchronization
import TestSupport

/// A one-shot signal one task fires and others wait for.
final class TestSignal: Sendable {
    private let state = Mutex<(fired: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func fire() {
        let waiters = state.withLock { state in
            state.fired = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    var isFired: Bool { state.withLock { $0.fired } }

    func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state in
                if state.fired { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}

/// Echo handler: replies with a JSON description of the request and an `X-Test-Header`.
let echoHandler: LoopbackHTTPServer.Handler = { request, writer in
    let description: JSONValue = [
        "method": .string(request.method),
        "uri": .string(request.uri),
        "headers": .object(request.headers.mapValues { .string($0) }),
        "body": .string(String(decoding: request.body, as: UTF8.self)),
    ]
    try await writer.respond(status: 200, headers: [("Content-Type", "application/json"), ("X-Test-Header", "yes")],
                             body: try description.jsonData())
}

/// Drains a body stream into memory (for small test bodies).
func collect(_ body: AsyncThrowingStream<Data, Error>) async throws -> Data {
    var data = Data()
    for try await chunk in body { data.append(chunk) }
    return data
}
