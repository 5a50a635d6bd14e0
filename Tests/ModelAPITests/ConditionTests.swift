import Foundation
import ModelAPI
import Testing

@Suite struct ConditionTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func aNewConditionIsAddedWithTheTimeOfNow() {
        var status = InferenceModelStatus()
        let changed = status.setCondition(.verified, status: .false, reason: .checksumMismatch,
                                          message: "sha256 mismatch for version 4", observedGeneration: 2, now: Self.start)
        #expect(changed)
        let condition = status.condition(.verified)
        #expect(condition?.status == .false)
        #expect(condition?.reason == .checksumMismatch)
        #expect(condition?.lastTransitionTime == Self.start)
        #expect(condition?.observedGeneration == 2)
    }

    @Test func sameStatusWithANewMessageKeepsTheTransitionTime() {
        var status = InferenceModelStatus()
        status.setCondition(.ready, status: .false, reason: .rollingOut, message: "0 of 2", now: Self.start)
        let later = Self.start.addingTimeInterval(60)
        let changed = status.setCondition(.ready, status: .false, reason: .rollingOut, message: "1 of 2", now: later)
        #expect(changed)
        #expect(status.condition(.ready)?.lastTransitionTime == Self.start)
        #expect(status.condition(.ready)?.message == "1 of 2")
    }

    @Test func aStatusChangeMovesTheTransitionTime() {
        var status = InferenceModelStatus()
        status.setCondition(.ready, status: .false, reason: .rollingOut, message: "1 of 2", now: Self.start)
        let later = Self.start.addingTimeInterval(90)
        let changed = status.setCondition(.ready, status: .true, reason: .serving, message: "2 of 2", now: later)
        #expect(changed)
        #expect(status.condition(.ready)?.lastTransitionTime == later)
        #expect(status.conditions?.count == 1)
    }

    @Test func settingTheSameConditionAgainChangesNothing() {
        var status = InferenceModelStatus()
        status.setCondition(.scheduled, status: .true, reason: .placed, message: "2 replicas on 2 nodes",
                            observedGeneration: 1, now: Self.start)
        let before = status
        let changed = status.setCondition(.scheduled, status: .true, reason: .placed, message: "2 replicas on 2 nodes",
                                          observedGeneration: 1, now: Self.start.addingTimeInterval(300))
        #expect(!changed)
        #expect(status == before)
    }

    @Test func conditionsKeepTheirOrderAndCanBeRemoved() {
        var conditions: [ModelCondition] = []
        for type in ModelConditionType.all {
            conditions.set(type, status: .unknown, reason: .pending, message: "", now: Self.start)
        }
        #expect(conditions.map(\.type) == [.ready, .verified, .scheduled, .available, .progressing])
        let removed = conditions.remove(.progressing)
        let removedAgain = conditions.remove(.progressing)
        #expect(removed)
        #expect(!removedAgain)
        #expect(!conditions.isTrue(.ready))
        conditions.set(.ready, status: .true, reason: .serving, message: "", now: Self.start)
        #expect(conditions.isTrue(.ready))
    }
}
