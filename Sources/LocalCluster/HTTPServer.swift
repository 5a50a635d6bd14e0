import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// One HTTP request as the API layer sees it: method, path, decoded query, lower-cased headers, body.
struct ServerRequest: Sendable {
    var method: String
    var path: String
    var query: [String: String]
    var headers: [String: String]
    var body: Data
    /// Set by the API layer for a user without rights (see ``AuthGate``).
    var restrictedUser: String?

    /// Splits `uri` into a path and query parameters (`+` and percent escapes decoded, as Go's url.ParseQuery).
    init(method: String, uri: String, headers: [String: String], body: Data) {
        self.method = method
        self.headers = headers
        self.body = body
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = parts.first.map { String($0).removingPercentEncoding ?? String($0) } ?? "/"
        var query: [String: String] = [:]
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let keyValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let decode = { (text: Substring) in
                    text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
                }
                guard let rawKey = keyValue.first else { continue }
                query[decode(rawKey)] = keyValue.count > 1 ? decode(keyValue[1]) : ""
            }
        }
        self.query = query
    }
}

/// A response: complete, or a stream of chunks (watches) ended by the producer or by the client leaving.
/// `headers` are extra response headers (such as `Warning`), in order; a name may repeat.
enum ServerResponse: Sendable {
    case full(status: Int, contentType: String, body: Data, headers: [(name: String, value: String)] = [])
    case stream(status: Int, contentType: String, body: AsyncStream<Data>)
}

/// Something that answers requests (the API layer).
protocol RequestHandling: Sendable {
    func handle(_ request: ServerRequest) async -> ServerResponse
}

/// A minimal HTTP/1.1 server on SwiftNIO bound to loopback: keep-alive connections, one request at a
/// time per connection, chunked streaming for watches.
final class HTTPServer: Sendable {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let serverTask: Task<Void, Never>
    private let listener: Channel
    private let connections: ConnectionRegistry

    private init(port: Int, group: MultiThreadedEventLoopGroup, serverTask: Task<Void, Never>, listener: Channel,
                 connections: ConnectionRegistry) {
        self.port = port
        self.group = group
        self.serverTask = serverTask
        self.listener = listener
        self.connections = connections
    }

    static func start(host: String, port: Int, handler: some RequestHandling) async throws -> HTTPServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let serverChannel: NIOAsyncChannel<Connection, Never>
        do {
            serverChannel = try await ServerBootstrap(group: group)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                .bind(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        return try Connection(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        let boundPort = serverChannel.channel.localAddress?.port ?? port
        let listener = serverChannel.channel
        let registry = ConnectionRegistry()
        let task = Task {
            await withDiscardingTaskGroup { connections in
                do {
                    try await serverChannel.executeThenClose { inbound in
                        for try await connection in inbound {
                            connections.addTask {
                                let id = await registry.add(connection.channel)
                                await serve(connection, handler: handler)
                                await registry.remove(id)
                            }
                        }
                    }
                } catch {
                    // The listener closed (stop()); open connections end with the task group's cancellation.
                }
                connections.cancelAll()
            }
        }
        return HTTPServer(port: boundPort, group: group, serverTask: task, listener: listener, connections: registry)
    }

    /// Closes the listener and every connection, then stops the event loop.
    func stop() async {
        try? await listener.close()
        serverTask.cancel()
        await connections.closeAll()
        _ = await serverTask.value
        try? await group.shutdownGracefully()
    }

    private static func serve(_ connection: Connection, handler: some RequestHandling) async {
        let channel = connection.channel
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let requestHead):
                    head = requestHead
                    body.clear()
                    if requestHead.headers["expect"].contains(where: { $0.lowercased() == "100-continue" }) {
                        // libcurl waits up to a second for this before sending a large body.
                        try await outbound.write(.head(HTTPResponseHead(version: requestHead.version, status: .continue)))
                    }
                case .body(var chunk):
                    body.writeBuffer(&chunk)
                case .end:
                    guard let requestHead = head else { continue }
                    var headers: [String: String] = [:]
                    for (name, value) in requestHead.headers {
                        let key = name.lowercased()
                        headers[key] = headers[key].map { "\($0),\(value)" } ?? value
                    }
                    let request = ServerRequest(method: requestHead.method.rawValue, uri: requestHead.uri,
                                                headers: headers, body: Data(body.readableBytesView))
                    let response = await handler.handle(request)
                    let keepAlive = requestHead.isKeepAlive
                    switch response {
                    case .full(let status, let contentType, let data, let extraHeaders):
                        var responseHead = HTTPResponseHead(version: requestHead.version,
                                                            status: HTTPResponseStatus(statusCode: status))
                        responseHead.headers.add(name: "Content-Type", value: contentType)
                        for header in extraHeaders { responseHead.headers.add(name: header.name, value: header.value) }
                        responseHead.headers.add(name: "Content-Length", value: String(data.count))
                        responseHead.headers.add(name: "Cache-Control", value: "no-cache, private")
                        if !keepAlive { responseHead.headers.add(name: "Connection", value: "close") }
                        try await outbound.write(.head(responseHead))
                        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: data))))
                        try await outbound.write(.end(nil))
                    case .stream(let status, let contentType, let chunks):
                        var responseHead = HTTPResponseHead(version: requestHead.version,
                                                            status: HTTPResponseStatus(statusCode: status))
                        responseHead.headers.add(name: "Content-Type", value: contentType)
                        responseHead.headers.add(name: "Transfer-Encoding", value: "chunked")
                        responseHead.headers.add(name: "Cache-Control", value: "no-cache, private")
                        try await outbound.write(.head(responseHead))
                        let completed = await streamChunks(chunks, to: outbound, channel: channel)
                        guard completed else { return }
                        try await outbound.write(.end(nil))
                    }
                    if !keepAlive { return }
                    head = nil
                }
            }
        }
    }

    /// Writes chunks until the producer ends (true) or the client goes away (false). Chunks that
    /// arrive while a write is in flight are written together with one flush (each still its own
    /// HTTP chunk): a burst of watch events costs one socket write, not one per event.
    private static func streamChunks(_ chunks: AsyncStream<Data>,
                                     to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>,
                                     channel: Channel) async -> Bool {
        let pending = PendingChunks()
        let (ready, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        return await withTaskGroup(of: Bool?.self) { group in
            group.addTask {
                for await chunk in chunks {
                    pending.append(chunk)
                    signal.yield(())
                }
                signal.finish()
                return nil  // The writer decides once it has written what was collected.
            }
            group.addTask {
                func writePending() async -> Bool {
                    let batch = pending.take()
                    guard !batch.isEmpty else { return true }
                    do {
                        try await outbound.write(contentsOf: batch.map { HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: $0))) })
                        return true
                    } catch {
                        return false
                    }
                }
                for await _ in ready {
                    guard await writePending() else { return false }
                }
                guard await writePending() else { return false }
                return !Task.isCancelled
            }
            group.addTask {
                while channel.isActive {
                    do { try await Task.sleep(for: .milliseconds(250)) } catch { return true }
                }
                return false
            }
            while let result = await group.next() {
                guard let result else { continue }
                group.cancelAll()
                return result
            }
            return false
        }
    }
}

/// The chunks of a streamed response produced and not yet written, taken all at once by the writer.
private final class PendingChunks: Sendable {
    private let chunks = Mutex<[Data]>([])

    func append(_ chunk: Data) {
        chunks.withLock { $0.append(chunk) }
    }

    func take() -> [Data] {
        chunks.withLock { chunks in
            let taken = chunks
            chunks = []
            return taken
        }
    }
}

/// The open connections, so `stop()` can close them (ending their request loops and watches).
private actor ConnectionRegistry {
    private var channels: [Int: Channel] = [:]
    private var nextID = 0
    private var closed = false

    func add(_ channel: Channel) -> Int {
        nextID += 1
        if closed {
            channel.close(promise: nil)
        } else {
            channels[nextID] = channel
        }
        return nextID
    }

    func remove(_ id: Int) {
        channels.removeValue(forKey: id)
    }

    func closeAll() async {
        closed = true
        for channel in channels.values { try? await channel.close() }
        channels.removeAll()
    }
}
