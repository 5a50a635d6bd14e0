import ArgumentParser

/// `make bench`: runs the project's benchmarks and prints each figure with its unit.
@main
struct BenchmarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "Benchmarks",
        abstract: "Run model-operator's benchmarks."
    )

    @Option(help: "Run only the benchmarks whose name contains this text.")
    var filter: String?

    func run() async throws {
        for benchmark in BenchmarkRegistry.all where filter.map({ benchmark.name.contains($0) }) ?? true {
            print("== \(benchmark.name)")
            try await benchmark.run()
        }
    }
}

/// One benchmark: a name and the work that prints its figures.
struct Benchmark: Sendable {
    let name: String
    let run: @Sendable () async throws -> Void
}
