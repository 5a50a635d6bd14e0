import KubeModel
import Foundation
import ModelFetch
import Testing

/// Issue 10, finding 8: no credential from a URL is ever shown.
@Suite("Credentials in URLs are redacted")
struct RedactionTests {
    @Test("user-info, query values and fragments are masked; scheme, host, port and path stay",
          arguments: [
            ("http://user:s3cret@models.example.com:8080/m.tgz", "http://***@models.example.com:8080/m.tgz"),
            ("https://models.example.com/m.tgz?X-Amz-Signature=abc&X-Amz-Credential=def",
             "https://models.example.com/m.tgz?X-Amz-Signature=***&X-Amz-Credential=***"),
            ("https://h/m.tgz?sv=2020&sig=xyz#frag", "https://h/m.tgz?sv=***&sig=***#***"),
            ("https://h/m.tgz?justatoken", "https://h/m.tgz?***"),
            ("https://token@h/m.tgz", "https://***@h/m.tgz"),
            ("http://user:p/ss@h/m.tgz", "http://***@h/m.tgz"),
            ("http://[::1]:8080/a@b/m.tgz", "http://[::1]:8080/a@b/m.tgz"),
            ("http://h:8080/scoped/@org/m.tgz", "http://h:8080/scoped/@org/m.tgz"),
            ("http://127.0.0.1/m.tgz", "http://127.0.0.1/m.tgz"),
          ])
    func redact(url: String, shown: String) {
        #expect(URLRedaction.redact(url) == shown)
        #expect(URLRedaction.redact(shown) == shown, "redacting twice changes nothing")
    }

    @Test("URLs inside a message are found and redacted")
    func inText() {
        let text = "redirect loop; last hop http://a:b@h/x?t=1 -> https://h2/y?token=2 (giving up)"
        #expect(URLRedaction.redactURLs(in: text) == "redirect loop; last hop http://***@h/x?t=*** -> https://h2/y?token=*** (giving up)")
    }

    @Test("a fetch error names the URL without its credentials")
    func errorDescription() {
        let error = ModelFetchError(reason: .downloadFailed, version: "1", url: "https://u:pw@h/m.tgz?sig=s",
                                    detail: "redirected to https://h/n.tgz?sig=t")
        #expect(error.description == "download failed for version 1 (https://***@h/m.tgz?sig=***): redirected to https://h/n.tgz?sig=***")
    }

    @Test("display text escapes control and bidi characters and is bounded")
    func displayText() {
        #expect(DisplayText.sanitized("a\r\nb\u{1B}c\u{202E}d") == "a\\u{D}\\u{A}b\\u{1B}c\\u{202E}d")
        #expect(DisplayText.sanitized(String(repeating: "x", count: 500), maxScalars: 10) == String(repeating: "x", count: 10) + "…")
        #expect(DisplayText.sanitized("résumé/\u{301}x") == "résumé/\u{301}x")
    }
}
