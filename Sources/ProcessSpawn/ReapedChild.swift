import Foundation
import Synchronization

/// A started child process reaped by a thread of its own, so waiting for it never blocks Swift's
/// cooperative pool; its exit status is there to poll once it ended.
public final class ReapedChild: Sendable {
    public let pid: pid_t
    private let exitCode = Mutex<Int32?>(nil)

    /// Starts reaping `pid`, a child of this process that nothing else waits for.
    public init(pid: pid_t) {
        self.pid = pid
        Thread.detachNewThread { [self] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 {
                guard errno == EINTR else { return }
            }
            exitCode.withLock { $0 = WaitStatus.exitCode(status) }
        }
    }

    /// The exit status once the process ended: its exit code, or 128 + the signal that ended it.
    public var exitStatus: Int32? { exitCode.withLock { $0 } }
}
