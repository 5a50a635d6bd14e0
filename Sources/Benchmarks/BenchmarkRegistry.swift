/// Every benchmark `make bench` runs, in order. Add one line per benchmark.
enum BenchmarkRegistry {
    static let all: [Benchmark] = [
        WatchDecodingBenchmark.benchmark,
        RequestEncodingBenchmark.benchmark,
        InformerStartBenchmark.benchmark,
        PlacementBenchmark.benchmark,
        PlacementPodWatchBenchmark.benchmark,
        FetchBenchmark.benchmark,
        OperatorScaleBenchmark.benchmark,
        RaceBenchmark.benchmark,
        LeaderFailoverBenchmark.benchmark,
        FairnessBenchmark.benchmark,
    ]
}
