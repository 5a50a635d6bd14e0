import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Testing
@testable import Controller

@Suite struct HealthEndpointTests {
    @Test func readyzTurnsGreenWhenChecksPassAndNamesTheFailingOne() async throws {
        let checks = HealthChecks()
        let synced = SyncFlag()
        await checks.addLivenessCheck("ping") { nil }
        await checks.addReadinessCheck("informers-synced") { await synced.value ? nil : "caches not synced" }
        let server = try await HTTPEndpointServer(host: "127.0.0.1", port: 0, routes: checks.routes,
                                                  logger: Logger(label: "test"))
        defer { Task { await server.stop() } }

        let base = "http://127.0.0.1:\(server.port)"
        #expect(try await get("\(base)/healthz") == (200, "ok"))
        let notReady = try await get("\(base)/readyz")
        #expect(notReady.0 == 500)
        #expect(notReady.1.contains("informers-synced failed: caches not synced"))
        await synced.set()
        #expect(try await get("\(base)/readyz") == (200, "ok"))
        #expect(try await get("\(base)/nope").0 == 404)
        await server.stop()
    }

    private func get(_ url: String) async throws -> (Int, String) {
        let (data, response) = try await URLSession.shared.data(from: try #require(URL(string: url)))
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        return (status, String(decoding: data, as: UTF8.self))
    }
}

/// A flag a test flips from outside a health check.
actor SyncFlag {
    private(set) var value = false
    func set() { value = true }
}
