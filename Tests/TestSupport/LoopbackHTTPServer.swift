import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The tests' one HTTP/1.1 server (SwiftNIO) on 127.0.0.1 and an ephemeral port; connections
/// are kept alive between requests. Two ways to answer:
/// - ``start(handler:)``: an async handler writes each response (for conversations a test scripts
///   step by step);
/// - ``start(route:)``: a canned ``ServedResponse`` per path, written on the event loop, so a busy
///   test process (Swift's cooperative pool is two threads on two cores) cannot stall a transfer
///   into a client's low-speed limit.
/// Either way it counts connections (open, accepted) and requests per URI.
public final class LoopbackHTTPServer: Sendable {
    public typealias Handler = @Sendable (ReceivedRequest, ResponseWriter) async throws -> Void

    public let port: Int
    private let serverChannel: Channel
    /// The accept loop of an async-handler server (nil for a routed one); `stop()` ends it.
    private let acceptLoop: Task<Void, Never>?
    private let counters: ServerCounters

    public var baseURL: String { "http://127.0.0.1:\(port)" }
    /// `http://127.0.0.1:<port><path>`.
    public func url(_ path: String) -> String { baseURL + path }
    /// Connections currently open (a cancelled transfer closes its connection).
    public var openConnectionCount: Int { counters.state.withLock { $0.open.count } }
    /// Connections accepted since the start (shows connection reuse).
    public var acceptedConnectionCount: Int { counters.state.withLock { $0.accepted } }

    /// The `Authorization` header of each request to `uri` answered by a route, in arrival order
    /// (nil: none sent).
    public func authorizations(_ uri: String) -> [String?] {
        counters.state.withLock { $0.authorizations[uri] ?? [] }
    }

    /// Complete requests received for `uri` (path and query as sent), or for every URI when nil.
    public func requests(_ uri: String? = nil) -> Int {
        counters.state.withLock { state in
            uri.map { state.requests[$0] ?? 0 } ?? state.requests.values.reduce(0, +)
        }
    }

    private init(port: Int, serverChannel: Channel, acceptLoop: Task<Void, Never>?, counters: ServerCounters) {
        self.port = port
        self.counters = counters
        self.serverChannel = serverChannel
        self.acceptLoop = acceptLoop
    }

    /// Listens on 127.0.0.1 at a free port and gives each request to `handler`; stop it with
    /// ``stop()`` (or use ``withLoopbackServer(_:_:)``).
    public static func start(handler: @escaping Handler) async throws -> LoopbackHTTPServer {
        let counters = ServerCounters()
        let server = try await bootstrap(counters)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        // The accept loop is owned by the server: `stop()` cancels it and waits for it.
        let loop = Task<Void, Never> {
            try? await server.executeThenClose { connections in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in connections {
                        group.addTask { try? await serve(connection, handler: handler, counters: counters) }
                    }
                }
            }
        }
        return LoopbackHTTPServer(port: server.channel.localAddress?.port ?? 0, serverChannel: server.channel,
                                  acceptLoop: loop, counters: counters)
    }

    /// Listens on 127.0.0.1 at a free port and answers `route(uri, n)`, where `n` is the 1-based
    /// count of requests to that URI so far (this one included).
    public static func start(route: @escaping @Sendable (String, Int) -> ServedResponse) async throws
        -> LoopbackHTTPServer
    {
        let counters = ServerCounters()
        let channel = try await bootstrap(counters)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(RouteHandler(route: route, counters: counters))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return LoopbackHTTPServer(port: channel.localAddress?.port ?? 0, serverChannel: channel, acceptLoop: nil,
                                  counters: counters)
    }

    /// Closes the listener and every connection, and waits until they are gone: a connection to
    /// the port after this is refused.
    public func stop() async {
        // The listener first, so no connection is accepted while the accept loop winds down (SwiftNIO
        // traps on a connection accepted after its consumer went away).
        try? await serverChannel.close()
        for connection in counters.state.withLock({ Array($0.open.values) }) {
            try? await connection.close()
        }
        // Handlers still waiting (a test's long sleep) end with the loop.
        acceptLoop?.cancel()
        await acceptLoop?.value
        // Closing may have begun elsewhere; the close future completes once the socket is closed.
        try? await serverChannel.closeFuture.get()
    }

    /// The listener's options, and connection counting from the moment a connection is accepted.
    private static func bootstrap(_ counters: ServerCounters) -> ServerBootstrap {
        ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { serverChannel in
                serverChannel.eventLoop.makeCompletedFuture {
                    try serverChannel.pipeline.syncOperations.addHandler(ConnectionCounting(counters: counters))
                }
            }
    }

    private static func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>,
                              handler: Handler, counters: ServerCounters) async throws {
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
                    _ = counters.countRequest(requestHead.uri)
                    let request = ReceivedRequest(method: requestHead.method.rawValue, uri: requestHead.uri,
                                                  headers: headers, body: body)
                    try await handler(request, ResponseWriter(outbound: outbound))
                }
            }
        }
    }
}

/// Runs `body` with a fresh server answering through `handler`, and always stops the server afterwards.
@discardableResult
public func withLoopbackServer<T>(_ handler: @escaping LoopbackHTTPServer.Handler,
                                  _ body: (LoopbackHTTPServer) async throws -> T) async throws -> T {
    try await run(body, on: LoopbackHTTPServer.start(handler: handler))
}

/// Runs `body` with a fresh server answering `route` (see ``LoopbackHTTPServer/start(route:)``),
/// and always stops the server afterwards.
@discardableResult
public func withServer<T>(_ route: @escaping @Sendable (String, Int) -> ServedResponse,
                          _ body: (LoopbackHTTPServer) async throws -> T) async throws -> T {
    try await run(body, on: LoopbackHTTPServer.start(route: route))
}

private func run<T>(_ body: (LoopbackHTTPServer) async throws -> T, on server: LoopbackHTTPServer) async throws -> T {
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

/// Connections (the open ones by identity, so `stop()` can close them) and requests per URI,
/// shared by the listener, every connection and the server object.
final class ServerCounters: Sendable {
    let state = Mutex((open: [ObjectIdentifier: Channel](), accepted: 0, requests: [String: Int](),
                       authorizations: [String: [String?]]()))

    /// Counts one more complete request to `uri` (and the `Authorization` header it carried);
    /// returns the count for that URI.
    func countRequest(_ uri: String, authorization: String? = nil) -> Int {
        state.withLock { state in
            state.requests[uri, default: 0] += 1
            state.authorizations[uri, default: []].append(authorization)
            return state.requests[uri] ?? 0
        }
    }
}

/// On the listener: counts each accepted connection as open until its socket closes (even
/// while a handler still runs).
private final class ConnectionCounting: ChannelInboundHandler, Sendable {
    typealias InboundIn = Channel
    let counters: ServerCounters

    init(counters: ServerCounters) { self.counters = counters }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let connection = unwrapInboundIn(data)
        let id = ObjectIdentifier(connection)
        counters.state.withLock { state in
            state.open[id] = connection
            state.accepted += 1
        }
        connection.closeFuture.whenComplete { [counters] _ in counters.state.withLock { _ = $0.open.removeValue(forKey: id) } }
        context.fireChannelRead(data)
    }
}
