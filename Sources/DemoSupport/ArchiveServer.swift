import Controller
import Foundation
import Logging

/// Serves generated archives over HTTP on 127.0.0.1 (loopback only), each at `/<file name>`.
public final class ArchiveServer: Sendable {
    private let server: HTTPEndpointServer
    public var port: Int { server.port }

    /// Serves the given files; `port` 0 picks a free one. The files are read once, at start.
    public init(files: [String], port: Int, logger: Logger) async throws {
        var routes: [String: HTTPEndpointServer.Handler] = [:]
        for path in files {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            routes["/" + URL(fileURLWithPath: path).lastPathComponent] = {
                EndpointResponse(status: 200, contentType: "application/gzip", bytes: bytes)
            }
        }
        do {
            server = try await HTTPEndpointServer(host: "127.0.0.1", port: port, routes: routes, logger: logger)
        } catch {
            throw DemoError("cannot serve the sample archives on 127.0.0.1:\(port): \(error); "
                + "stop whatever listens there, or pick another port")
        }
    }

    public func stop() async { await server.stop() }
}
