/// Every benchmark `make bench` runs, in order. Add one line per benchmark.
enum BenchmarkRegistry {
    static let all: [Benchmark] = [
        WatchDecodingBenchmark.benchmark,
        PlacementBenchmark.benchmark,
        FetchBenchmark.benchmark,
    ]
}
