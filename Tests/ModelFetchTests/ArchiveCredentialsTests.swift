import Foundation
import ModelFetch
import Synchronization
import Testing
import TestSupport

@Suite("Archive credentials from a Secret")
struct ArchiveCredentialsTests {
    func verifier(resolver: any HostResolving = SystemHostResolver()) -> ModelVerifier {
        ModelVerifier(downloader: ArchiveDownloader(options: testOptions(), client: CurlArchiveClient(), resolver: resolver))
    }

    @Test("each Secret form becomes one Authorization header; the description never shows a value")
    func forms() throws {
        let basic = try #require(try ArchiveCredentials(keys: ["username": "model", "password": "s3cret\n"]))
        #expect(basic.headerValue == "Basic " + Data("model:s3cret".utf8).base64EncodedString())
        let token = try #require(try ArchiveCredentials(keys: ["token": "abc"]))
        #expect(token.headerValue == "Bearer abc")
        let header = try #require(try ArchiveCredentials(keys: ["authorization": "Token xyz", "other": "ignored"]))
        #expect(header.headerValue == "Token xyz")
        for credentials in [basic, token, header] {
            #expect(!"\(credentials)".contains("s3cret") && !"\(credentials)".contains("abc")
                    && !"\(credentials)".contains("xyz"), "\(credentials)")
        }
        #expect(try ArchiveCredentials(keys: ["unrelated": "x"]) == nil)
    }

    @Test("half or several forms, and header injection, are refused with what to fix")
    func refusals() {
        func problem(_ keys: [String: String]) -> String? {
            do { _ = try ArchiveCredentials(keys: keys); return nil } catch { return error.problem }
        }
        #expect(problem(["username": "u"])?.contains("username without password") == true)
        #expect(problem(["token": "t", "password": "p"])?.contains("more than one form") == true)
        #expect(problem(["authorization": "Bearer a\r\nX-Evil: 1"])?.contains("control characters") == true)
        #expect(problem(["username": "a:b", "password": "p"])?.contains("\":\"") == true)
    }

    @Test("the fetch environment carries the Secret's keys")
    func environment() throws {
        let credentials = try ArchiveCredentials.fromEnvironment(["MODEL_ARCHIVE_TOKEN": "t0k", "PATH": "/bin"])
        #expect(credentials?.headerValue == "Bearer t0k")
        #expect(try ArchiveCredentials.fromEnvironment(["PATH": "/bin"]) == nil)
    }

    @Test("credentials go with the download to the URL's own origin and never across a redirect to another host")
    func onlyToTheOrigin() async throws {
        let archive = try sampleArchive()
        try await withServer({ path, _ in
            switch path {
            case "/direct.tgz": return .body(archive)
            default: return .body(archive)
            }
        }) { server in
            let credentials = try #require(try ArchiveCredentials(keys: ["token": "t0k"]))
            let digest = SHA256Hasher.digest(archive).hex
            _ = try await verifier().verify(url: server.url("/direct.tgz"), sha256: digest, credentials: credentials)
            #expect(server.authorizations("/direct.tgz") == ["Bearer t0k"])
            _ = try await verifier().verify(url: server.url("/anonymous.tgz"), sha256: digest)
            #expect(server.authorizations("/anonymous.tgz") == [nil])
        }
        // A redirect to another host name (the same loopback server under a name only the test's
        // resolver knows) gets no credentials.
        let port = Mutex<Int>(0)
        try await withServer({ path, _ in
            path == "/start.tgz" ? .redirect("http://cdn.example.test:\(port.withLock { $0 })/moved.tgz") : .body(archive)
        }) { server in
            port.withLock { $0 = server.port }
            let resolver = TableResolver(table: ["cdn.example.test": ["127.0.0.1"]])
            let credentials = try #require(try ArchiveCredentials(keys: ["username": "u", "password": "p"]))
            _ = try await verifier(resolver: resolver).verify(url: server.url("/start.tgz"),
                                                             sha256: SHA256Hasher.digest(archive).hex, credentials: credentials)
            #expect(server.authorizations("/start.tgz") == [credentials.headerValue])
            #expect(server.authorizations("/moved.tgz") == [nil], "the other host got the credentials")
        }
    }

    @Test("credentials are never sent over plain http to a host that is not loopback")
    func notInClearText() async throws {
        try await withServer({ _, _ in .body(Data("x".utf8)) }) { server in
            let resolver = TableResolver(table: ["models.example.test": ["127.0.0.1"]])
            let credentials = try #require(try ArchiveCredentials(keys: ["token": "t0k"]))
            let url = "http://models.example.test:\(server.port)/m.tgz"
            let error = await fetchError { () async throws(ModelFetchError) in
                try await verifier(resolver: resolver).verify(url: url, sha256: String(repeating: "a", count: 64),
                                                              credentials: credentials)
            }
            #expect(error?.reason == .urlNotAllowed)
            #expect(error?.description.contains("credentials are sent only over https") == true, "\(String(describing: error))")
            #expect(server.requests() == 0)
        }
    }

    @Test("401 says how to give credentials; with credentials it says they were refused")
    func refusedByTheServer() async throws {
        try await withServer({ _, _ in .body(Data("no".utf8), status: 401) }) { server in
            let digest = String(repeating: "a", count: 64)
            let anonymous = await fetchError { () async throws(ModelFetchError) in
                try await verifier().verify(url: server.url("/m.tgz"), sha256: digest)
            }
            #expect(anonymous?.description.contains("spec.archiveCredentials.secretName") == true, "\(String(describing: anonymous))")
            let credentials = try #require(try ArchiveCredentials(keys: ["token": "wrong"]))
            let refused = await fetchError { () async throws(ModelFetchError) in
                try await verifier().verify(url: server.url("/m.tgz"), sha256: digest, credentials: credentials)
            }
            #expect(refused?.description.contains("refused the credentials") == true, "\(String(describing: refused))")
            #expect(refused?.description.contains("wrong") == false)
        }
    }
}
