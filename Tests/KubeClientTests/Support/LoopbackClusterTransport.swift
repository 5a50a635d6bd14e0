import CurlHTTP
import Foundation
@testable import KubeClient
import LocalCluster

/// The real HTTP path for integration tests: libcurl (`CurlEngine`) to a LocalCluster on 127.0.0.1.
/// Optionally re-cuts every streamed body into random 1...17-byte chunks (seeded), can cut all open
/// streams, and can hold new watch requests until released.
actor LoopbackClusterTransport: HTTPTransport {
    private let baseURL: String
    private let engine: CurlEngine
    private var random: SplitMix64?
    private var openStreams: [UUID: (AsyncThrowingStream<Data, Error>.Continuation, Task<Void, Never>)] = [:]
    private var holdingWatches = false
    private(set) var requests: [HTTPRequest] = []

    init(cluster: LocalCluster, engine: CurlEngine, rechunkSeed: UInt64? = nil) {
        self.baseURL = "http://127.0.0.1:\(cluster.port)"
        self.engine = engine
        self.random = rechunkSeed.map(SplitMix64.init(seed:))
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        requests.append(request)
        let response = try await engine.send(curlRequest(request))
        return HTTPResponse(status: response.head.status, headers: response.head.headers, body: response.body)
    }

    func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        requests.append(request)
        while holdingWatches {
            try await Task.sleep(for: .milliseconds(10))
        }
        let response = try await engine.stream(curlRequest(request))
        let id = UUID()
        let (body, continuation) = AsyncThrowingStream<Data, Error>.makeStream()
        let seed = random?.next()
        let pump = Task {
            var chunker = seed.map(SplitMix64.init(seed:))
            do {
                for try await chunk in response.body {
                    guard var generator = chunker else {
                        continuation.yield(chunk)
                        continue
                    }
                    var index = chunk.startIndex
                    while index < chunk.endIndex {
                        let size = Int.random(in: 1...17, using: &generator)
                        let end = chunk.index(index, offsetBy: size, limitedBy: chunk.endIndex) ?? chunk.endIndex
                        continuation.yield(Data(chunk[index..<end]))
                        index = end
                    }
                    chunker = generator
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        openStreams[id] = (continuation, pump)
        continuation.onTermination = { _ in
            pump.cancel()
            Task { await self.forget(id) }
        }
        return HTTPStreamingResponse(status: response.head.status, headers: response.head.headers, body: body)
    }

    /// Breaks every open stream as a dropped connection would.
    func cutStreams() {
        for (continuation, pump) in openStreams.values {
            pump.cancel()
            continuation.finish(throwing: TransportFailure(description: "connection cut by the test"))
        }
        openStreams.removeAll()
    }

    /// While holding, new streams wait before connecting.
    func holdWatches(_ hold: Bool) { holdingWatches = hold }

    var openStreamCount: Int { openStreams.count }

    private func forget(_ id: UUID) { openStreams[id] = nil }

    private func curlRequest(_ request: HTTPRequest) -> CurlRequest {
        CurlRequest(url: baseURL + request.path, method: request.method, headers: request.headers, body: request.body,
                    options: CurlRequestOptions(timeout: request.timeout, proxy: ""))
    }
}

/// Runs `body` against a fresh LocalCluster reached over loopback HTTP, and stops it afterwards.
func withClusterClient<T: Sendable>(
    _ options: LocalClusterOptions = LocalClusterOptions(), rechunkSeed: UInt64? = nil,
    _ body: (LocalCluster, RESTClient, LoopbackClusterTransport) async throws -> T
) async throws -> T {
    let cluster = try await LocalCluster.start(options)
    let engine = CurlEngine()
    let transport = LoopbackClusterTransport(cluster: cluster, engine: engine, rechunkSeed: rechunkSeed)
    do {
        let result = try await body(cluster, RESTClient(transport: transport, requestTimeout: .seconds(30)), transport)
        await transport.cutStreams()
        await cluster.stop()
        return result
    } catch {
        await transport.cutStreams()
        await cluster.stop()
        throw error
    }
}
