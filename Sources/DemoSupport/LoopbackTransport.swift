import Foundation
import KubeClient

/// HTTP to a LocalCluster on 127.0.0.1 over the shared libcurl engine: plain HTTP and an
/// optional bearer token, nothing else (no TLS or kubeconfig; production uses the kubeconfig
/// or in-cluster transport).
public struct LoopbackTransport: HTTPTransport {
    public let baseURL: String
    public let token: String?
    private let engine: CurlEngine

    public init(baseURL: String, token: String? = nil, engine: CurlEngine = .shared) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.engine = engine
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let response = try await engine.send(curlRequest(request))
        return HTTPResponse(status: response.head.status, headers: response.head.headers, body: response.body)
    }

    public func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        let response = try await engine.stream(curlRequest(request))
        return HTTPStreamingResponse(status: response.head.status, headers: response.head.headers, body: response.body)
    }

    private func curlRequest(_ request: HTTPRequest) -> CurlRequest {
        var headers = request.headers
        if headers["Accept"] == nil { headers["Accept"] = "application/json" }
        if let token { headers["Authorization"] = "Bearer \(token)" }
        return CurlRequest(url: baseURL + request.path, method: request.method, headers: headers, body: request.body,
                           options: CurlRequestOptions(timeout: request.timeout))
    }
}
