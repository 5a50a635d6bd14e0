import CurlHTTP
import Foundation
import KubeModel
import Synchronization
import TestSupport
import Testing

@Suite("CurlEngine over loopback HTTP")
struct CurlEngineTests {
    let engine = CurlEngine()

    @Test("sends method, headers and body; returns status, lower-cased headers and body")
    func roundTrip() async throws {
        try await withLoopbackServer(echoHandler) { server in
            let response = try await engine.send(CurlRequest(
                url: server.baseURL + "/echo?x=1", method: "POST",
                headers: ["X-Custom": "abc", "Content-Type": "text/plain"], body: Data("hello".utf8)))
            #expect(response.head.status == 200)
            #expect(response.head.headers["x-test-header"] == "yes")
            #expect(response.head.httpVersion == .http1_1)
            #expect(response.head.finalURL == server.baseURL + "/echo?x=1")
            let echo = try JSONValue.parse(response.body)
            #expect(echo["method"] == "POST")
            #expect(echo["uri"] == "/echo?x=1")
            #expect(echo["headers"]?["x-custom"] == "abc")
            #expect(echo["body"] == "hello")
        }
    }

    @Test("methods without a body: GET, DELETE, and PUT with an empty body")
    func methods() async throws {
        try await withLoopbackServer(echoHandler) { server in
            for method in ["GET", "DELETE", "PUT", "PATCH"] {
                let response = try await engine.send(CurlRequest(url: server.baseURL + "/m", method: method))
                let echo = try JSONValue.parse(response.body)
                #expect(echo["method"] == .string(method))
                #expect(echo["body"] == "")
            }
        }
    }

    @Test("an HTTP error status is a response, not an error")
    func errorStatus() async throws {
        try await withLoopbackServer({ _, writer in
            try await writer.respond(status: 404, body: Data("not here".utf8))
        }) { server in
            let response = try await engine.send(CurlRequest(url: server.baseURL + "/missing"))
            #expect(response.head.status == 404)
            #expect(String(decoding: response.body, as: UTF8.self) == "not here")
        }
    }

    @Test("50 concurrent requests all complete with their own responses")
    func concurrentRequests() async throws {
        let release = TestSignal()
        let arrived = Mutex(0)
        try await withLoopbackServer({ request, writer in
            // Hold every response until all 50 requests are in flight at once.
            if arrived.withLock({ $0 += 1; return $0 }) == 50 { release.fire() }
            await release.wait()
            try await writer.respond(status: 200, body: Data(request.uri.utf8))
        }) { server in
            let engine = self.engine
            let bodies = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for index in 0..<50 {
                    group.addTask {
                        let response = try await engine.send(CurlRequest(url: server.baseURL + "/item/\(index)"))
                        return (index, String(decoding: response.body, as: UTF8.self))
                    }
                }
                var bodies: [Int: String] = [:]
                for try await (index, body) in group { bodies[index] = body }
                return bodies
            }
            #expect(bodies.count == 50)
            for index in 0..<50 { #expect(bodies[index] == "/item/\(index)") }
        }
    }

    @Test("sequential requests reuse one connection")
    func connectionReuse() async throws {
        try await withLoopbackServer(echoHandler) { server in
            for _ in 0..<10 {
                let response = try await engine.send(CurlRequest(url: server.baseURL + "/again"))
                #expect(response.head.status == 200)
            }
            #expect(server.acceptedConnectionCount == 1)
        }
    }

    @Test("redirects are returned as they are by default and followed up to the limit when asked")
    func redirects() async throws {
        try await withLoopbackServer({ request, writer in
            switch request.uri {
            case "/a": try await writer.respond(status: 302, headers: [("Location", "/b")])
            case "/b": try await writer.respond(status: 302, headers: [("Location", "/c")])
            default: try await writer.respond(status: 200, body: Data("arrived".utf8))
            }
        }) { server in
            let unfollowed = try await engine.send(CurlRequest(url: server.baseURL + "/a"))
            #expect(unfollowed.head.status == 302)
            #expect(unfollowed.head.headers["location"] == "/b")

            var follow = CurlRequestOptions()
            follow.maxRedirects = 5
            let followed = try await engine.send(CurlRequest(url: server.baseURL + "/a", options: follow))
            #expect(followed.head.status == 200)
            #expect(followed.head.redirectCount == 2)
            #expect(followed.head.finalURL == server.baseURL + "/c")
            #expect(String(decoding: followed.body, as: UTF8.self) == "arrived")

            let streamed = try await engine.stream(CurlRequest(url: server.baseURL + "/a", options: follow))
            #expect(streamed.head.status == 200)
            #expect(try await collect(streamed.body) == Data("arrived".utf8))

            follow.maxRedirects = 1
            let error = await #expect(throws: CurlError.self) {
                _ = try await engine.send(CurlRequest(url: server.baseURL + "/a", options: follow))
            }
            #expect(error?.kind == .tooManyRedirects)
        }
    }

    @Test("streaming returns at the headers and delivers chunks before the response ends")
    func streamingDeliversEarlyChunks() async throws {
        let firstChunkSeen = TestSignal()
        try await withLoopbackServer({ _, writer in
            try await writer.writeHead(status: 200, headers: [("Content-Type", "application/json")])
            try await writer.writeBody(Data("first\n".utf8))
            await firstChunkSeen.wait()  // The response cannot end before the client saw chunk one.
            try await writer.writeBody(Data("second\n".utf8))
            try await writer.end()
        }) { server in
            let response = try await engine.stream(CurlRequest(url: server.baseURL + "/watch", options: .init(timeout: nil)))
            #expect(response.head.status == 200)
            #expect(response.head.headers["content-type"] == "application/json")
            var received = Data()
            var iterator = response.body.makeAsyncIterator()
            while !String(decoding: received, as: UTF8.self).contains("first\n"), let chunk = try await iterator.next() {
                received.append(chunk)
            }
            #expect(String(decoding: received, as: UTF8.self) == "first\n")
            firstChunkSeen.fire()
            while let chunk = try await iterator.next() { received.append(chunk) }
            #expect(String(decoding: received, as: UTF8.self) == "first\nsecond\n")
        }
    }

    @Test("a slow reader pauses the transfer instead of buffering the body")
    func streamingBackpressure() async throws {
        let total = 128 << 20
        let chunkSize = 64 << 10
        let sent = Mutex(0)
        try await withLoopbackServer({ _, writer in
            try await writer.writeHead(status: 200, headers: [("Content-Length", "\(total)")])
            let chunk = Data(repeating: 0x5A, count: chunkSize)
            for _ in 0..<(total / chunkSize) {
                try await writer.writeBody(chunk)  // Suspends while the socket is full.
                sent.withLock { $0 += chunkSize }
            }
            try await writer.end()
        }) { server in
            var options = CurlRequestOptions(timeout: nil)
            options.streamBufferLimit = 1 << 20
            let response = try await engine.stream(CurlRequest(url: server.baseURL + "/big", options: options))
            var iterator = response.body.makeAsyncIterator()
            var received = try await iterator.next()?.count ?? 0

            // Read nothing more until the sender has stalled: its progress must stop far short of
            // the whole body, because the client paused instead of buffering.
            var stalledAt = -1
            for _ in 0..<300 {
                let before = sent.withLock { $0 }
                try await Task.sleep(for: .milliseconds(500))
                let after = sent.withLock { $0 }
                if before == after { stalledAt = after; break }
            }
            #expect(stalledAt >= 0, "the sender never stalled")
            #expect(stalledAt < total / 2, "the client took \(stalledAt) bytes without reading them")

            while let chunk = try await iterator.next() {
                #expect(chunk.allSatisfy { $0 == 0x5A })
                received += chunk.count
            }
            #expect(received == total)
        }
    }

    @Test("a server that does not answer in time gives a timeout error")
    func timeout() async throws {
        try await withLoopbackServer({ _, _ in
            try await Task.sleep(for: .seconds(120))
        }) { server in
            let error = await #expect(throws: CurlError.self) {
                _ = try await engine.send(CurlRequest(url: server.baseURL + "/slow", options: .init(timeout: .seconds(1))))
            }
            #expect(error?.kind == .timeout)
            #expect(error?.message.isEmpty == false)
            #expect(error?.description.contains(server.baseURL) == true)
        }
    }

    @Test("a stream that stalls below the low-speed limit is aborted")
    func lowSpeedLimit() async throws {
        try await withLoopbackServer({ _, writer in
            try await writer.writeHead(status: 200)
            try await writer.writeBody(Data("start\n".utf8))
            try await Task.sleep(for: .seconds(120))
        }) { server in
            var options = CurlRequestOptions(timeout: nil)
            options.lowSpeedLimit = LowSpeedLimit(bytesPerSecond: 1, duration: .seconds(2))
            // On a loaded machine the stall may be detected before or after the head arrives;
            // either way the transfer must end with a timeout, not hang.
            let error = await #expect(throws: CurlError.self) {
                let response = try await engine.stream(CurlRequest(url: server.baseURL + "/stall", options: options))
                _ = try await collect(response.body)
            }
            #expect(error?.kind == .timeout)
        }
    }

    @Test("a closed port gives a connection error naming the URL")
    func connectionRefused() async throws {
        let server = try await LoopbackHTTPServer.start(handler: echoHandler)
        let url = server.baseURL + "/gone"
        await server.stop()
        let error = await #expect(throws: CurlError.self) {
            _ = try await engine.send(CurlRequest(url: url))
        }
        #expect(error?.kind == .connectionFailed)
        #expect(error?.description.contains(url) == true)
    }

    @Test("cancelling the awaiting task cancels the request and closes its connection")
    func cancellation() async throws {
        let requestArrived = TestSignal()
        try await withLoopbackServer({ _, _ in
            requestArrived.fire()
            try await Task.sleep(for: .seconds(120))
        }) { server in
            let engine = self.engine
            let task = Task {
                try await engine.send(CurlRequest(url: server.baseURL + "/hang", options: .init(timeout: nil)))
            }
            await requestArrived.wait()
            task.cancel()
            await #expect(throws: CancellationError.self) { _ = try await task.value }
            try await eventually("every connection closed") { server.openConnectionCount == 0 }
        }
    }

    @Test("dropping a body stream cancels the transfer")
    func droppingStreamCancels() async throws {
        try await withLoopbackServer({ _, writer in
            try await writer.writeHead(status: 200)
            try await writer.writeBody(Data("one\n".utf8))
            try await Task.sleep(for: .seconds(120))
        }) { server in
            do {
                let response = try await engine.stream(CurlRequest(url: server.baseURL + "/w", options: .init(timeout: nil)))
                var iterator = response.body.makeAsyncIterator()
                #expect(try await iterator.next() != nil)
            }
            try await eventually("every connection closed") { server.openConnectionCount == 0 }
        }
    }

    @Test("cancelling a task that reads a stream ends the read with CancellationError")
    func cancellingStreamReader() async throws {
        try await withLoopbackServer({ _, writer in
            try await writer.writeHead(status: 200)
            try await Task.sleep(for: .seconds(120))
        }) { server in
            let response = try await engine.stream(CurlRequest(url: server.baseURL + "/w", options: .init(timeout: nil)))
            let reader = Task { try await collect(response.body) }
            try await Task.sleep(for: .milliseconds(100))
            reader.cancel()
            await #expect(throws: CancellationError.self) { _ = try await reader.value }
            try await eventually("every connection closed") { server.openConnectionCount == 0 }
        }
    }
}
