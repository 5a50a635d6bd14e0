import FastJSON
import Foundation
import KubeModel

/// REST verbs on any group/version/resource of a Kubernetes API server, over an `HTTPTransport`.
///
/// Every verb exists untyped (bodies as `JSONValue`, for any resource) and typed (for `KubeObject`
/// models, in `RESTClient+Typed.swift`). Non-2xx replies throw `KubeAPIError`; requests the API
/// cannot express throw `KubeClientError.invalidRequest` before anything is sent.
public struct RESTClient: Sendable {
    public let transport: any HTTPTransport
    /// Timeout of each non-watch request.
    public var requestTimeout: Duration

    public init(transport: any HTTPTransport, requestTimeout: Duration = .seconds(60)) {
        self.transport = transport
        self.requestTimeout = requestTimeout
    }

    // MARK: - Requests

    /// Sends a request; returns the response when 2xx, else throws `KubeAPIError`.
    @discardableResult
    public func send(method: String, path: String, body: Data? = nil, contentType: String? = nil) async throws
        -> HTTPResponse
    {
        var headers = ["Accept": "application/json"]
        if let contentType { headers["Content-Type"] = contentType }
        let request = HTTPRequest(method: method, path: path, headers: headers, body: body, timeout: requestTimeout)
        let response = try await transport.send(request)
        guard (200..<300).contains(response.status) else {
            throw KubeAPIError(response: response, method: method, path: path)
        }
        return response
    }

    /// Sends a request and decodes the 2xx body as `T`.
    func sendDecoding<T: Decodable>(_ type: T.Type, method: String, path: String, body: Data? = nil,
                                    contentType: String? = nil) async throws -> T {
        let response = try await send(method: method, path: path, body: body, contentType: contentType)
        return try RESTClient.decode(T.self, from: response.body, request: "\(method) \(path)")
    }

    static func decode<T: Decodable>(_ type: T.Type, from body: Data, request: String) throws -> T {
        do {
            return try FastJSONDecoder().decode(T.self, from: body)
        } catch {
            throw KubeClientError.undecodableResponse(
                request: request, type: String(describing: T.self), problem: describeDecodingError(error),
                excerpt: KubeAPIError.excerpt(of: body) ?? "(empty)")
        }
    }

    /// A request body: the object as compact JSON (FastJSON's encoder writes what Foundation's
    /// does, without building a tree of boxes first; it was most of the cost of every write).
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        try FastJSONEncoder().encode(value)
    }

    /// Names the field a decoding error is about (`spec.template.spec.containers[0].name: missing`).
    static func describeDecodingError(_ error: Error) -> String {
        DecodingErrorDescription.text(for: error)
    }

    // MARK: - Checks

    func requireNamespace(_ gvr: GroupVersionResource, _ namespace: String?) throws -> String? {
        if gvr.namespaced {
            guard let namespace, !namespace.isEmpty else {
                throw KubeClientError.invalidRequest(
                    "\(gvr.resource) are namespaced: pass a namespace (for example \"default\")")
            }
            return namespace
        }
        return nil
    }

    func requireName(_ name: String?, _ gvr: GroupVersionResource) throws -> String {
        guard let name, !name.isEmpty else {
            throw KubeClientError.invalidRequest("the \(gvr.resource) object has no metadata.name; set one")
        }
        return name
    }
}
