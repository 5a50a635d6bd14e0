import Foundation

/// The production `HTTPTransport`: requests go over `CurlEngine` to the configured API server,
/// with its TLS material, an `Authorization` header from the credentials, and JSON defaults
/// (`Accept`, `Content-Type` for bodies, `User-Agent`). A 401 answered to a token read from a
/// file makes the transport re-read the file and, when the token changed, retry once.
public struct KubeHTTPTransport: HTTPTransport {
    public let config: ClusterConfig
    public let userAgent: String
    private let engine: CurlEngine
    private let authorizer: ClusterAuthorizer

    public init(config: ClusterConfig, engine: CurlEngine = .shared, userAgent: String = "model-operator",
                tokenRefreshInterval: Duration = .seconds(60)) {
        self.config = config
        self.engine = engine
        self.userAgent = userAgent
        self.authorizer = ClusterAuthorizer(credentials: config.credentials, tokenRefreshInterval: tokenRefreshInterval)
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let authorization = try await authorizer.authorization()
        var response = try await engine.send(curlRequest(request, authorization: authorization, streaming: false))
        if response.head.status == 401,
           let fresh = try await authorizer.authorizationAfterUnauthorized(rejected: authorization) {
            response = try await engine.send(curlRequest(request, authorization: fresh, streaming: false))
        }
        return HTTPResponse(status: response.head.status, headers: response.head.headers, body: response.body)
    }

    public func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        let authorization = try await authorizer.authorization()
        var response = try await engine.stream(curlRequest(request, authorization: authorization, streaming: true))
        if response.head.status == 401,
           let fresh = try await authorizer.authorizationAfterUnauthorized(rejected: authorization) {
            response = try await engine.stream(curlRequest(request, authorization: fresh, streaming: true))
        }
        return HTTPStreamingResponse(status: response.head.status, headers: response.head.headers, body: response.body)
    }

    /// The engine request for `request`: absolute URL, default headers, credentials and TLS.
    func curlRequest(_ request: HTTPRequest, authorization: String?, streaming: Bool) -> CurlRequest {
        var headers: [String: String] = ["Accept": "application/json", "User-Agent": userAgent]
        if request.body != nil { headers["Content-Type"] = "application/json" }
        for (name, value) in request.headers {
            // The caller's header replaces a default of any capitalisation.
            if let existing = headers.keys.first(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) {
                headers[existing] = nil
            }
            headers[name] = value
        }
        if let authorization, !headers.keys.contains(where: { $0.lowercased() == "authorization" }) {
            headers["Authorization"] = authorization
        }
        let path = request.path.hasPrefix("/") ? request.path : "/" + request.path
        let options = CurlRequestOptions(timeout: request.timeout, connectTimeout: .seconds(30),
                                         automaticDecompression: true, tls: config.tls)
        return CurlRequest(url: config.server + path, method: request.method, headers: headers,
                           body: request.body, options: options)
    }
}
