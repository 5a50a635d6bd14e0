import Foundation
import ModelFetch

/// Issue 4's benchmark: verify a 1 GiB archive served on loopback with `model-operator fetch
/// --no-extract` (download + streaming SHA-256, nothing kept) against `curl -s URL | sha256sum`
/// and against `sha256sum FILE`, in the same run, and report the fetch's peak memory.
/// Issue 10's figure: the peak memory of the init container's whole job, the download written
/// into a cache on disk (loopback serves faster than the disk takes it, so back-pressure must
/// hold the body) and then unpacked, against its target of 64 MiB for a 4 GiB archive.
/// `BENCH_FETCH_MIB` sets the archive's size (4096 for issue 10's case); `BENCH_FETCH_RUNS` sets
/// how many runs of each command are timed (the best is reported; memory is the worst run's).
enum FetchBenchmark {
    static let benchmark = Benchmark(name: "fetch: verify an archive on loopback") {
        let mebibytes = Int(ProcessInfo.processInfo.environment["BENCH_FETCH_MIB"] ?? "") ?? 1024
        let runs = max(1, Int(ProcessInfo.processInfo.environment["BENCH_FETCH_RUNS"] ?? "") ?? 2)
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("model-operator").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchmarkFailure("\(binary) is missing: build the model-operator product first")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fetch-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        let archive = directory + "/model.tar"
        let digest = try BenchmarkArchive.write(to: archive, mebibytes: mebibytes)
        let size = Double(mebibytes)
        let server = try LoopbackFileServer(directory: directory)
        defer { server.stop() }
        let url = server.url("/model.tar")
        print("archive: \(mebibytes) MiB tar (seeded pattern), served by python3 http.server at \(url); best of \(runs) runs")

        let file = try best(runs) { try MeasuredRun.run(["/usr/bin/env", "sha256sum", archive]) }
        let pipe = try best(runs) {
            try MeasuredRun.run(["/bin/sh", "-c", "curl -s \(url) | sha256sum"])
        }
        let fetch = try best(runs) {
            try MeasuredRun.run([binary, "fetch", "--url", url, "--sha256", digest.hex, "--no-extract",
                                 "--max-size", "\(mebibytes + 1)Mi", "--termination-message-path", directory + "/termination-log"])
        }
        var cachedRuns: [MeasuredRun] = []
        for run in 0..<runs {
            let cache = directory + "/cache-\(run)", dest = directory + "/dest-\(run)"
            let measured = try MeasuredRun.run([binary, "fetch", "--url", url, "--sha256", digest.hex,
                                                "--cache-dir", cache, "--dest", dest,
                                                "--max-size", "\(mebibytes + 1)Mi", "--termination-message-path", directory + "/termination-log"])
            guard measured.status == 0 else { throw BenchmarkFailure("fetch into the cache exited with status \(measured.status)") }
            cachedRuns.append(measured)
            try? FileManager.default.removeItem(atPath: cache)
            try? FileManager.default.removeItem(atPath: dest)
        }
        guard let cached = cachedRuns.min(by: { $0.seconds < $1.seconds }) else { throw BenchmarkFailure("no run") }
        let worstMemory = cachedRuns.map(\.peakMemory).max() ?? 0
        report("sha256sum FILE", file, size)
        report("curl -s URL | sha256sum", pipe, size)
        report("model-operator fetch --no-extract", fetch, size)
        print(String(format: "ratio fetch / (curl | sha256sum) throughput: %.2fx", pipe.seconds / fetch.seconds))
        print(String(format: "ratio fetch / (sha256sum FILE) throughput: %.2fx", file.seconds / fetch.seconds))
        report("model-operator fetch (cache + unpack)", cached, size)
        print(String(format: "fetch peak memory (max RSS): %.1f MiB for a %d MiB archive", Double(fetch.peakMemory) / 1048576, mebibytes))
        let target = 64.0
        let worst = Double(worstMemory) / 1048576
        let verdict = worst <= target ? "met" : "NOT met"
        print(String(format: "fetch into cache + unpack, peak memory (max RSS, worst of %d runs): %.1f MiB for a %d MiB archive",
                     runs, worst, mebibytes) + " (target <= \(Int(target)) MiB: \(verdict))")
    }

    /// The fastest of `runs` successful runs.
    static func best(_ runs: Int, _ body: () throws -> MeasuredRun) throws -> MeasuredRun {
        var fastest: MeasuredRun?
        for _ in 0..<runs {
            let run = try body()
            guard run.status == 0 else { throw BenchmarkFailure("a measured command exited with status \(run.status)") }
            if fastest.map({ run.seconds < $0.seconds }) ?? true { fastest = run }
        }
        guard let fastest else { throw BenchmarkFailure("no run") }
        return fastest
    }

    static func report(_ label: String, _ run: MeasuredRun, _ mebibytes: Double) {
        let padded = label.padding(toLength: 40, withPad: " ", startingAt: 0)
        print(String(format: "%@ %7.3f s  %8.1f MiB/s", padded, run.seconds, mebibytes / run.seconds))
    }
}
