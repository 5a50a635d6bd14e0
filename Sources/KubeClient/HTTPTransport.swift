import Foundation

/// One request to the Kubernetes API server. `path` is server-relative and carries the query
/// (`/api/v1/namespaces/default/pods?limit=500`); the transport adds the server's base URL,
/// credentials and TLS.
public struct HTTPRequest: Sendable {
    public var method: String
    public var path: String
    public var headers: [String: String]
    public var body: Data?
    /// Whole-request timeout; nil for none (watches end by `timeoutSeconds` instead).
    public var timeout: Duration?

    public init(method: String, path: String, headers: [String: String] = [:], body: Data? = nil,
                timeout: Duration? = .seconds(60)) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// A complete response: status, headers (names lower-cased) and body.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// A response whose body arrives in chunks of arbitrary size, as a watch stream does.
public struct HTTPStreamingResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: AsyncThrowingStream<Data, Error>

    public init(status: Int, headers: [String: String], body: AsyncThrowingStream<Data, Error>) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// How the REST client talks to an API server. The production implementation runs over libcurl;
/// tests may substitute a scripted one.
public protocol HTTPTransport: Sendable {
    /// Sends a request and collects the whole response body.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
    /// Sends a request and returns as soon as the status and headers are in; the body streams.
    func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse
}
