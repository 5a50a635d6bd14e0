import Foundation
@testable import KubeClient
import KubeModel

/// What a scripted transport answers to one request.
enum ScriptedReply: Sendable {
    /// A complete response.
    case response(HTTPResponse)
    /// A streamed 200 (or other) response whose body arrives in these chunks, then ends.
    case stream(status: Int, chunks: [Data], end: StreamEnd)
    /// The connection fails before any response.
    case fail(String)

    enum StreamEnd: Sendable {
        case finish
        case fail(String)
        /// Stays open until the reader goes away.
        case hang
    }

    static func json(_ status: Int, _ body: JSONValue, headers: [String: String] = [:]) -> ScriptedReply {
        // The test bodies are built from literals; encoding them cannot fail.
        .response(HTTPResponse(status: status, headers: headers, body: (try? body.jsonData()) ?? Data()))
    }
}

struct TransportFailure: Error, CustomStringConvertible {
    let description: String
}

/// An `HTTPTransport` that records every request and answers from a script (request index → reply).
actor ScriptedTransport: HTTPTransport {
    private(set) var requests: [HTTPRequest] = []
    private let script: @Sendable (Int, HTTPRequest) -> ScriptedReply

    init(script: @escaping @Sendable (Int, HTTPRequest) -> ScriptedReply) {
        self.script = script
    }

    /// Answers every request with the same reply.
    init(always reply: ScriptedReply) {
        self.script = { _, _ in reply }
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let index = requests.count
        requests.append(request)
        switch script(index, request) {
        case .response(let response):
            return response
        case .stream(let status, let chunks, _):
            return HTTPResponse(status: status, body: chunks.reduce(Data(), +))
        case .fail(let message):
            throw TransportFailure(description: message)
        }
    }

    func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        let index = requests.count
        requests.append(request)
        switch script(index, request) {
        case .response(let response):
            return HTTPStreamingResponse(status: response.status, headers: response.headers,
                                         body: AsyncThrowingStream { continuation in
                                             continuation.yield(response.body)
                                             continuation.finish()
                                         })
        case .stream(let status, let chunks, let end):
            let body = AsyncThrowingStream<Data, Error> { continuation in
                for chunk in chunks { continuation.yield(chunk) }
                switch end {
                case .finish: continuation.finish()
                case .fail(let message): continuation.finish(throwing: TransportFailure(description: message))
                case .hang: break
                }
            }
            return HTTPStreamingResponse(status: status, headers: [:], body: body)
        case .fail(let message):
            throw TransportFailure(description: message)
        }
    }
}

/// A virtual clock: sleeps return at once and advance virtual time; every sleep is recorded.
actor VirtualClock: WatchClock {
    private(set) var sleeps: [Duration] = []
    private var current: Duration = .zero

    func now() async -> Duration { current }

    func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        sleeps.append(duration)
        current += duration
        await Task.yield()
    }

    func advance(by duration: Duration) { current += duration }
}

/// Splits bytes into chunks of random sizes (1...maxSize) from a seeded generator.
func randomChunks(_ data: Data, seed: UInt64, maxSize: Int = 17) -> [Data] {
    var random = SplitMix64(seed: seed)
    var chunks: [Data] = []
    var index = data.startIndex
    while index < data.endIndex {
        let size = Int.random(in: 1...maxSize, using: &random)
        let end = data.index(index, offsetBy: size, limitedBy: data.endIndex) ?? data.endIndex
        chunks.append(Data(data[index..<end]))
        index = end
    }
    return chunks
}

/// The query parameters of a request path.
func queryItems(of path: String) -> [String: String] {
    guard let components = URLComponents(string: "http://127.0.0.1" + path) else { return [:] }
    var items: [String: String] = [:]
    for item in components.queryItems ?? [] { items[item.name] = item.value ?? "" }
    return items
}

/// The path of a request without its query.
func pathOnly(_ path: String) -> String {
    String(path.split(separator: "?", maxSplits: 1).first ?? "")
}
