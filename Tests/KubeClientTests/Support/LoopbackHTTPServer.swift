import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A request as the loopback test server received it (header names lower-cased).
struct ReceivedRequest: Sendable {
    var method: String
    var uri: String
    var headers: [String: String]
    var body: Data
}

/// Writes one response, possibly in several parts over time.
struct ResponseWriter: Sendable {
    fileprivate let outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>

    func writeHead(status: Int, headers: [(String, String)] = []) async throws {
        var head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status))
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        try await outbound.write(.head(head))
    }

    func writeBody(_ data: Data) async throws {
        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: data))))
    }

    func end() async throws {
        try await outbound.write(.end(nil))
    }

    /// A complete response with Content-Length.
    func respond(status: Int, headers: [(String, String)] = [], body: Data = Data()) async throws {
        try await writeHead(status: status, headers: headers + [("Content-Length", "\(body.count)")])
        if !body.isEmpty { try await writeBody(body) }
        try await end()
    }
}

/// An HTTP/1.1 server on 127.0.0.1 and an ephemeral port, for tests only. Each request is given
/// to `handler`, which writes the response; connections are kept alive between requests.
final class LoopbackHTTPServer: Sendable {
    typealias Handler = @Sendable (ReceivedRequest, ResponseWriter) async throws -> Void

    let port: Int
    private let serverChannel: Channel
    private let acceptLoop: Task<Void, Never>
    private let counters: ConnectionCounters

    var baseURL: String { "http://127.0.0.1:\(port)" }
    /// Connections currently open (a cancelled transfer closes its connection).
    var openConnectionCount: Int { counters.open }
    /// Connections accepted since the start (shows connection reuse).
    var acceptedConnectionCount: Int { counters.accepted }

    private init(port: Int, serverChannel: Channel, acceptLoop: Task<Void, Never>, counters: ConnectionCounters) {
        self.port = port
        self.counters = counters
        self.serverChannel = serverChannel
        self.acceptLoop = acceptLoop
    }

    static func start(handler: @escaping Handler) async throws -> LoopbackHTTPServer {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        let counters = ConnectionCounters()
        let loop = Task<Void, Never> {
            try? await server.executeThenClose { connections in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in connections {
                        group.addTask {
                            counters.opened()
                            // Counted closed when the socket closes, even while a handler still runs.
                            connection.channel.closeFuture.whenComplete { _ in counters.closed() }
                            try? await serve(connection, handler: handler)
                        }
                    }
                }
            }
        }
        let instance = LoopbackHTTPServer(port: server.channel.localAddress?.port ?? 0,
                                          serverChannel: server.channel, acceptLoop: loop, counters: counters)
        return instance
    }

    /// Closes the listener and every connection, and waits until they are gone.
    func stop() async {
        acceptLoop.cancel()
        try? await serverChannel.close()
        await acceptLoop.value
    }

    /// Waits (up to `timeout`) until `condition` holds; returns whether it did.
    func waitUntil(timeout: Duration = .seconds(30), _ condition: @Sendable (LoopbackHTTPServer) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(self) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition(self)
    }

    private static func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>,
                              handler: Handler) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body = Data()
            for try await part in inbound {
                switch part {
                case .head(let requestHead):
                    head = requestHead
                    body = Data()
                case .body(let buffer):
                    body.append(contentsOf: buffer.readableBytesView)
                case .end:
                    guard let requestHead = head else { continue }
                    var headers: [String: String] = [:]
                    for (name, value) in requestHead.headers { headers[name.lowercased()] = value }
                    let request = ReceivedRequest(method: requestHead.method.rawValue, uri: requestHead.uri,
                                                  headers: headers, body: body)
                    try await handler(request, ResponseWriter(outbound: outbound))
                }
            }
        }
    }
}

/// Connection counts, shared by the accept loop and the server object.
private final class ConnectionCounters: Sendable {
    private let counts = Mutex((open: 0, accepted: 0))

    var open: Int { counts.withLock { $0.open } }
    var accepted: Int { counts.withLock { $0.accepted } }

    func opened() { counts.withLock { $0.open += 1; $0.accepted += 1 } }
    func closed() { counts.withLock { $0.open -= 1 } }
}
