import Testing
@testable import LocalCluster

/// A client's field names end up in `Warning` headers; a CR or LF in one once ended LocalCluster's
/// response early and left the client waiting (found by the fuzzed-models test).
@Suite struct WarningHeaderTests {
    @Test func controlCharactersInAFieldNameAreEscaped() {
        let headers = BodyDecoding.warnings(unknownFields: ["spec.resources.a\r\nX-Injected: 1\u{1B}"])
        #expect(headers.count == 1)
        let value = headers[0].value
        #expect(!value.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "\(value)")
        #expect(value.hasPrefix("299 - \"unknown field"))
        #expect(value.contains("\\u{D}\\u{A}X-Injected: 1\\u{1B}"))
    }
}
