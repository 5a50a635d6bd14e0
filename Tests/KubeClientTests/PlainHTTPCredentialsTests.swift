import Foundation
import KubeClient
import TestSupport
import Testing

/// A bearer token is never sent over plain http except to a loopback address.
@Suite struct PlainHTTPCredentialsTests {
    @Test func aTokenIsNotSentOverPlainHTTPToAnotherHost() async throws {
        // Nothing listens there and nothing is sent: the transport refuses before connecting.
        let transport = KubeHTTPTransport(config: ClusterConfig(server: "http://kubernetes.invalid:8080",
                                                                credentials: .bearerToken("s3cret")))
        do {
            _ = try await transport.send(HTTPRequest(method: "GET", path: "/api"))
            Issue.record("the request was sent")
        } catch {
            #expect("\(error)".contains("refusing to send credentials"), "\(error)")
            #expect("\(error)".contains("https://"))
        }
    }

    @Test func loopbackOverPlainHTTPStillWorksForLocalCluster() async throws {
        try await withLoopbackServer(echoHandler) { server in
            let transport = KubeHTTPTransport(config: ClusterConfig(server: server.baseURL, credentials: .bearerToken("t")))
            let response = try await transport.send(HTTPRequest(method: "GET", path: "/api"))
            #expect(response.status == 200)
        }
    }
}
