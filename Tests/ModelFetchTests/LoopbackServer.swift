import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// What the test server answers for one request.
enum ServedResponse: Sendable {
    /// A complete response.
    case body(Data, status: Int = 200, headers: [(String, String)] = [])
    /// `Content-Length: declared`, then only `data`, then the connection closes.
    case truncated(Data, declared: Int)
    /// Headers, then `chunk` every `interval`, `count` times (slow enough to trip a low-speed limit).
    case slow(chunk: Data, interval: TimeAmount, count: Int)
    /// A redirect to `location`.
    case redirect(String, status: Int = 302)
    /// A body in chunked transfer encoding: no Content-Length announces its size.
    case chunked(Data)
}

/// Runs `body` with a fresh server and shuts the server down afterwards, whatever happens.
func withServer<T>(_ route: @escaping @Sendable (String, Int) -> ServedResponse,
                   _ body: (LoopbackServer) async throws -> T) async throws -> T {
    let server = try await LoopbackServer(route: route)
    do {
        let result = try await body(server)
        await server.shutdown()
        return result
    } catch {
        await server.shutdown()
        throw error
    }
}

/// A loopback HTTP/1.1 server (SwiftNIO) on an ephemeral port that answers by path and counts
/// requests. `route(path, n)` gets the 1-based count of requests to that path so far.
final class LoopbackServer: Sendable {
    let port: Int
    private let channel: Channel
    private let group: MultiThreadedEventLoopGroup
    private let counts: RequestCounter

    init(route: @escaping @Sendable (String, Int) -> ServedResponse) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let counts = RequestCounter()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(RouteHandler(route: route, counts: counts))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        self.group = group
        self.channel = channel
        self.counts = counts
        self.port = channel.localAddress?.port ?? 0
    }

    /// `http://127.0.0.1:<port><path>`.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Requests received for `path` (or in all when nil).
    func requests(_ path: String? = nil) -> Int {
        counts.table.withLock { table in path.map { table[$0] ?? 0 } ?? table.values.reduce(0, +) }
    }

    /// The `Authorization` header of each request to `path`, in arrival order (nil: none sent).
    func authorizations(_ path: String) -> [String?] {
        counts.authorizations.withLock { $0[path] ?? [] }
    }

    func shutdown() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}

/// Requests per path, shared by every connection's handler.
final class RequestCounter: Sendable {
    let table = Mutex<[String: Int]>([:])
    let authorizations = Mutex<[String: [String?]]>([:])
}

private final class RouteHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let route: @Sendable (String, Int) -> ServedResponse
    let counts: RequestCounter
    private var path = "/"
    private var authorization: String?

    init(route: @escaping @Sendable (String, Int) -> ServedResponse, counts: RequestCounter) {
        self.route = route
        self.counts = counts
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            path = head.uri
            authorization = head.headers.first(name: "authorization")
        case .body:
            break
        case .end:
            let n = counts.table.withLock { table -> Int in
                table[path, default: 0] += 1
                return table[path] ?? 0
            }
            counts.authorizations.withLock { $0[path, default: []].append(authorization) }
            respond(route(path, n), context: context)
        }
    }

    private func respond(_ response: ServedResponse, context: ChannelHandlerContext) {
        switch response {
        case .body(let data, let status, let extra):
            var headers = HTTPHeaders(extra)
            headers.replaceOrAdd(name: "content-length", value: String(data.count))
            writeHead(status, headers, context)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: data)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case .truncated(let data, let declared):
            writeHead(200, ["content-length": String(declared)], context)
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: data)))), promise: nil)
            let loop = context.eventLoop.assumeIsolated()
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            loop.scheduleTask(in: .milliseconds(50)) { bound.value.close(promise: nil) }
        case .slow(let chunk, let interval, let count):
            writeHead(200, ["content-length": String(chunk.count * count)], context)
            context.flush()
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            let loop = context.eventLoop.assumeIsolated()
            func send(_ left: Int) {
                let context = bound.value
                guard left > 0, context.channel.isActive else { return }
                context.writeAndFlush(NIOAny(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: chunk)))), promise: nil)
                loop.scheduleTask(in: interval) { send(left - 1) }
            }
            send(count)
        case .chunked(let data):
            writeHead(200, [:], context)
            var offset = 0
            while offset < data.count {
                let end = min(data.count, offset + 16_384)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: data[offset..<end])))), promise: nil)
                offset = end
            }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case .redirect(let location, let status):
            writeHead(status, ["location": location, "content-length": "0"], context)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    private func writeHead(_ status: Int, _ headers: HTTPHeaders, _ context: ChannelHandlerContext) {
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
    }
}
