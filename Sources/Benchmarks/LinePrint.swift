import Foundation

/// The benchmarks' `print`: each call is written to standard output at once (Swift's `print`
/// buffers whole blocks into a pipe), so `make bench | tee` shows a long run's progress and a run
/// stopped midway keeps the lines it printed.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    let text = items.map { "\($0)" }.joined(separator: separator) + terminator
    FileHandle.standardOutput.write(Data(text.utf8))
}
