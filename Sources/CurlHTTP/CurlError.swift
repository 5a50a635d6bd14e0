import CCurl

/// A transfer that libcurl could not complete: the curl result code and curl's own explanation
/// (from `CURLOPT_ERRORBUFFER`), plus the URL it was for.
public struct CurlError: Error, Sendable, CustomStringConvertible {
    /// The raw `CURLcode`.
    public let code: Int
    /// Curl's detailed message, or the generic text for `code` when curl left none.
    public let message: String
    public let url: String
    private var engineWasShutDown = false

    /// Broad classes of failure that callers commonly react to.
    public enum Kind: Sendable, Hashable {
        case timeout, connectionFailed, tls, tooManyRedirects, engineShutDown, other
    }

    public init(code: Int, message: String, url: String) {
        self.code = code
        self.message = message
        self.url = url
    }

    init(_ code: CURLcode, errorBuffer: String, url: String) {
        let generic = String(cString: curl_easy_strerror(code))
        self.init(code: Int(code.rawValue), message: errorBuffer.isEmpty ? generic : errorBuffer, url: url)
    }

    static func engineShutDown(url: String) -> CurlError {
        var error = CurlError(code: Int(CURLE_ABORTED_BY_CALLBACK.rawValue),
                              message: "the HTTP engine was shut down while the request was running", url: url)
        error.engineWasShutDown = true
        return error
    }

    public var kind: Kind {
        if engineWasShutDown { return .engineShutDown }
        switch CURLcode(UInt32(clamping: code)) {
        case CURLE_OPERATION_TIMEDOUT: return .timeout
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST: return .connectionFailed
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
             CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_ENGINE_INITFAILED,
             CURLE_SSL_CRL_BADFILE, CURLE_SSL_CLIENTCERT:
            return .tls
        case CURLE_TOO_MANY_REDIRECTS: return .tooManyRedirects
        default: return .other
        }
    }

    public var description: String {
        "HTTP request to \(url) failed: \(message) (curl error \(code))"
    }
}
