import Foundation
import KubeClient
import KubeModel
import Synchronization
import TestSupport
import Testing

@Suite("KubeHTTPTransport: URLs, default headers, credentials and 401 retry")
struct KubeHTTPTransportTests {
    @Test("prepends the server URL and sends the bearer token and JSON defaults")
    func headersAndToken() async throws {
        try await withLoopbackServer(echoHandler) { server in
            let transport = KubeHTTPTransport(config: ClusterConfig(server: server.baseURL + "/",
                                                                    credentials: .bearerToken("s3cret")))
            let response = try await transport.send(HTTPRequest(method: "POST", path: "/api/v1/namespaces?limit=5",
                                                                body: Data("{}".utf8)))
            #expect(response.status == 200)
            #expect(response.headers["x-test-header"] == "yes")
            let echo = try JSONValue.parse(response.body)
            #expect(echo["uri"] == "/api/v1/namespaces?limit=5")
            #expect(echo["headers"]?["authorization"] == "Bearer s3cret")
            #expect(echo["headers"]?["accept"] == "application/json")
            #expect(echo["headers"]?["content-type"] == "application/json")
            #expect(echo["headers"]?["user-agent"] == "model-operator")
            #expect(echo["body"] == "{}")
        }
    }

    @Test("the caller's headers replace the defaults")
    func headerOverride() async throws {
        try await withLoopbackServer(echoHandler) { server in
            let transport = KubeHTTPTransport(config: ClusterConfig(server: server.baseURL))
            let response = try await transport.send(HTTPRequest(
                method: "PATCH", path: "/x", headers: ["content-type": "application/merge-patch+json"],
                body: Data("{}".utf8)))
            let echo = try JSONValue.parse(response.body)
            #expect(echo["headers"]?["content-type"] == "application/merge-patch+json")
            #expect(echo["headers"]?["authorization"] == nil)
        }
    }

    @Test("basic credentials become a Basic authorization header")
    func basicAuth() async throws {
        try await withLoopbackServer(echoHandler) { server in
            let transport = KubeHTTPTransport(config: ClusterConfig(
                server: server.baseURL, credentials: .basic(username: "admin", password: "pw")))
            let echo = try JSONValue.parse(try await transport.send(HTTPRequest(method: "GET", path: "/")).body)
            #expect(echo["headers"]?["authorization"] == .string("Basic " + Data("admin:pw".utf8).base64EncodedString()))
        }
    }

    @Test("a rotated token file: the 401 makes the transport re-read the file and retry once")
    func tokenRotation() async throws {
        let directory = try TempDir()
        defer { directory.remove() }
        let tokenFile = directory.file("token")
        try Data("old-token\n".utf8).write(to: tokenFile)
        let accepted = Mutex("Bearer old-token")
        let seen = Mutex<[String]>([])
        try await withLoopbackServer({ request, writer in
            let authorization = request.headers["authorization"] ?? ""
            seen.withLock { $0.append(authorization) }
            if authorization == accepted.withLock({ $0 }) {
                try await writer.respond(status: 200, body: Data("ok\n".utf8))
            } else {
                try await writer.respond(status: 401, body: Data("{\"kind\":\"Status\",\"code\":401}".utf8))
            }
        }) { server in
            let transport = KubeHTTPTransport(config: ClusterConfig(server: server.baseURL,
                                                                    credentials: .bearerTokenFile(tokenFile.path)))
            #expect(try await transport.send(HTTPRequest(method: "GET", path: "/a")).status == 200)

            // The token rotates; the transport still holds the old one (re-read only each minute).
            try Data("new-token\n".utf8).write(to: tokenFile)
            accepted.withLock { $0 = "Bearer new-token" }
            seen.withLock { $0 = [] }
            #expect(try await transport.send(HTTPRequest(method: "GET", path: "/b")).status == 200)
            #expect(seen.withLock { $0 } == ["Bearer old-token", "Bearer new-token"])

            // Streams retry the same way.
            try Data("newer-token\n".utf8).write(to: tokenFile)
            accepted.withLock { $0 = "Bearer newer-token" }
            seen.withLock { $0 = [] }
            let stream = try await transport.stream(HTTPRequest(method: "GET", path: "/watch", timeout: nil))
            #expect(stream.status == 200)
            #expect(try await collect(stream.body) == Data("ok\n".utf8))
            #expect(seen.withLock { $0 } == ["Bearer new-token", "Bearer newer-token"])
        }
    }

    @Test("a fixed token that gets 401 is not retried")
    func fixedTokenNotRetried() async throws {
        let count = Mutex(0)
        try await withLoopbackServer({ _, writer in
            count.withLock { $0 += 1 }
            try await writer.respond(status: 401)
        }) { server in
            let transport = KubeHTTPTransport(config: ClusterConfig(server: server.baseURL,
                                                                    credentials: .bearerToken("wrong")))
            let response = try await transport.send(HTTPRequest(method: "GET", path: "/"))
            #expect(response.status == 401)
            #expect(count.withLock { $0 } == 1)
        }
    }

    @Test("a token file is re-read once the refresh interval has passed")
    func tokenFileRefreshInterval() async throws {
        let directory = try TempDir()
        defer { directory.remove() }
        let path = directory.file("token").path
        try Data("first".utf8).write(to: URL(fileURLWithPath: path))
        let clock = Mutex(ContinuousClock.now)
        let file = BearerTokenFile(path: path, refreshInterval: .seconds(60), now: { clock.withLock { $0 } })
        #expect(try await file.token() == "first")
        try Data("second".utf8).write(to: URL(fileURLWithPath: path))
        clock.withLock { $0 += .seconds(30) }
        #expect(try await file.token() == "first")
        clock.withLock { $0 += .seconds(31) }
        #expect(try await file.token() == "second")
    }

    @Test("a missing or empty token file is a clear error")
    func badTokenFile() async throws {
        let directory = try TempDir()
        defer { directory.remove() }
        let missing = BearerTokenFile(path: directory.file("absent").path)
        let error = await #expect(throws: ClusterConfigError.self) { _ = try await missing.token() }
        #expect(error?.description.contains("absent") == true)
        let emptyPath = directory.file("empty")
        try Data().write(to: emptyPath)
        let empty = await #expect(throws: ClusterConfigError.self) {
            _ = try await BearerTokenFile(path: emptyPath.path).token()
        }
        #expect(empty?.description.contains("empty") == true)
    }
}
