import Foundation

/// `perf record -g` attached to a running process until ``stop()``, for a CPU profile of the
/// operator during a measured phase. Needs `perf` on PATH (Debian: `apt-get install linux-perf`).
final class PerfRecorder: Sendable {
    private let process: Process
    let output: String

    init(pid: Int32, output: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["perf", "record", "-g", "--quiet", "-o", output, "-p", String(pid)]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        self.process = process
        self.output = output
    }

    /// Sends SIGINT (perf writes its file and exits) and waits on a thread of its own.
    func stop() async {
        process.interrupt()
        let process = self.process
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                process.waitUntilExit()
                continuation.resume()
            }
        }
    }
}
