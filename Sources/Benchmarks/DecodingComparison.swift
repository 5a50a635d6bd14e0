import Foundation

/// Times two ways of decoding (or encoding) the same objects in alternating rounds and keeps each
/// one's best round.
/// Each round is timed in wall time and in the process's CPU time; the ratio is taken from CPU
/// time, which other processes on a shared machine disturb far less than wall time (the process
/// runs nothing else meanwhile).
struct DecodingComparison {
    let label: String
    /// Objects decoded per round, and the bytes they came from.
    let objects: Int
    let bytes: Int
    let rounds: Int

    private struct Timing {
        var wall = Double.infinity
        var cpu = Double.infinity
    }

    /// Runs `candidate` and `baseline` `rounds` times each, alternating, after one warm-up of each;
    /// prints both figures (objects/s, MB/s) and the ratio of throughputs.
    func run(candidate: (name: String, work: () async throws -> Void),
             baseline: (name: String, work: () throws -> Void)) async throws {
        try await candidate.work()
        try baseline.work()
        var best = (candidate: Timing(), baseline: Timing())
        for _ in 0..<max(rounds, 1) {
            var wall = ContinuousClock.now
            var cpu = Self.cpuSeconds()
            try await candidate.work()
            best.candidate.wall = min(best.candidate.wall, Self.seconds(ContinuousClock.now - wall))
            best.candidate.cpu = min(best.candidate.cpu, Self.cpuSeconds() - cpu)
            wall = ContinuousClock.now
            cpu = Self.cpuSeconds()
            try baseline.work()
            best.baseline.wall = min(best.baseline.wall, Self.seconds(ContinuousClock.now - wall))
            best.baseline.cpu = min(best.baseline.cpu, Self.cpuSeconds() - cpu)
        }
        print("  \(label): \(objects) objects, \(bytes / max(objects, 1)) bytes each, best of \(max(rounds, 1)) rounds")
        line(candidate.name, best.candidate)
        line(baseline.name, best.baseline)
        print(String(format: "    ratio %@ / %@ throughput: %.2f (CPU time; %.2f in wall time)", candidate.name,
                     baseline.name, best.baseline.cpu / best.candidate.cpu, best.baseline.wall / best.candidate.wall))
    }

    private func line(_ name: String, _ timing: Timing) {
        print(String(format: "    %@: %.0f objects/s, %.1f MB/s of CPU time (%.3f s CPU, %.3f s wall)", name,
                     Double(objects) / timing.cpu, Double(bytes) / 1_000_000 / timing.cpu, timing.cpu, timing.wall))
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// The CPU time this process has used (all threads), with nanosecond resolution.
    private static func cpuSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
