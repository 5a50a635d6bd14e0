import FastJSON
import Foundation
import KubeModel

/// Request-body encoding: the operator's `FastJSONEncoder` (what `RESTClient` sends) against
/// Foundation's `JSONEncoder` (`.withoutEscapingSlashes`) on the same Deployments (about 3 KB of
/// JSON each, as rendered). Before timing, both outputs are decoded and checked to be the same
/// Deployment. `WATCH_BENCH_EVENTS` sets the number of objects (10,000); `WATCH_BENCH_ROUNDS` the
/// rounds, of which the best counts (3).
enum RequestEncodingBenchmark {
    static let benchmark = Benchmark(name: "request-encoding") {
        let environment = ProcessInfo.processInfo.environment
        let count = environment["WATCH_BENCH_EVENTS"].flatMap(Int.init) ?? 10_000
        let rounds = environment["WATCH_BENCH_ROUNDS"].flatMap(Int.init) ?? 3
        let deployments = (0..<count).map(WatchDecodingSample.deployment(index:))
        let foundation = JSONEncoder()
        foundation.outputFormatting = [.withoutEscapingSlashes]
        var bytes = 0
        for deployment in deployments {
            let fast = try FastJSONEncoder().encode(deployment)
            let reference = try foundation.encode(deployment)
            guard try JSONDecoder().decode(Deployment.self, from: fast) == deployment,
                  try JSONDecoder().decode(Deployment.self, from: reference) == deployment else {
                throw BenchmarkFailure("FastJSONEncoder wrote another Deployment than JSONEncoder")
            }
            bytes += fast.count
        }
        print("  FastJSONEncoder's bodies decode to the same Deployments as JSONEncoder's, all \(count)")
        let comparison = DecodingComparison(label: "Deployment request bodies", objects: count, bytes: bytes,
                                            rounds: rounds)
        try await comparison.run(
            candidate: ("FastJSONEncoder", {
                let encoder = FastJSONEncoder()
                for deployment in deployments { _ = try encoder.encode(deployment) }
            }),
            baseline: ("JSONEncoder", {
                for deployment in deployments { _ = try foundation.encode(deployment) }
            }))
    }
}
