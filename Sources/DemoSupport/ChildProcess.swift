import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ProcessSpawn
import Synchronization

/// Runs a program to completion on a thread of its own, so waiting for it never blocks Swift's
/// cooperative thread pool (an in-process server, such as LocalCluster answering that very
/// program, keeps running).
public enum ChildProcess {
    /// What the program did.
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `arguments[0]` (looked up on PATH) with the rest as its arguments.
    public static func run(_ arguments: [String], stdin: String? = nil,
                           environment: [String: String] = [:]) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do {
                    continuation.resume(returning: try runBlocking(arguments, stdin: stdin, environment: environment))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    private static func runBlocking(_ arguments: [String], stdin: String?, environment: [String: String]) throws -> Output {
        // posix_spawn rather than Foundation's Process: Process.run crashed (a memmove past its
        // buffer) twice under the full test suite's load, with many processes spawned at once.
        var input: [Int32] = [-1, -1], output: [Int32] = [-1, -1], errors: [Int32] = [-1, -1]
        _ = ignoreBrokenPipes
        guard makePipe(&input), makePipe(&output), makePipe(&errors) else {
            throw DemoError("cannot create pipes for \(arguments.first ?? "a program"): \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 clears close-on-exec on 0, 1 and 2; then every other descriptor is closed, since
        // SwiftNIO opens its sockets without close-on-exec and a child must not hold a listener.
        posix_spawn_file_actions_adddup2(&actions, input[0], 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errors[1], 2)
        InheritedDescriptors.closeFromThree(&actions)
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        var argv: [UnsafeMutablePointer<CChar>?] = (["/usr/bin/env"] + arguments).map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/usr/bin/env", &actions, nil, &argv, &envp)
        for descriptor in [input[0], output[1], errors[1]] { close(descriptor) }
        guard spawned == 0 else {
            for descriptor in [input[1], output[0], errors[0]] { close(descriptor) }
            throw DemoError("cannot start \(arguments.first ?? "a program"): \(String(cString: strerror(spawned)))")
        }
        // Drain stderr on another thread so a chatty program cannot fill the pipe and stall.
        let errorText = ThreadResult<Data>()
        let errorEnd = errors[0]
        Thread.detachNewThread { errorText.set(readAll(errorEnd)) }
        if let stdin { writeAll(Array(stdin.utf8), to: input[1]) }
        close(input[1])
        let outData = readAll(output[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let errorData = errorText.wait() ?? Data()
        return Output(status: WaitStatus.exitCode(status), stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errorData, as: UTF8.self))
    }

    /// A write to a program that exited before reading its input fails with EPIPE instead of
    /// killing this process.
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    /// A pipe whose ends close at exec (`pipe2` with `O_CLOEXEC`, looked up since Swift's Glibc
    /// module does not declare it; else `pipe` and `fcntl`).
    private static func makePipe(_ ends: inout [Int32]) -> Bool {
        typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
        if let symbol = dlsym(nil, "pipe2") {
            return ends.withUnsafeMutableBufferPointer { unsafeBitCast(symbol, to: Pipe2.self)($0.baseAddress!, O_CLOEXEC) } == 0  // baseAddress is non-nil: the array holds two elements
        }
        guard pipe(&ends) == 0 else { return false }
        for descriptor in ends { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        return true
    }

    /// Reads `descriptor` to its end and closes it.
    private static func readAll(_ descriptor: Int32) -> Data {
        defer { close(descriptor) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 { data.append(contentsOf: buffer[0..<count]); continue }
            if count < 0, errno == EINTR { continue }
            return data
        }
    }

    /// Writes all of `bytes` (a program that exits without reading its input ends the write).
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written > 0 { offset += written; continue }
            if written < 0, errno == EINTR { continue }
            return
        }
    }
}

/// A value produced on one thread and awaited (blocking) on another.
private final class ThreadResult<Value: Sendable>: Sendable {
    private let ready = DispatchSemaphore(value: 0)
    private let box = Mutex<Value?>(nil)

    func set(_ value: Value) {
        box.withLock { $0 = value }
        ready.signal()
    }

    func wait() -> Value? {
        ready.wait()
        return box.withLock { $0 }
    }
}
