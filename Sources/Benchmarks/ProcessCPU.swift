import Foundation

/// A process's CPU time from /proc/<pid>/stat: user plus system, in seconds (0 when unreadable).
enum ProcessCPU {
    /// `pid` is a number or `self`.
    static func seconds(pid: String) -> Double {
        // The fields after the command name, which is in parentheses and may hold spaces:
        // state is field 3, utime field 14, stime field 15 (proc(5)).
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
