import Foundation
import KubeModel
import Logging

/// Routes HTTP requests to discovery, OpenAPI and resource handlers and encodes the answers.
struct APIHandler: RequestHandling {
    let store: ClusterStore
    let auth: AuthGate
    let bookmarkInterval: Duration
    let watchChunkSizes: ClosedRange<Int>?
    let expiredWatchAsHTTPStatus: Bool
    let logger: Logger

    func handle(_ request: ServerRequest) async -> ServerResponse {
        let segments = request.path.split(separator: "/").map(String.init)
        let open = ["healthz", "livez", "readyz", "version"].contains(segments.first ?? "")
        if !open, !(await auth.allows(authorization: request.headers["authorization"])) {
            return Self.error(APIError.unauthorized)
        }
        do {
            var request = request
            request.restrictedUser = await auth.restrictedUser(authorization: request.headers["authorization"])
            return try await route(request, segments: segments)
        } catch {
            if error.code >= 500 { logger.error("\(request.method) \(request.path): \(error.message)") }
            return Self.error(error)
        }
    }

    private func route(_ request: ServerRequest, segments: [String]) async throws(APIError) -> ServerResponse {
        switch segments.first {
        case "healthz", "livez", "readyz":
            return .full(status: 200, contentType: "text/plain; charset=utf-8", body: Data("ok".utf8))
        case "version":
            return Self.json(Discovery.version())
        case "openapi":
            return try await openAPI(Array(segments.dropFirst()))
        case "api":
            if segments.count == 1 { return Self.json(Discovery.apiVersions(serverAddress: request.headers["host"] ?? "127.0.0.1")) }
            if segments.count == 2 {
                guard let list = Discovery.resourceList(await store.registrySnapshot(), group: "", version: segments[1])
                else { throw Self.notFoundPath }
                return Self.json(list)
            }
            return try await resource(request, group: "", version: segments[1], rest: Array(segments.dropFirst(2)))
        case "apis":
            let registry = await store.registrySnapshot()
            if segments.count == 1 { return Self.json(Discovery.groupList(registry)) }
            if segments.count == 2 {
                guard let entry = registry.groupVersions.first(where: { $0.group == segments[1] }) else {
                    throw Self.notFoundPath
                }
                return Self.json(Discovery.group(entry.group, entry.versions))
            }
            if segments.count == 3 {
                guard let list = Discovery.resourceList(registry, group: segments[1], version: segments[2]) else {
                    throw Self.notFoundPath
                }
                return Self.json(list)
            }
            return try await resource(request, group: segments[1], version: segments[2], rest: Array(segments.dropFirst(3)))
        default:
            throw Self.notFoundPath
        }
    }

    private func openAPI(_ segments: [String]) async throws(APIError) -> ServerResponse {
        let registry = await store.registrySnapshot()
        guard segments.first == "v3" else { throw Self.notFoundPath }
        if segments.count == 1 { return Self.json(OpenAPI.root(registry)) }
        let rest = Array(segments.dropFirst())
        let document: JSONValue?
        if rest.count == 2, rest[0] == "api" {
            document = OpenAPI.document(registry, group: "", version: rest[1])
        } else if rest.count == 3, rest[0] == "apis" {
            document = OpenAPI.document(registry, group: rest[1], version: rest[2])
        } else {
            document = nil
        }
        guard let document else { throw Self.notFoundPath }
        return Self.json(document)
    }

    static let notFoundPath = APIError(code: 404, reason: "NotFound",
                                       message: "the server could not find the requested resource")

    // MARK: - Encoding

    static func json(_ value: JSONValue, status: Int = 200, headers: [(name: String, value: String)] = []) -> ServerResponse {
        let body = (try? value.jsonData()) ?? Data("{}".utf8)
        return .full(status: status, contentType: "application/json", body: body, headers: headers)
    }

    static func error(_ error: APIError) -> ServerResponse {
        json(error.status, status: error.code)
    }
}
