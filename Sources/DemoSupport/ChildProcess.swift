import Foundation
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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        // Drain stderr on another thread so a chatty program cannot fill the pipe and stall.
        let errorText = ThreadResult<Data>()
        Thread.detachNewThread { errorText.set(err.fileHandleForReading.readDataToEndOfFile()) }
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errorText.wait() ?? Data(), as: UTF8.self))
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
