import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM and SIGINT as an async sequence: the first asks for a graceful shutdown; the caller
/// decides what a second one means (usually: exit at once).
public enum ShutdownSignals {
    /// Starts listening for the rest of the process's life; the default actions of SIGTERM and
    /// SIGINT are replaced.
    public static func stream() -> AsyncStream<Int32> {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            // The handler keeps its source alive: signals are watched until the process exits.
            source.setEventHandler { [source] in
                _ = source
                continuation.yield(signalNumber)
            }
            source.resume()
        }
        return stream
    }
}
