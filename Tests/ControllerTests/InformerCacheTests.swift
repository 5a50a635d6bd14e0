import Foundation
import KubeClient
import KubeModel
import Testing
@testable import Controller

/// Answers each request by method and path from a table (404 `Status` for anything else) and
/// keeps the requests, so a test sees what `APIClient` sent.
actor TableServer: HTTPTransport {
    private let table: [String: (Int, JSONValue)]
    private(set) var requests: [String] = []

    init(_ table: [String: (Int, JSONValue)]) {
        self.table = table
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let line = "\(request.method) \(request.path)"
        requests.append(line)
        let (status, body) = table[line] ?? (404, ["kind": "Status", "code": 404, "reason": "NotFound", "message": "not found"])
        return HTTPResponse(status: status, body: try body.jsonData())
    }

    func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        try await Task.sleep(for: .seconds(3600))
        throw CancellationError()
    }
}

/// `InformerCache` reads what its informers hold, and `APIClient` puts its writes there at once.
@Suite struct InformerCacheTests {
    @Test("a write through APIClient is in the cache at once, before any watch event")
    func writesReachTheCache() async throws {
        let server = TableServer(["PUT /api/v1/namespaces/default/configmaps/a": (200, configMap("a", "9", data: "mine"))])
        let client = RESTClient(transport: server)
        let informer = Informer<JSONValue>(client: client, gvr: .configMaps)
        let cache = await InformerCache().adding(informer)
        let api = APIClient(client: client, cache: cache)
        #expect(try await cache.get(.configMaps, namespace: "default", name: "a") == nil)
        _ = try await api.update(configMap("a", "8", data: "mine"), in: .configMaps)
        #expect(try await cache.get(.configMaps, namespace: "default", name: "a")?["data"]?["value"] == "mine")
        #expect(try await cache.list(.configMaps, namespace: "default").count == 1)
        #expect(await server.requests == ["PUT /api/v1/namespaces/default/configmaps/a"])
    }

    @Test("an informer that keeps a projection takes whole written objects through it")
    func writesReachAProjectingCache() async throws {
        let server = TableServer(["POST /apis/apps/v1/namespaces/apps/deployments": (201, try JSONValue(encoding: owned))])
        let client = RESTClient(transport: server)
        let informer = Informer<DeploymentName>(client: client)
        let cache = await InformerCache().adding(informer, recordingWritesOf: Deployment.self, as: DeploymentName.init)
        _ = try await APIClient(client: client, cache: cache).create(owned)
        #expect(try await cache.get(DeploymentName.self, namespace: "apps", name: "web")?.metadata.uid == "d1")
    }

    @Test("reading what no informer here caches, or an index nobody added, is an error that names it")
    func unregisteredReadsThrow() async throws {
        let client = RESTClient(transport: TableServer([:]))
        let cache = await InformerCache().adding(Informer<Deployment>(client: client))
        let unknown = await #expect(throws: InformerCache.NotCached.self) {
            _ = try await cache.get(.nodes, namespace: nil, name: "n1")
        }
        #expect(unknown?.description.contains("nodes") == true)
        await #expect(throws: InformerCache.NotCached.self) {
            _ = try await cache.list(Deployment.self, index: .controllerUID, value: "u")
        }
        #expect(try await cache.list(Deployment.self).isEmpty)
    }

    @Test("an index added with the informer answers indexed reads")
    func indexedReads() async throws {
        let server = TableServer(["POST /apis/apps/v1/namespaces/apps/deployments": (201, try JSONValue(encoding: owned))])
        let client = RESTClient(transport: server)
        let informer = Informer<Deployment>(client: client)
        let cache = await InformerCache().adding(informer, indexes: [.controllerUID])
        _ = try await APIClient(client: client, cache: cache).create(owned)
        #expect(try await cache.list(Deployment.self, index: .controllerUID, value: "owner-1").map(\.key) == ["apps/web"])
        #expect(try await cache.list(Deployment.self, index: .controllerUID, value: "owner-2").isEmpty)
    }

    @Test("APIClient reads a missing object as nil and passes other errors on")
    func liveReads() async throws {
        let forbidden: JSONValue = ["kind": "Status", "code": 403, "reason": "Forbidden", "message": "no"]
        let server = TableServer(["GET /api/v1/namespaces/s/secrets/locked": (403, forbidden)])
        let api = APIClient(client: RESTClient(transport: server))
        #expect(try await api.get(.secrets, namespace: "s", name: "missing") == nil)
        let error = await #expect(throws: KubeAPIError.self) { _ = try await api.get(.secrets, namespace: "s", name: "locked") }
        #expect(error?.isForbidden == true)
    }

    private var owned: Deployment {
        Deployment(metadata: ObjectMeta(name: "web", namespace: "apps", uid: "d1", resourceVersion: "3",
                                        ownerReferences: [OwnerReference(apiVersion: "v1", kind: "Thing", name: "t",
                                                                         uid: "owner-1", controller: true)]))
    }
}

/// A projection of a Deployment (its metadata and replicas), as a cache might keep it.
private struct DeploymentName: KubeObject {
    static var gvr: GroupVersionResource { Deployment.gvr }
    static var gvk: GroupVersionKind { Deployment.gvk }
    var apiVersion: String?
    var kind: String?
    var metadata: ObjectMeta
    var replicas: Int?

    init(_ deployment: Deployment) {
        metadata = deployment.metadata
        replicas = deployment.spec?.replicas
    }

    init(from decoder: any Decoder) throws { self.init(try Deployment(from: decoder)) }
    func encode(to encoder: any Encoder) throws { try Deployment(metadata: metadata).encode(to: encoder) }
}
