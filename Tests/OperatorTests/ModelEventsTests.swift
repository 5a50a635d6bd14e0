import Foundation
import KubeClient
import ModelAPI
@testable import Operator
import Testing

/// One Event per transition a person should see: serving, a new version, each failure; none for
/// routine steps (verified, rolling out, a scale).
@Suite struct ModelEventsTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func status(ready: ModelCondition.Status, reason: ModelConditionReason, serving: String? = nil,
                       verified: (ModelCondition.Status, ModelConditionReason)? = nil,
                       progressing: (ModelCondition.Status, ModelConditionReason)? = nil) -> InferenceModelStatus {
        var status = InferenceModelStatus()
        status.servingVersion = serving
        status.setCondition(.ready, status: ready, reason: reason, message: "m", now: now)
        if let verified { status.setCondition(.verified, status: verified.0, reason: verified.1, message: "v", now: now) }
        if let progressing { status.setCondition(.progressing, status: progressing.0, reason: progressing.1, message: "p", now: now) }
        return status
    }

    @Test func fromApplyToReadyThereIsOneEvent() {
        let applied = Self.status(ready: .false, reason: .rollingOut, verified: (.unknown, .verifying), progressing: (.true, .rollingOut))
        let verified = Self.status(ready: .false, reason: .rollingOut, verified: (.true, .checksumMatched), progressing: (.true, .rollingOut))
        let ready = Self.status(ready: .true, reason: .serving, serving: "1", verified: (.true, .checksumMatched),
                                progressing: (.false, .serving))
        let events = ModelEvents.transitions(from: nil, to: applied) + ModelEvents.transitions(from: applied, to: verified)
            + ModelEvents.transitions(from: verified, to: ready)
        #expect(events.map(\.reason) == ["Serving"])
    }

    @Test func aNewVersionIsOneEventAndAScaleIsNone() {
        let one = Self.status(ready: .true, reason: .serving, serving: "1", progressing: (.false, .serving))
        let rolling = Self.status(ready: .true, reason: .serving, serving: "1", progressing: (.true, .rollingOut))
        let two = Self.status(ready: .true, reason: .serving, serving: "2", progressing: (.false, .serving))
        #expect(ModelEvents.transitions(from: one, to: rolling).isEmpty, "a rollout or a scale in progress is routine")
        #expect(ModelEvents.transitions(from: rolling, to: two).map(\.reason) == ["ServingVersionChanged"])
    }

    @Test func failuresAreWarningsWithTheirReason() {
        let one = Self.status(ready: .true, reason: .serving, serving: "1", verified: (.true, .checksumMatched))
        let mismatch = Self.status(ready: .true, reason: .serving, serving: "1", verified: (.false, .checksumMismatch))
        let events = ModelEvents.transitions(from: one, to: mismatch)
        #expect(events.map(\.reason) == ["ChecksumMismatch"])
        #expect(events.first?.type == .warning)
        #expect(ModelEvents.transitions(from: mismatch, to: mismatch).isEmpty, "not repeated on a resync")
    }
}
