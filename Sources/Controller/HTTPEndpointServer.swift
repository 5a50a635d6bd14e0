import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// What an endpoint answers: status, content type and body.
public struct EndpointResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]

    public init(status: Int, contentType: String = "text/plain; charset=utf-8", body: String) {
        self.init(status: status, contentType: contentType, bytes: Array(body.utf8))
    }

    public init(status: Int, contentType: String, bytes: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = bytes
    }
}

/// A small HTTP/1.1 server for the operator's own endpoints (`/healthz`, `/readyz`, `/metrics`):
/// GET on a path runs its handler; anything else is 404 or 405.
public final class HTTPEndpointServer: Sendable {
    public typealias Handler = @Sendable () async -> EndpointResponse

    private let channel: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>
    private let serveTask: Task<Void, Never>
    /// The port the server listens on (useful when bound to port 0).
    public let port: Int

    /// Binds `host:port` (port 0 picks a free one) and starts serving `routes`.
    public init(host: String, port: Int, routes: [String: Handler], logger: Logger) async throws {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: child)
                }
            }
        self.channel = channel
        self.port = channel.channel.localAddress?.port ?? port
        serveTask = Task {
            await withDiscardingTaskGroup { group in
                do {
                    try await channel.executeThenClose { connections in
                        for try await connection in connections {
                            group.addTask { await Self.serve(connection, routes: routes, logger: logger) }
                        }
                    }
                } catch {
                    logger.debug("endpoint server stopped", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    /// Whether the listening socket is still open (false once `stop()` closed it).
    public var isListening: Bool { channel.channel.isActive }

    /// Stops listening and closes open connections.
    public func stop() async {
        channel.channel.close(promise: nil)
        serveTask.cancel()
        await serveTask.value
    }

    private static func serve(
        _ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>,
        routes: [String: Handler], logger: Logger
    ) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                for try await part in inbound {
                    switch part {
                    case .head(let requestHead):
                        head = requestHead
                    case .body:
                        break
                    case .end:
                        guard let requestHead = head else { continue }
                        let response = await respond(to: requestHead, routes: routes)
                        var headers = HTTPHeaders()
                        headers.add(name: "Content-Type", value: response.contentType)
                        headers.add(name: "Content-Length", value: String(response.body.count))
                        let keepAlive = requestHead.isKeepAlive
                        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
                        try await outbound.write(.head(HTTPResponseHead(
                            version: requestHead.version, status: HTTPResponseStatus(statusCode: response.status),
                            headers: headers)))
                        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body))))
                        try await outbound.write(.end(nil))
                        if !keepAlive { return }
                    }
                }
            }
        } catch {
            logger.debug("endpoint connection ended", metadata: ["error": "\(error)"])
        }
    }

    private static func respond(to head: HTTPRequestHead, routes: [String: Handler]) async -> EndpointResponse {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        guard let handler = routes[path] else {
            return EndpointResponse(status: 404, body: "not found: \(path)\n")
        }
        guard head.method == .GET || head.method == .HEAD else {
            return EndpointResponse(status: 405, body: "only GET is served\n")
        }
        return await handler()
    }
}
