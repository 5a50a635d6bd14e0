import Operator
import Testing

@Suite("Label values made from model names and versions")
struct LabelValueTests {
    @Test("kept when valid; other characters become '-'; trimmed to alphanumerics at both ends; at most 63",
          arguments: [
              ("v1.0", "v1.0"),
              ("--abc--", "abc"),
              ("a b/c", "a-b-c"),
              ("1.2.3-rc.1+build", "1.2.3-rc.1-build"),
              ("___", ""),
              ("", ""),
              (String(repeating: "x", count: 100), String(repeating: "x", count: 63)),
              (String(repeating: "x", count: 62) + "-yz", String(repeating: "x", count: 62)),
              ("café", "caf"),
              ("e\u{301}x", "x"),
              ("a\r\nb", "a-b"),
              ("tab\there", "tab-here"),
          ])
    func labelValue(text: String, expected: String) {
        #expect(ModelLabels.labelValue(text) == expected)
    }
}
