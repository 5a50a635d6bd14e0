/// What `waitpid` reports, read as a shell does.
public enum WaitStatus {
    /// The exit code of a child that exited, or 128 + the signal that ended it.
    public static func exitCode(_ status: Int32) -> Int32 {
        (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
