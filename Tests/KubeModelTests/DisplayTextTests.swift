import Testing
import KubeModel

/// What the operator writes for people to read cannot be reordered, hidden or made too large
/// by what a user put in a spec.
@Suite struct DisplayTextTests {
    @Test func bidiAndControlCharactersAreRemovedAndLineBreaksBecomeSpaces() {
        let text = "image \u{202E}gnp.exe\u{202C} \u{1B}[31mred\u{1B}[0m\r\nnext\tline \u{2066}x\u{2069}"
        #expect(DisplayText.bounded(text) == "image gnp.exe [31mred[0m  next line x")
    }

    @Test func deleteAndC1ControlsAreRemovedFromOtherwisePlainText() {
        #expect(DisplayText.bounded("rollout\u{7F} done") == "rollout done")
        #expect(DisplayText.bounded("rollout\u{85} done") == "rollout done")
        #expect(DisplayText.bounded("Ready: 1/1 replicas on node-a (Tesla T4)") == "Ready: 1/1 replicas on node-a (Tesla T4)")
        #expect(DisplayText.bounded("café ok") == "café ok")
    }

    @Test func longTextIsCutToTheLimitWithAnEllipsis() {
        let long = String(repeating: "a", count: 1 << 20)
        let bounded = DisplayText.bounded(long)
        #expect(bounded.count == DisplayText.maximumLength)
        #expect(bounded.hasSuffix("…"))
        #expect(DisplayText.bounded("short") == "short")
        #expect(DisplayText.bounded(String(repeating: "b", count: 1024)).count == 1024)
        #expect(!DisplayText.bounded(String(repeating: "b", count: 1024)).hasSuffix("…"))
    }
}
