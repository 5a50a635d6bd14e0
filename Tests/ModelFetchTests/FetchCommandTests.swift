import Foundation
import ModelFetch
import TestSupport
import Testing

/// Runs the built `model-operator` binary as a child process to its end, its output in files
/// under `directory`.
func runModelOperator(_ arguments: [String], logsIn directory: String) async throws -> (status: Int32, stderr: String) {
    let process = try SpawnedProcess.start([try BuiltExecutable.modelOperator().path] + arguments,
                                           logsIn: URL(fileURLWithPath: directory))
    let status = try await process.wait()
    return (status, process.stderr)
}

@Suite("model-operator fetch as a child process")
struct FetchCommandTests {
    @Test("failures exit non-zero and write <Reason>: <message> to the termination-message file")
    func failures() async throws {
        let good = try sampleArchive()
        let other = try sampleArchive("other")
        let dir = try TempDir()
        defer { dir.remove() }
        try await withServer({ path, _ in path == "/m4.tar.gz" ? .body(other) : .body(Data(), status: 404) }) { server in
            let want = SHA256Hasher.digest(good).hex
            let cases: [(String, String, String)] = [
                (server.url("/m4.tar.gz"), "ChecksumMismatch: sha256 mismatch for version 4 (\(server.url("/m4.tar.gz"))): want \(want), got ", "mismatch"),
                (server.url("/gone.tgz"), "DownloadFailed: download failed for version 4 (\(server.url("/gone.tgz"))): the server answered HTTP 404", "404"),
                ("http://169.254.169.254/latest/meta-data/", "URLNotAllowed: download URL not allowed for version 4", "metadata"),
            ]
            for (url, prefix, label) in cases {
                let message = dir.path + "/termination-\(label)"
                let result = try await runModelOperator(["fetch", "--url", url, "--sha256", want, "--dest", dir.path + "/models",
                                                   "--model", "facialexpression", "--version", "4", "--max-attempts", "1",
                                                   "--termination-message-path", message], logsIn: dir.path)
                #expect(result.status == 1, "\(label): \(result.stderr)")
                let text = try String(contentsOfFile: message, encoding: .utf8)
                #expect(text.hasPrefix(prefix), "\(label): \(text)")
                #expect(result.stderr.contains(text))
            }
            let badDigest = try await runModelOperator(["fetch", "--url", server.url("/x"), "--sha256", "xyz", "--dest", dir.path + "/m",
                                                  "--termination-message-path", dir.path + "/t"], logsIn: dir.path)
            #expect(badDigest.status == 1)
            #expect(try String(contentsOfFile: dir.path + "/t", encoding: .utf8).hasPrefix("InvalidDigest: --sha256: invalid sha256"))
        }
    }

    @Test("success lays out the model; with the server gone, the cache still starts the pod")
    func successAndOffline() async throws {
        let archive = try sampleArchive()
        let dir = try TempDir()
        defer { dir.remove() }
        let want = SHA256Hasher.digest(archive).hex
        let url = try await withServer({ _, _ in .body(archive) }) { server in
            let result = try await runModelOperator(["fetch", "--url", server.url("/m4.tgz"), "--sha256", want, "--dest", dir.path + "/pod1",
                                               "--cache-dir", dir.path + "/cache", "--model", "facialexpression", "--version", "4",
                                               "--termination-message-path", dir.path + "/t1"], logsIn: dir.path)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("downloaded"))
            #expect(FileManager.default.fileExists(atPath: dir.path + "/pod1/facialexpression/4/saved_model.pb"))
            return server.url("/m4.tgz")
        }
        let offline = try await runModelOperator(["fetch", "--url", url, "--sha256", want, "--dest", dir.path + "/pod2",
                                            "--cache-dir", dir.path + "/cache", "--model", "facialexpression", "--version", "4",
                                            "--termination-message-path", dir.path + "/t2"], logsIn: dir.path)
        #expect(offline.status == 0, "\(offline.stderr)")
        #expect(offline.stderr.contains("from the cache"))
        #expect(FileManager.default.fileExists(atPath: dir.path + "/pod2/facialexpression/4/saved_model.pb"))
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/t2"))
    }
}

@Suite("model-operator fetch: deadline, redaction, flags")
struct FetchCommandSecurityTests {
    @Test("credentials in the URL appear neither on stderr nor in the termination message")
    func credentialsRedacted() async throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try await withServer({ _, _ in .body(Data("no".utf8), status: 404) }) { server in
            let url = "http://modeluser:s3cretpass@127.0.0.1:\(server.port)/missing.tgz?token=abc123secret&v=2"
            let result = try await runModelOperator(["fetch", "--url", url, "--sha256", String(repeating: "a", count: 64),
                                               "--dest", dir.path + "/m", "--model", "facial", "--model-version", "4",
                                               "--max-attempts", "1", "--termination-message-path", dir.path + "/t"], logsIn: dir.path)
            #expect(result.status == 1, "\(result.stderr)")
            let text = try String(contentsOfFile: dir.path + "/t", encoding: .utf8)
            for output in [text, result.stderr] {
                #expect(!output.contains("s3cretpass") && !output.contains("abc123secret") && !output.contains("modeluser"), "\(output)")
                #expect(output.contains("http://***@127.0.0.1:\(server.port)/missing.tgz?token=***&v=***"), "\(output)")
            }
            #expect(text.hasPrefix("DownloadFailed: download failed for version 4"))
        }
    }

    @Test("--deadline stops a trickling server with a clear message")
    func deadline() async throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try await withServer({ _, _ in DeadlineTests.trickle }) { server in
            let started = ContinuousClock.now
            let result = try await runModelOperator(["fetch", "--url", server.url("/trickle.tgz"), "--sha256", String(repeating: "a", count: 64),
                                               "--dest", dir.path + "/m", "--deadline", "2s",
                                               "--termination-message-path", dir.path + "/t"], logsIn: dir.path)
            #expect(result.status == 1, "\(result.stderr)")
            let text = try String(contentsOfFile: dir.path + "/t", encoding: .utf8)
            #expect(text.hasPrefix("DownloadFailed: "), "\(text)")
            #expect(text.contains("did not finish within its 2s deadline") && text.contains("--deadline"), "\(text)")
            #expect(ContinuousClock.now - started < .seconds(30), "the whole trickle would take 60 s")
        }
    }

    @Test("--model-version names the version; the old --version spelling still works; --deny-loopback refuses 127.0.0.1")
    func flags() async throws {
        let archive = try sampleArchive()
        let dir = try TempDir()
        defer { dir.remove() }
        let want = SHA256Hasher.digest(archive).hex
        try await withServer({ _, _ in .body(archive) }) { server in
            let result = try await runModelOperator(["fetch", "--url", server.url("/m4.tgz"), "--sha256", want, "--dest", dir.path + "/pod",
                                               "--model", "facialexpression", "--model-version", "4",
                                               "--termination-message-path", dir.path + "/t1"], logsIn: dir.path)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(FileManager.default.fileExists(atPath: dir.path + "/pod/facialexpression/4/saved_model.pb"))

            let refused = try await runModelOperator(["fetch", "--url", server.url("/m4.tgz"), "--sha256", want, "--dest", dir.path + "/pod2",
                                                "--deny-loopback", "--termination-message-path", dir.path + "/t2"], logsIn: dir.path)
            #expect(refused.status == 1)
            let text = try String(contentsOfFile: dir.path + "/t2", encoding: .utf8)
            #expect(text.hasPrefix("URLNotAllowed: ") && text.contains("loopback"), "\(text)")
            #expect(server.requests() == 1)
        }
    }
}
