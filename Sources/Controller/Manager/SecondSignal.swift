import UnixSignals

/// The second SIGTERM or SIGINT: the first asks for a graceful shutdown (the `ServiceGroup`
/// handles it); a second means "exit at once".
enum SecondSignal {
    /// Returns once two of the signals arrived; returns early (nil) when cancelled.
    static func wait() async -> UnixSignal? {
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        var seen = 0
        for await signal in signals {
            seen += 1
            if seen == 2 { return signal }
        }
        return nil
    }
}

/// The manager ended on a second signal, without waiting for in-flight work.
public struct SecondSignalError: Error, CustomStringConvertible {
    public let signal: String
    public var description: String { "second signal (\(signal)): stopped at once" }
}
