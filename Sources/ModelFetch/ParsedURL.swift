import CCurl
import Foundation

/// A URL as libcurl itself parses it, so the host the policy checks is the host curl connects
/// to (no parser differential between the check and the download).
public struct ParsedURL: Sendable, Hashable, CustomStringConvertible {
    /// The whole URL, normalized by libcurl.
    public let text: String
    /// Lower-case scheme, such as `http`.
    public let scheme: String
    /// The host as written (an IPv6 literal without brackets), lower-cased.
    public let host: String
    /// The port, the scheme's default when the URL has none.
    public let port: Int

    /// Parses an absolute URL. Any scheme is accepted here; `URLPolicy` decides which are allowed.
    public init(_ text: String) throws(ModelFetchError) {
        try self.init(resolving: text, against: nil)
    }

    /// The URL a redirect's `Location` names, resolved against this one when relative.
    public func resolving(_ location: String) throws(ModelFetchError) -> ParsedURL {
        try ParsedURL(resolving: location, against: text)
    }

    public var description: String { text }

    private init(resolving text: String, against base: String?) throws(ModelFetchError) {
        let invalid = { (detail: String) in ModelFetchError(reason: .invalidURL, url: text, detail: detail) }
        guard !text.isEmpty else { throw invalid("the URL is empty; give an http:// or https:// URL of the archive") }
        guard text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else {
            throw invalid("the URL contains spaces or control or non-ASCII characters; percent-encode them")
        }
        guard let handle = curl_url() else { throw invalid("libcurl could not allocate a URL handle") }
        defer { curl_url_cleanup(handle) }
        let flags = UInt32(CURLU_NON_SUPPORT_SCHEME)
        if let base {
            guard curl_url_set(handle, CURLUPART_URL, base, flags) == CURLUE_OK else {
                throw invalid("cannot parse base URL \(base)")
            }
        }
        let code = curl_url_set(handle, CURLUPART_URL, text, flags)
        guard code == CURLUE_OK else {
            let why = String(cString: curl_url_strerror(code))
            throw invalid("cannot parse the URL (\(why)); write it as http://host[:port]/path/model.tar.gz")
        }
        func part(_ what: CURLUPart, _ flags: Int32 = 0) -> String? {
            var out: UnsafeMutablePointer<CChar>?
            guard curl_url_get(handle, what, &out, UInt32(flags)) == CURLUE_OK, let out else { return nil }
            defer { curl_free(out) }
            return String(cString: out)
        }
        guard let scheme = part(CURLUPART_SCHEME)?.lowercased() else { throw invalid("the URL has no scheme") }
        // A URL of another scheme (file:///x) may lack a host; the policy refuses it by scheme.
        let host = part(CURLUPART_HOST) ?? ""
        if host.isEmpty, scheme == "http" || scheme == "https" { throw invalid("the URL has no host") }
        guard let whole = part(CURLUPART_URL) else { throw invalid("cannot normalize the URL") }
        var bare = host.lowercased()
        if bare.hasPrefix("["), bare.hasSuffix("]") { bare = String(bare.dropFirst().dropLast()) }
        let port = part(CURLUPART_PORT, CURLU_DEFAULT_PORT).flatMap { Int($0) }
            ?? (scheme == "https" ? 443 : 80)
        self.text = whole
        self.scheme = scheme
        self.host = bare
        self.port = port
    }
}
