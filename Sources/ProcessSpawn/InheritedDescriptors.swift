import Foundation

/// What a spawned program must not inherit: every descriptor from 3 up, closed in the child after
/// its standard streams are set up. SwiftNIO opens its sockets without close-on-exec, and a child
/// that holds a listener keeps accepting connections for a server that stopped.
public enum InheritedDescriptors {
    /// Adds the closing to `actions` (glibc 2.34+'s `posix_spawn_file_actions_addclosefrom_np`,
    /// which Swift's Glibc module does not declare; else each descriptor open now, since glibc
    /// ignores a close of a descriptor that is not open).
    public static func closeFromThree(_ actions: inout posix_spawn_file_actions_t) {
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
            // The symbol is glibc's function of exactly this C signature.
            _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, 3)
            return
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap(Int32.init) where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
    }
}
