import Foundation
import TestSupport

/// Throwaway certificates made with the `openssl` CLI in a temp directory: a CA, a server
/// certificate for 127.0.0.1 signed by it, a client certificate signed by it, and an unrelated CA.
struct TestPKI {
    let directory: TempDir

    var caFile: String { path("ca.pem") }
    var otherCAFile: String { path("other-ca.pem") }
    var serverCertificateFile: String { path("server.pem") }
    var serverKeyFile: String { path("server.key") }
    var clientCertificateFile: String { path("client.pem") }
    var clientKeyFile: String { path("client.key") }

    func path(_ name: String) -> String { directory.file(name).path }

    func contents(_ name: String) throws -> Data {
        try Data(contentsOf: directory.file(name))
    }

    /// Creates the files in a fresh temp directory; call `remove()` when done.
    static func make() throws -> TestPKI {
        let pki = TestPKI(directory: try TempDir())
        do {
            try pki.makeCA("ca", subject: "/CN=kubeclient-test-ca")
            try pki.makeCA("other-ca", subject: "/CN=kubeclient-other-ca")
            try pki.makeLeaf("server", subject: "/CN=127.0.0.1",
                             extensions: "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
            try pki.makeLeaf("client", subject: "/CN=test-user/O=system:masters",
                             extensions: "extendedKeyUsage=clientAuth\n")
            return pki
        } catch {
            pki.remove()
            throw error
        }
    }

    func remove() { directory.remove() }

    private func makeCA(_ name: String, subject: String) throws {
        try runOpenSSL(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                        "-keyout", path("\(name).key"), "-out", path("\(name).pem"), "-days", "2", "-subj", subject])
    }

    private func makeLeaf(_ name: String, subject: String, extensions: String) throws {
        try Data(extensions.utf8).write(to: directory.file("\(name).ext"))
        try runOpenSSL(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                        "-keyout", path("\(name).key"), "-out", path("\(name).csr"), "-subj", subject])
        try runOpenSSL(["x509", "-req", "-in", path("\(name).csr"), "-CA", caFile, "-CAkey", path("ca.key"),
                        "-CAcreateserial", "-out", path("\(name).pem"), "-days", "2", "-extfile", path("\(name).ext")])
    }

    private func runOpenSSL(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestSetupError("openssl \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `openssl s_server -www` on 127.0.0.1 and an ephemeral port, as a child process.
final class OpenSSLTestServer {
    let port: Int
    private let process: Process

    var baseURL: String { "https://127.0.0.1:\(port)" }

    private init(port: Int, process: Process) {
        self.port = port
        self.process = process
    }

    /// Starts the server with `pki`'s server certificate; with `requireClientCertificate`, clients
    /// must present a certificate signed by `pki`'s CA. Waits until it accepts connections.
    static func start(pki: TestPKI, requireClientCertificate: Bool = false) async throws -> OpenSSLTestServer {
        let log = pki.directory.file("s_server-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = ["openssl", "s_server", "-accept", "127.0.0.1:0", "-cert", pki.serverCertificateFile,
                         "-key", pki.serverKeyFile, "-www"]
        if requireClientCertificate { arguments += ["-Verify", "1", "-CAfile", pki.caFile] }
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let line = output.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT ") }),
               let port = line.split(separator: ":").last.flatMap({ Int($0) }) {
                return OpenSSLTestServer(port: port, process: process)
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        throw TestSetupError("openssl s_server did not start listening")
    }

    /// Kills the server (s_server does not exit on SIGTERM) and reaps it.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

/// Makes a PKI, starts `openssl s_server`, runs `body`, and always cleans both up.
@discardableResult
func withTLSServer<T>(requireClientCertificate: Bool = false,
                      _ body: (TestPKI, OpenSSLTestServer) async throws -> T) async throws -> T {
    let pki = try TestPKI.make()
    defer { pki.remove() }
    let server = try await OpenSSLTestServer.start(pki: pki, requireClientCertificate: requireClientCertificate)
    defer { server.stop() }
    return try await body(pki, server)
}
