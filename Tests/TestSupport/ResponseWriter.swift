import Foundation
import NIOCore
import NIOHTTP1

/// A request as ``LoopbackHTTPServer`` received it (header names lower-cased).
public struct ReceivedRequest: Sendable {
    public var method: String
    public var uri: String
    public var headers: [String: String]
    public var body: Data
}

/// Writes one response, possibly in several parts over time.
public struct ResponseWriter: Sendable {
    let outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>

    public func writeHead(status: Int, headers: [(String, String)] = []) async throws {
        var head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status))
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        try await outbound.write(.head(head))
    }

    public func writeBody(_ data: Data) async throws {
        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: data))))
    }

    public func end() async throws {
        try await outbound.write(.end(nil))
    }

    /// A complete response with Content-Length.
    public func respond(status: Int, headers: [(String, String)] = [], body: Data = Data()) async throws {
        try await writeHead(status: status, headers: headers + [("Content-Length", "\(body.count)")])
        if !body.isEmpty { try await writeBody(body) }
        try await end()
    }
}
