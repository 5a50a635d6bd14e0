import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("TestSupport: what every test target builds on")
struct TestSupportTests {
    /// Connects to 127.0.0.1:`port`; returns errno of the failed connect, or 0 when it connected.
    static func connectErrno(port: Int) -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0 ? 0 : errno
    }

    @Test("a spawned program inherits no descriptor of the test process beyond standard input, output and error")
    func noInheritedDescriptors() async throws {
        let directory = try TempDir()
        defer { directory.remove() }
        try await withServer({ _, _ in .body(Data()) }) { _ in
            // ls lists its own descriptors: 0, 1, 2 and the one it reads the directory with.
            let child = try SpawnedProcess.start(["/bin/ls", "-1", "/proc/self/fd"], logsIn: directory.url)
            #expect(try await child.wait() == 0, "\(child.stderr)")
            let descriptors = child.stdout.split(separator: "\n").compactMap { Int($0) }
            #expect(descriptors.count == 4 && descriptors.allSatisfy { $0 <= 3 }, "\(descriptors)")
        }
    }

    @Test("a spawned program gets the given environment on top of this one's, and standard error in its own file")
    func environmentAndSeparateStandardError() async throws {
        let directory = try TempDir()
        defer { directory.remove() }
        let child = try SpawnedProcess.start(["/bin/sh", "-c", "echo \"$ADDED $PATH\"; echo oops >&2; exit 3"],
                                             output: directory.file("out"), errors: directory.file("err"),
                                             environment: ["ADDED": "yes"])
        #expect(try await child.wait() == 3)
        #expect(child.stdout == "yes \(ProcessInfo.processInfo.environment["PATH"] ?? "")\n")
        #expect(child.stderr == "oops\n")
    }

    @Test("a TempDir is a new empty directory per test; what is written lists under it; remove() deletes it all")
    func temporaryDirectory() throws {
        let first = try TempDir(), second = try TempDir()
        defer { second.remove() }
        #expect(first.path != second.path)
        #expect(first.listing().isEmpty)
        try FileManager.default.createDirectory(at: first.file("sub"), withIntermediateDirectories: true)
        let text = try first.write("sub/b.txt", "text")
        try first.write("a.bin", Data([1, 2]))
        #expect(first.listing() == ["a.bin", "sub", "sub/b.txt"])
        #expect(first.listing("sub") == ["b.txt"])
        #expect(try String(contentsOf: text, encoding: .utf8) == "text")
        first.remove()
        #expect(!FileManager.default.fileExists(atPath: first.path))
        #expect(FileManager.default.fileExists(atPath: second.path))
    }

    @Test("after stop() the port refuses connections, also while a spawned program runs")
    func stopClosesTheListener() async throws {
        let directory = try TempDir()
        defer { directory.remove() }
        for server in [try await LoopbackHTTPServer.start(route: { _, _ in .body(Data()) }),
                       try await LoopbackHTTPServer.start(handler: { _, writer in try await writer.respond(status: 204) })] {
            // The child starts while the server listens (a connection racing stop() could meet SwiftNIO's
            // accept path half-built, so none is made before).
            let sleeper = try SpawnedProcess.start(["/bin/sleep", "30"], logsIn: directory.url)
            await server.stop()
            #expect(Self.connectErrno(port: server.port) == ECONNREFUSED)
            await sleeper.terminate()
        }
    }

    @Test("eventually returns once the condition holds, and names what did not happen in time")
    func eventuallyNamesTheWait() async throws {
        var polls = 0
        try await eventually("the third poll", every: .milliseconds(1)) {
            polls += 1
            return polls == 3
        }
        #expect(polls == 3)
        let error = await #expect(throws: WaitTimedOut.self) {
            try await eventually("never", timeout: .milliseconds(50), every: .milliseconds(10)) { false }
        }
        #expect(error?.description.hasPrefix("not never within") == true)
    }

    @Test("a probe's error ends the wait at once, unless errors are retried; then the last one is named")
    func eventuallyErrors() async throws {
        struct Flaky: Error {}
        var calls = 0
        await #expect(throws: Flaky.self) {
            try await eventually("no error", timeout: .seconds(5)) {
                calls += 1
                throw Flaky()
            }
        }
        #expect(calls == 1)
        let error = await #expect(throws: WaitTimedOut.self) {
            try await eventually("retried", timeout: .milliseconds(50), every: .milliseconds(10), retryingErrors: true) {
                throw Flaky()
            }
        }
        #expect(error?.description.contains("last error: Flaky()") == true)
    }
}
