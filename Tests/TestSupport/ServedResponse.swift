import Foundation
import Synchronization

/// A canned answer of ``LoopbackHTTPServer``, chosen by path (see ``withServer(_:_:)``).
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

    /// Writes this answer.
    func write(to writer: ResponseWriter) async throws {
        switch self {
        case .body(let data, let status, let extra):
            let headers = extra.filter { $0.0.lowercased() != "content-length" }
            try await writer.respond(status: status, headers: headers, body: data)
        case .truncated(let data, let declared):
            try await writer.writeHead(status: 200, headers: [("Content-Length", "\(declared)")])
            try await writer.writeBody(data)
            try await Task.sleep(for: .milliseconds(50))
            throw ResponseWriter.CloseConnection()
        case .slow(let chunk, let interval, let count):
            try await writer.writeHead(status: 200, headers: [("Content-Length", "\(chunk.count * count)")])
            for _ in 0..<count {
                guard writer.isConnected else { return }
                try await writer.writeBody(chunk)
                try await Task.sleep(for: interval)
            }
            try await writer.end()
        case .chunked(let data):
            // No Content-Length: the HTTP/1.1 encoder sends the body chunked.
            try await writer.writeHead(status: 200)
            var offset = 0
            while offset < data.count {
                let end = min(data.count, offset + 16_384)
                try await writer.writeBody(data[offset..<end])
                offset = end
            }
            try await writer.end()
        case .redirect(let location, let status):
            try await writer.respond(status: status, headers: [("Location", location)])
        }
    }
}

extension LoopbackHTTPServer {
    /// A server that answers `route(uri, n)`, where `n` is the 1-based count of requests to that
    /// URI so far (this one included).
    public static func start(route: @escaping @Sendable (String, Int) -> ServedResponse) async throws -> LoopbackHTTPServer {
        let counts = RouteCounts()
        return try await start { request, writer in
            let n = counts.next(request.uri)
            try await route(request.uri, n).write(to: writer)
        }
    }
}

/// Runs `body` with a fresh server answering `route` (see ``LoopbackHTTPServer/start(route:)``)
/// and always stops the server afterwards.
public func withServer<T>(_ route: @escaping @Sendable (String, Int) -> ServedResponse,
                          _ body: (LoopbackHTTPServer) async throws -> T) async throws -> T {
    let server = try await LoopbackHTTPServer.start(route: route)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

/// Requests per URI as `route` sees them, shared by every connection.
private final class RouteCounts: Sendable {
    private let table = Mutex<[String: Int]>([:])

    /// Counts one more request to `uri` and returns the count.
    func next(_ uri: String) -> Int {
        table.withLock { table in
            table[uri, default: 0] += 1
            return table[uri] ?? 0
        }
    }
}
