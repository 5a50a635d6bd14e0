import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The tests' one HTTP/1.1 server (SwiftNIO) on 127.0.0.1 and an ephemeral port. Each request is
/// given to `handler`, which writes the response; connections are kept alive between requests.
/// It counts connections (open, accepted) and requests per URI. For canned answers by path see
/// ``ServedResponse``.
public final class LoopbackHTTPServer: Sendable {
    public typealias Handler = @Sendable (ReceivedRequest, ResponseWriter) async throws -> Void

    public let port: Int
    private let serverChannel: Channel
    private let acceptLoop: Task<Void, Never>
    private let counters: ServerCounters

    public var baseURL: String { "http://127.0.0.1:\(port)" }
    /// `http://127.0.0.1:<port><path>`.
    public func url(_ path: String) -> String { baseURL + path }
    /// Connections currently open (a cancelled transfer closes its connection).
    public var openConnectionCount: Int { counters.state.withLock { $0.open } }
    /// Connections accepted since the start (shows connection reuse).
    public var acceptedConnectionCount: Int { counters.state.withLock { $0.accepted } }

    /// Complete requests received for `uri` (path and query as sent), or for every URI when nil.
    public func requests(_ uri: String? = nil) -> Int {
        counters.state.withLock { state in
            uri.map { state.requests[$0] ?? 0 } ?? state.requests.values.reduce(0, +)
        }
    }

    private init(port: Int, serverChannel: Channel, acceptLoop: Task<Void, Never>, counters: ServerCounters) {
        self.port = port
        self.counters = counters
        self.serverChannel = serverChannel
        self.acceptLoop = acceptLoop
    }

    /// Listens on 127.0.0.1 at a free port; stop it with ``stop()`` (or use ``withLoopbackServer(_:_:)``).
    public static func start(handler: @escaping Handler) async throws -> LoopbackHTTPServer {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        let counters = ServerCounters()
        // The accept loop is owned by the server: `stop()` cancels it and waits for it.
        let loop = Task<Void, Never> {
            try? await server.executeThenClose { connections in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in connections {
                        group.addTask {
                            counters.state.withLock { $0.open += 1; $0.accepted += 1 }
                            // Counted closed when the socket closes, even while a handler still runs.
                            connection.channel.closeFuture.whenComplete { _ in counters.state.withLock { $0.open -= 1 } }
                            try? await serve(connection, handler: handler, counters: counters)
                        }
                    }
                }
            }
        }
        return LoopbackHTTPServer(port: server.channel.localAddress?.port ?? 0,
                                  serverChannel: server.channel, acceptLoop: loop, counters: counters)
    }

    /// Closes the listener and every connection, and waits until they are gone.
    public func stop() async {
        acceptLoop.cancel()
        try? await serverChannel.close()
        await acceptLoop.value
    }

    private static func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>,
                              handler: Handler, counters: ServerCounters) async throws {
        let channel = connection.channel
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
                    counters.state.withLock { $0.requests[requestHead.uri, default: 0] += 1 }
                    let request = ReceivedRequest(method: requestHead.method.rawValue, uri: requestHead.uri,
                                                  headers: headers, body: body)
                    try await handler(request, ResponseWriter(outbound: outbound, channel: channel))
                }
            }
        }
    }
}

/// Runs `body` with a fresh server and always stops the server afterwards.
@discardableResult
public func withLoopbackServer<T>(_ handler: @escaping LoopbackHTTPServer.Handler,
                                  _ body: (LoopbackHTTPServer) async throws -> T) async throws -> T {
    let server = try await LoopbackHTTPServer.start(handler: handler)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

/// Connection and request counts, shared by the accept loop and the server object.
private final class ServerCounters: Sendable {
    let state = Mutex((open: 0, accepted: 0, requests: [String: Int]()))
}
