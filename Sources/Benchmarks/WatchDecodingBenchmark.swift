import Foundation
import KubeClient
import KubeModel

/// Watch and list decoding: the operator's own paths against Foundation's JSONDecoder on the same bytes.
///
/// - watch: Deployment MODIFIED events (about 3 KB each) through `WatchStreamDecoder`, the decoder
///   `WatchDriver` runs (chunked bytes, line splitting, decoding), against JSONDecoder decoding the
///   same lines already split;
/// - list: pages of 500 Deployments through `RESTClient.list` (the informer's list call) over a
///   transport that answers from memory, against JSONDecoder decoding the same page bodies.
///
/// Before timing, each path's values are checked against JSONDecoder's on the same bytes.
/// `WATCH_BENCH_EVENTS` sets the number of events and of listed objects (10,000);
/// `WATCH_BENCH_ROUNDS` the rounds, of which the best counts (3).
enum WatchDecodingBenchmark {
    static let benchmark = Benchmark(name: "watch-decoding") {
        let environment = ProcessInfo.processInfo.environment
        let count = environment["WATCH_BENCH_EVENTS"].flatMap(Int.init) ?? 10_000
        let rounds = environment["WATCH_BENCH_ROUNDS"].flatMap(Int.init) ?? 3
        try await compareWatch(count: count, rounds: rounds)
        try await compareList(count: count, rounds: rounds)
    }

    private static func compareWatch(count: Int, rounds: Int) async throws {
        let lines = try (0..<count).map { try WatchDecodingSample.eventLine(index: $0) }
        let stream = Data(lines.map { $0 + [0x0A] }.joined())
        let chunks = chunked(stream, sizes: [16_384, 1_460, 8_192, 333, 65_536])
        let expected = try lines.map { line -> Deployment? in
            guard case .modified(let deployment) = try JSONDecoder().decode(WatchEnvelope<Deployment>.self, from: line) else {
                return nil
            }
            return deployment
        }
        guard try decodeStream(chunks) == expected else {
            throw BenchmarkFailure("the watch path decoded other values than JSONDecoder")
        }
        print("  watch path values identical to JSONDecoder's for all \(count) events")
        let comparison = DecodingComparison(label: "watch events (\(chunks.count) chunks)", objects: count,
                                            bytes: stream.count, rounds: rounds)
        try await comparison.run(
            candidate: ("watch path", {
                let decoded = try decodeStream(chunks).count
                guard decoded == count else { throw BenchmarkFailure("decoded \(decoded) of \(count) events") }
            }),
            baseline: ("JSONDecoder", {
                let decoder = JSONDecoder()
                for line in lines { _ = try decoder.decode(WatchEnvelope<Deployment>.self, from: line) }
            }))
    }

    private static func compareList(count: Int, rounds: Int) async throws {
        let pageSize = 500
        let pages = max(count / pageSize, 1)
        let body = try WatchDecodingSample.listBody(count: pageSize)
        let client = RESTClient(transport: MemoryTransport(body: body))
        guard try await client.list(Deployment.self, namespace: "models")
                == (try JSONDecoder().decode(KubeList<Deployment>.self, from: body)) else {
            throw BenchmarkFailure("the list path decoded other values than JSONDecoder")
        }
        print("  list path values identical to JSONDecoder's for all \(pageSize) items of a page")
        let comparison = DecodingComparison(label: "list pages of \(pageSize)", objects: pages * pageSize,
                                            bytes: pages * body.count, rounds: rounds)
        try await comparison.run(
            candidate: ("list path", {
                for _ in 0..<pages {
                    let list = try await client.list(Deployment.self, namespace: "models")
                    guard list.items.count == pageSize else { throw BenchmarkFailure("listed \(list.items.count) of \(pageSize)") }
                }
            }),
            baseline: ("JSONDecoder", {
                let decoder = JSONDecoder()
                for _ in 0..<pages { _ = try decoder.decode(KubeList<Deployment>.self, from: body) }
            }))
    }

    /// The Deployments of the MODIFIED events (nil for other events), through the watch path.
    private static func decodeStream(_ chunks: [Data]) throws -> [Deployment?] {
        var decoder = WatchStreamDecoder<Deployment>()
        var deployments: [Deployment?] = []
        for chunk in chunks {
            for event in try decoder.decode(chunk) {
                if case .modified(let deployment) = event { deployments.append(deployment) } else { deployments.append(nil) }
            }
        }
        return deployments + (try decoder.finish().map { _ in nil })
    }

    private static func chunked(_ data: Data, sizes: [Int]) -> [Data] {
        var chunks: [Data] = []
        var index = data.startIndex
        var turn = 0
        while index < data.endIndex {
            let end = data.index(index, offsetBy: sizes[turn % sizes.count], limitedBy: data.endIndex) ?? data.endIndex
            chunks.append(Data(data[index..<end]))
            index = end
            turn += 1
        }
        return chunks
    }
}

/// A transport that answers every request with the same list body, so the list path is timed
/// without a network.
private struct MemoryTransport: HTTPTransport {
    let body: Data

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        HTTPResponse(status: 200, headers: ["content-type": "application/json"], body: body)
    }

    func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        throw BenchmarkFailure("the list benchmark does not watch")
    }
}
