import Foundation
import KubeModel
import ModelAPI
import Testing
@testable import Operator

/// The Deployment cache keeps what the operator reads, and a digest in place of the pod template.
@Suite struct CachedDeploymentTests {
    private func rendered() throws -> Deployment {
        try #require(DesiredState.render(model: RenderFixtures.model(), choice: .verifiedArchive(RenderFixtures.version4),
                                         scheduling: .byScheduler, settings: OperatorSettings()).deployments.first)
    }

    @Test func theProjectionKeepsWhatTheOperatorReads() throws {
        var deployment = RenderFixtures.observed(try rendered(), available: 2)
        deployment.metadata.creationTimestamp = "2026-12-05T04:26:58Z"
        let cached = CachedDeployment(deployment)
        #expect(cached.metadata.creationTimestamp == nil, "nothing reads it")
        var metadata = deployment.metadata
        metadata.creationTimestamp = nil
        #expect(cached.metadata == metadata)
        #expect(cached.spec?.replicas == deployment.spec?.replicas)
        #expect(cached.spec?.selector == deployment.spec?.selector)
        #expect(cached.spec?.template.metadata == deployment.spec?.template.metadata)
        #expect(cached.spec?.template.metadata?.annotations?[ModelLabels.servingVersionAnnotation] == "4")
        #expect(cached.status == deployment.status)
    }

    @Test func decodingFromTheServersJSONGivesTheSameProjection() throws {
        let deployment = try rendered()
        let decoded = try JSONDecoder().decode(CachedDeployment.self, from: try JSONEncoder().encode(deployment))
        #expect(decoded == CachedDeployment(deployment))
    }

    @Test func aStatusUpdateAtTheSameGenerationReusesTheDigestAndANewGenerationHashesAgain() throws {
        var deployment = RenderFixtures.observed(try rendered(), available: 1)
        deployment.metadata.uid = UUID().uuidString.lowercased()
        deployment.metadata.generation = 1
        let memo = OwnedSpecDigestMemo.shared
        let first = try JSONDecoder().decode(CachedDeployment.self, from: try JSONEncoder().encode(deployment))
        #expect(first == CachedDeployment(deployment))
        #expect(memo.digest(uid: deployment.metadata.uid, generation: 1) == first.spec?.ownedDigest)

        deployment.status?.availableReplicas = 2
        deployment.spec?.template.metadata?.annotations?["restartedAt"] = "now"
        let statusUpdate = try JSONDecoder().decode(CachedDeployment.self, from: try JSONEncoder().encode(deployment))
        #expect(statusUpdate == CachedDeployment(deployment), "the kept fields are read from the new JSON")

        deployment.metadata.generation = 2
        deployment.spec?.replicas = 5
        deployment.spec?.template.spec?.containers[0].image = "registry.local/other:2"
        let changed = try JSONDecoder().decode(CachedDeployment.self, from: try JSONEncoder().encode(deployment))
        #expect(changed == CachedDeployment(deployment))
        #expect(changed.spec?.ownedDigest != first.spec?.ownedDigest)
    }

    @Test func aWrittenDeploymentIsHashedOnceAndAPlainProjectionAlwaysHashes() throws {
        var deployment = RenderFixtures.observed(try rendered(), available: 1)
        deployment.metadata.uid = UUID().uuidString.lowercased()
        deployment.metadata.generation = 1
        let forCache = CachedDeployment(returnedByServer: deployment)
        #expect(forCache == CachedDeployment(deployment))
        #expect(OwnedSpecDigestMemo.shared.digest(uid: deployment.metadata.uid, generation: 1) == forCache.spec?.ownedDigest)

        // A server never returns another spec at the same generation; a value built by hand may.
        var edited = deployment
        edited.spec?.template.spec?.containers[0].image = "registry.local/other:2"
        #expect(CachedDeployment(returnedByServer: edited).spec?.ownedDigest == forCache.spec?.ownedDigest, "the memo's")
        #expect(CachedDeployment(edited).spec?.ownedDigest != forCache.spec?.ownedDigest, "hashed again")
    }

    @Test func theMemoReadsUIDsAsFoundationDoes() {
        for _ in 0..<100 {
            let uuid = UUID()
            #expect(OwnedSpecDigestMemo.parseUUID(uuid.uuidString.lowercased()) == uuid)
            #expect(OwnedSpecDigestMemo.parseUUID(uuid.uuidString) == uuid)
        }
        for malformed in ["", "not-a-uid", "123e4567-e89b-12d3-a456-42661417400", "123e4567-e89b-12d3-a456-4266141740000",
                          "123e4567e89b-12d3-a456-426614174000-", "123e4567-e89b-12d3-a456-42661417400g"] {
            #expect(OwnedSpecDigestMemo.parseUUID(malformed) == nil, "\(malformed)")
            #expect(UUID(uuidString: malformed) == nil, "\(malformed)")
        }
    }

    @Test func aProjectionIsNeverWritten() throws {
        #expect(throws: EncodingError.self) { _ = try JSONEncoder().encode(CachedDeployment(try rendered())) }
    }

    @Test func theDigestFollowsTheOwnedSpecAndIgnoresServerDefaults() throws {
        let deployment = try rendered()
        var defaulted = deployment
        defaulted.spec = deployment.spec?.withServerDefaults()
        #expect(CachedDeployment(defaulted).spec?.ownedDigest == CachedDeployment(deployment).spec?.ownedDigest)

        var edited = defaulted
        edited.spec?.template.spec?.containers[0].image = "registry.local/other:1"
        #expect(CachedDeployment(edited).spec?.ownedDigest != CachedDeployment(deployment).spec?.ownedDigest)
    }
}
