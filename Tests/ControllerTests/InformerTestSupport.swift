import Foundation
import KubeClient
import KubeModel

/// An `HTTPTransport` answering from a script: request index → a JSON reply, or a watch stream of lines.
actor ScriptedServer: HTTPTransport {
    enum Reply: Sendable {
        case json(JSONValue)
        /// A 200 watch stream of these lines that then stays open.
        case watch([JSONValue])
        /// A 200 watch stream whose lines come once `gate` opens, then stays open.
        case watchAfter(Gate, [JSONValue])
        /// Never answers (until cancelled).
        case silence
    }

    private(set) var requests: [HTTPRequest] = []
    private let script: @Sendable (Int) -> Reply

    init(script: @escaping @Sendable (Int) -> Reply) {
        self.script = script
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let reply = next(request)
        switch reply {
        case .json(let body): return HTTPResponse(status: 200, body: try body.jsonData())
        case .watch, .watchAfter: return HTTPResponse(status: 500)
        case .silence:
            try await Task.sleep(for: .seconds(3600))
            throw CancellationError()
        }
    }

    func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        let reply = next(request)
        switch reply {
        case .json(let body):
            let data = try body.jsonData()
            return HTTPStreamingResponse(status: 200, headers: [:], body: AsyncThrowingStream { continuation in
                continuation.yield(data)
                continuation.finish()
            })
        case .watch(let lines):
            let data = Data(lines.map { $0.jsonString + "\n" }.joined().utf8)
            return HTTPStreamingResponse(status: 200, headers: [:], body: AsyncThrowingStream { continuation in
                // Byte by byte: the informer must not care how the stream is cut.
                for byte in data { continuation.yield(Data([byte])) }
            })
        case .watchAfter(let gate, let lines):
            let data = Data(lines.map { $0.jsonString + "\n" }.joined().utf8)
            let (body, continuation) = AsyncThrowingStream<Data, Error>.makeStream()
            let feeder = Task {
                await gate.wait()
                continuation.yield(data)
            }
            continuation.onTermination = { _ in feeder.cancel() }
            return HTTPStreamingResponse(status: 200, headers: [:], body: body)
        case .silence:
            try await Task.sleep(for: .seconds(3600))
            throw CancellationError()
        }
    }

    private func next(_ request: HTTPRequest) -> Reply {
        let index = requests.count
        requests.append(request)
        return script(index)
    }
}

/// Holds its waiters until opened.
actor Gate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func open() {
        isOpen = true
        for waiter in waiters { waiter.resume() }
        waiters.removeAll()
    }

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }
}

/// A clock whose sleeps return at once (yielding), so backoff paths do not wait.
struct InstantClock: WatchClock {
    func now() async -> Duration { .zero }
    func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        try await Task.sleep(for: .milliseconds(1))
    }
}

func configMap(_ name: String, _ version: String, namespace: String = "default", data: String = "") -> JSONValue {
    ["apiVersion": "v1", "kind": "ConfigMap",
     "metadata": ["name": .string(name), "namespace": .string(namespace), "resourceVersion": .string(version)],
     "data": ["value": .string(data)]]
}

func listReply(_ items: [JSONValue], version: String) -> ScriptedServer.Reply {
    .json(["kind": "ConfigMapList", "apiVersion": "v1", "metadata": ["resourceVersion": .string(version)],
           "items": .array(items)])
}

func watchEvent(_ type: String, _ object: JSONValue) -> JSONValue {
    ["type": .string(type), "object": object]
}

/// Collects the first `count` elements of a stream, or fails after a generous timeout.
func first<S: AsyncSequence & Sendable>(_ count: Int, of sequence: S, timeout: Duration = .seconds(30)) async throws
    -> [S.Element] where S.Element: Sendable
{
    try await withThrowingTaskGroup(of: [S.Element]?.self) { group in
        group.addTask {
            var collected: [S.Element] = []
            for try await element in sequence {
                collected.append(element)
                if collected.count == count { break }
            }
            return collected
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        let result = try await group.next() ?? nil
        group.cancelAll()
        guard let result else { throw TimedOut(what: "\(count) elements") }
        return result
    }
}

struct TimedOut: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}
