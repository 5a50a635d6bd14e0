import Foundation
import KubeModel
import ModelAPI
import Testing
@testable import Operator

@Suite struct StatusRendererTests {
    let settings = OperatorSettings()
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    private func inputs(_ model: InferenceModel, deployments: [Deployment], verification: VerificationState,
                        target: ServingChoice? = .verifiedArchive(RenderFixtures.version4),
                        errors: [ValidationIssue] = []) -> StatusInputs {
        StatusInputs(model: model, errors: errors, target: target, verification: verification,
                     scheduling: .byScheduler, deployments: deployments.map(CachedDeployment.init(_:)),
                     service: CachedService(ServiceRenderer.render(model: model)), verified: [], now: now)
    }

    private func deployment(for model: InferenceModel, version: InferenceModelFile) -> Deployment {
        DesiredState.render(model: model, choice: .verifiedArchive(version), scheduling: .byScheduler,
                            settings: settings).deployments[0]
    }

    @Test func servingVersionMovesOnlyWhenEveryReplicaOfTheNewVersionIsAvailable() throws {
        var model = RenderFixtures.model()
        model.status = InferenceModelStatus(servingVersion: "3")
        let record = VerifiedDigest(version: "4", url: RenderFixtures.version4.downloadURL,
                                    sha256: RenderFixtures.digest4, verifiedAt: now)
        let rendered = deployment(for: model, version: RenderFixtures.version4)

        let midway = StatusRenderer.render(inputs(model, deployments: [RenderFixtures.observed(rendered, available: 2, updated: 1)],
                                                  verification: .verified(record)))
        #expect(midway.servingVersion == "3")
        // Version 3 still serves on 2 of 2 replicas: Ready stays True while 4 rolls out.
        #expect(midway.condition(.ready)?.status == .true)
        #expect(midway.condition(.ready)?.message == "version 3 serves on 2 of 2 replicas; rolling out version 4")
        #expect(midway.condition(.progressing)?.status == .true)
        #expect(midway.condition(.progressing)?.message.contains("version 3 keeps serving") == true)

        let done = StatusRenderer.render(inputs(model, deployments: [RenderFixtures.observed(rendered, available: 2)],
                                                verification: .verified(record)))
        #expect(done.servingVersion == "4")
        #expect(done.url == "http://facialexpression.vision.svc:8080")
        #expect(done.condition(.ready)?.status == .true)
        #expect(done.readyReplicas == 2)
        #expect(done.selector == "ai.kubeedge.io/inferencemodel=facialexpression")
        #expect(done.observedGeneration == 1)
    }

    @Test func podsTheServerRefusesShowInReadyWithTheServersMessage() {
        let model = RenderFixtures.model()
        let record = VerifiedDigest(version: "4", url: RenderFixtures.version4.downloadURL,
                                    sha256: RenderFixtures.digest4, verifiedAt: now)
        var refused = RenderFixtures.observed(deployment(for: model, version: RenderFixtures.version4), available: 0,
                                              updated: 0)
        let message = #"pods "facialexpression-7d9f-x2" is forbidden: violates PodSecurity "restricted:latest": "#
            + #"hostPath volumes (volume "model-cache")"#
        refused.status?.conditions = [Condition(type: "ReplicaFailure", status: "True", reason: "FailedCreate", message: message)]
        let status = StatusRenderer.render(inputs(model, deployments: [refused], verification: .verified(record)))
        #expect(status.condition(.ready)?.status == .false)
        #expect(status.condition(.ready)?.reason.rawValue == "ReplicaFailure")
        #expect(status.condition(.ready)?.message.contains(message) == true, "\(status.condition(.ready)?.message ?? "")")
        #expect(status.condition(.progressing)?.reason.rawValue == "ReplicaFailure")
    }

    @Test func checksumMismatchKeepsServingVersionAndSaysBothDigests() {
        var model = RenderFixtures.model()
        model.status = InferenceModelStatus(servingVersion: "3")
        let version3 = model.spec.manifest?[0] ?? RenderFixtures.version4
        let serving = RenderFixtures.observed(deployment(for: model, version: version3), available: 2)
        let message = "sha256 mismatch for version 4 (http://127.0.0.1:18080/m4.tar.gz): want bbbb…, got 3f2c…"
        let status = StatusRenderer.render(inputs(model, deployments: [serving],
                                                  verification: .failed(reason: .checksumMismatch, message: message)))
        #expect(status.servingVersion == "3")
        #expect(status.condition(.verified)?.reason == .checksumMismatch)
        #expect(status.condition(.ready)?.status == .true, "version 3 serves at the requested capacity")
        #expect(status.condition(.ready)?.message.hasPrefix("version 3 serves on 2 of 2 replicas; sha256 mismatch") == true)
        #expect(status.condition(.progressing)?.status == .false, "nothing rolls out")
        #expect(status.condition(.progressing)?.reason == .waiting)
        #expect(status.condition(.available)?.status == .true)
        #expect(status.message == message)
    }

    @Test func invalidSpecIsReportedWithoutTouchingServingState() {
        var model = RenderFixtures.model()
        model.status = InferenceModelStatus(servingVersion: "3")
        let issue = ValidationIssue(field: "spec.targetVersion", message: "spec.targetVersion \"5\" is not in spec.manifest",
                                    reason: .versionNotFound)
        let status = StatusRenderer.render(inputs(model, deployments: [], verification: .notNeeded, target: nil,
                                                  errors: [issue]))
        #expect(status.condition(.ready)?.reason == .versionNotFound)
        #expect(status.servingVersion == "3")
    }

    @Test func unchangedInputsGiveAnIdenticalStatus() {
        var model = RenderFixtures.model()
        let record = VerifiedDigest(version: "4", url: RenderFixtures.version4.downloadURL,
                                    sha256: RenderFixtures.digest4, verifiedAt: now)
        let observed = [RenderFixtures.observed(deployment(for: model, version: RenderFixtures.version4), available: 2)]
        let first = StatusRenderer.render(inputs(model, deployments: observed, verification: .verified(record)))
        model.status = first
        var later = inputs(model, deployments: observed, verification: .verified(record))
        later.now = now.addingTimeInterval(600)
        #expect(StatusRenderer.render(later) == first)
    }

    /// A spec full of problems (or one echoing a huge value) still gets a status the API server
    /// accepts: every message is bounded and free of control characters.
    @Test func oversizeOrHostileMessagesAreBounded() {
        let model = RenderFixtures.model()
        let huge = String(repeating: "k", count: 1 << 20)
        let errors = (1...300).map { index in
            ValidationIssue(field: "spec.nodeSelector", message: "spec.nodeSelector key \"\(huge)\u{202E}\(index)\" is not a label key")
        }
        let status = StatusRenderer.render(inputs(model, deployments: [], verification: .notNeeded, errors: errors))
        for condition in status.conditions ?? [] {
            #expect(condition.message.count <= DisplayText.maximumLength)
            #expect(!condition.message.unicodeScalars.contains("\u{202E}"))
        }
        #expect((status.message ?? "").count <= DisplayText.maximumLength)
        #expect(status.message?.hasPrefix("spec.nodeSelector key") == true)
    }

    /// `image` and `manifest` both set: the status says which wins.
    @Test func anImageWithAManifestSaysTheManifestIsIgnored() {
        let model = RenderFixtures.model(image: "registry.local/facial:4")
        let status = StatusRenderer.render(inputs(model, deployments: [], verification: .notNeeded,
                                                  target: .image("registry.local/facial:4")))
        #expect(status.condition(.verified)?.message.hasSuffix(
            "spec.manifest and spec.targetVersion are ignored while spec.image is set") == true)
    }
}
