import CurlHTTP
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
        try requireSafeTransport(for: authorization)
        var response = try await engine.send(curlRequest(request, authorization: authorization, streaming: false))
        if response.head.status == 401,
           let fresh = try await authorizer.authorizationAfterUnauthorized(rejected: authorization) {
            response = try await engine.send(curlRequest(request, authorization: fresh, streaming: false))
        }
        return HTTPResponse(status: response.head.status, headers: response.head.headers, body: response.body)
    }

    public func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        let authorization = try await authorizer.authorization()
        try requireSafeTransport(for: authorization)
        var response = try await engine.stream(curlRequest(request, authorization: authorization, streaming: true))
        if response.head.status == 401,
           let fresh = try await authorizer.authorizationAfterUnauthorized(rejected: authorization) {
            response = try await engine.stream(curlRequest(request, authorization: fresh, streaming: true))
        }
        return HTTPStreamingResponse(status: response.head.status, headers: response.head.headers, body: response.body)
    }

    /// Credentials go over plain `http://` only to a loopback address (LocalCluster, a port
    /// forward): anywhere else anyone on the path could read and reuse them, so the request is
    /// refused with what to change, as kubectl refuses.
    func requireSafeTransport(for authorization: String?) throws {
        guard authorization != nil, config.server.lowercased().hasPrefix("http://") else { return }
        let host = URLComponents(string: config.server)?.host ?? ""
        let loopback = host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
        guard !loopback else { return }
        throw KubeClientError.invalidRequest("refusing to send credentials to \(config.server) over plain http; "
            + "use the API server's https:// address in the kubeconfig (\(config.source))")
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
