import Foundation
import KubeClient
import LocalCluster
import TestSupport
import Testing

@Suite("HTTP protocol details")
struct HTTPProtocolTests {
    @Test("Expect: 100-continue is answered at once, so clients need not wait before sending the body")
    func expectContinue() async throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try await withCluster { _, api in
            let body = try dir.write("big.json", configMap("big", data: ["k": .init(repeating: "x", count: 5000)]).jsonString)
            let curl = try SpawnedProcess.start([executablePath("curl"),
                "-sv", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Expect: 100-continue",
                "-H", "Content-Type: application/json", "--data-binary", "@\(body.path)",
                "\(api.baseURL.absoluteString)/api/v1/namespaces/default/configmaps",
            ], logsIn: dir.url)
            #expect(try await curl.wait() == 0)
            #expect(curl.stdout == "201")
            #expect(curl.stderr.contains("HTTP/1.1 100 Continue"))
        }
    }

    @Test("several requests share one keep-alive connection")
    func keepAlive() async throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try await withCluster { _, api in
            let url = "\(api.baseURL.absoluteString)/api/v1/namespaces"
            let curl = try SpawnedProcess.start([executablePath("curl"), "-sv", "-o", "/dev/null", url, "-o", "/dev/null", url],
                                                logsIn: dir.url)
            #expect(try await curl.wait() == 0)
            #expect(curl.stderr.contains("Re-using existing connection") || curl.stderr.contains("Reusing existing"))
        }
    }
}
