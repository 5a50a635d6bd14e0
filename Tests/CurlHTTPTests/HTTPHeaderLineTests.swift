@testable import CurlHTTP
import Testing

@Suite("HTTP header lines as curl hands them over")
struct HTTPHeaderLineTests {
    private func read(_ text: String) -> HTTPHeaderLine {
        Array(text.utf8).withUnsafeBytes { HTTPHeaderLine($0) }
    }

    @Test("a field: the name lowercased, spaces and tabs around name and value and the line ending trimmed")
    func fields() {
        #expect(read("Content-Type: application/json\r\n") == .field(name: "content-type", value: "application/json"))
        #expect(read("X-Kubernetes-PF-FlowSchema-UID:\t abc \t\r\n") == .field(name: "x-kubernetes-pf-flowschema-uid", value: "abc"))
        #expect(read("Warning : 299 - \"unknown field \\\"spec.x\\\"\"\n")
            == .field(name: "warning", value: "299 - \"unknown field \\\"spec.x\\\"\""))
        #expect(read("Location: http://127.0.0.1:8080/a:b\r\n") == .field(name: "location", value: "http://127.0.0.1:8080/a:b"))
        #expect(read("Empty:\r\n") == .field(name: "empty", value: ""))
    }

    @Test("a value keeps its UTF-8 and its inner spaces")
    func valueBytes() {
        #expect(read("X-Note: grüße  aus\tKöln\r\n") == .field(name: "x-note", value: "grüße  aus\tKöln"))
    }

    @Test("the blank line ends the head; a status line starts one; a line without a colon is ignored")
    func structure() {
        #expect(read("\r\n") == .end)
        #expect(read("\n") == .end)
        #expect(read("") == .end)
        #expect(read("HTTP/1.1 200 OK\r\n") == .status)
        #expect(read("HTTP/2 404\r\n") == .status)
        #expect(read("garbage\r\n") == .other)
    }
}
