import Foundation
import NIOCore
import NIOHTTP1

/// A canned answer of a routed ``LoopbackHTTPServer`` (see ``LoopbackHTTPServer/start(route:)``).
public enum ServedResponse: Sendable {
    /// A complete response.
    case body(Data, status: Int = 200, headers: [(String, String)] = [])
    /// `Content-Length: declared`, then only `data`, then the connection closes.
    case truncated(Data, declared: Int)
    /// Headers, then `chunk` every `interval`, `count` times (slow enough to trip a low-speed limit).
    case slow(chunk: Data, interval: Duration, count: Int)
    /// A redirect to `location`.
    case redirect(String, status: Int = 302)
    /// A body in chunked transfer encoding: no Content-Length announces its size.
    case chunked(Data)
}

/// Answers each request of one connection with `route(uri, n)`, all on the channel's event loop.
final class RouteHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let route: @Sendable (String, Int) -> ServedResponse
    let counters: ServerCounters
    private var uri = "/"
    private var authorization: String?

    init(route: @escaping @Sendable (String, Int) -> ServedResponse, counters: ServerCounters) {
        self.route = route
        self.counters = counters
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            uri = head.uri
            authorization = head.headers.first(name: "authorization")
        case .body:
            break
        case .end:
            respond(route(uri, counters.countRequest(uri, authorization: authorization)), context: context)
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
            let pause = TimeAmount.nanoseconds(interval.components.seconds * 1_000_000_000
                + interval.components.attoseconds / 1_000_000_000)
            func send(_ left: Int) {
                let context = bound.value
                guard left > 0, context.channel.isActive else { return }
                context.writeAndFlush(NIOAny(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: chunk)))), promise: nil)
                loop.scheduleTask(in: pause) { send(left - 1) }
            }
            send(count)
        case .chunked(let data):
            // No Content-Length: the HTTP/1.1 encoder sends the body chunked.
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
