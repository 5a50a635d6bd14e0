import Foundation

/// PEM material given either as a file path or as the bytes themselves.
public enum PEMSource: Sendable, Hashable {
    /// A PEM file on disk, read by libcurl when the connection is made.
    case file(String)
    /// PEM bytes held in memory (passed to libcurl as a blob, never written to disk).
    case pem(Data)
}

/// TLS settings for one request. Peers are verified unless `insecureSkipVerify` is set explicitly.
public struct TLSOptions: Sendable, Hashable {
    /// The CA bundle to trust instead of the system store; nil means the system store.
    public var certificateAuthority: PEMSource?
    /// A client certificate to present (mutual TLS).
    public var clientCertificate: PEMSource?
    /// The private key of `clientCertificate`.
    public var clientKey: PEMSource?
    /// Turns off certificate and host-name verification. Only for explicitly insecure setups.
    public var insecureSkipVerify: Bool

    public init(certificateAuthority: PEMSource? = nil, clientCertificate: PEMSource? = nil,
                clientKey: PEMSource? = nil, insecureSkipVerify: Bool = false) {
        self.certificateAuthority = certificateAuthority
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.insecureSkipVerify = insecureSkipVerify
    }
}

/// Abort a transfer that moves fewer than `bytesPerSecond` for `duration`.
public struct LowSpeedLimit: Sendable, Hashable {
    public var bytesPerSecond: Int
    public var duration: Duration

    public init(bytesPerSecond: Int, duration: Duration) {
        self.bytesPerSecond = bytesPerSecond
        self.duration = duration
    }
}

/// Per-request transfer limits and behaviour of the curl engine.
public struct CurlRequestOptions: Sendable, Hashable {
    /// Whole-transfer timeout; nil for none (streams that last as long as they need).
    public var timeout: Duration?
    /// Time allowed to establish the connection (TCP and TLS).
    public var connectTimeout: Duration?
    /// Abort when the transfer is slower than this for long enough (a stalled peer).
    public var lowSpeedLimit: LowSpeedLimit?
    /// How many redirects to follow; 0 (the default) returns 3xx responses as they are.
    public var maxRedirects: Int
    /// Send `Accept-Encoding` and transparently decode gzip/deflate/br/zstd bodies.
    public var automaticDecompression: Bool
    /// Streaming only: once this many bytes wait unread, the transfer is paused until the
    /// consumer catches up, so a slow consumer never makes the body pile up in memory. Time spent
    /// paused counts toward `timeout` (curl's rule), so long downloads usually set `timeout` to nil
    /// and rely on `lowSpeedLimit` instead.
    public var streamBufferLimit: Int
    public var tls: TLSOptions
    /// `CURLOPT_RESOLVE` entries (`host:port:address`): connect to these addresses instead of
    /// resolving the host, so a checked address cannot be swapped by DNS (model downloads).
    public var resolve: [String]
    /// `CURLOPT_PROTOCOLS_STR`, e.g. `"http,https"`; nil leaves curl's default.
    public var protocols: String?
    /// `CURLOPT_PROXY`: nil uses the environment's proxy settings; `""` disables proxies.
    public var proxy: String?

    public init(timeout: Duration? = .seconds(60), connectTimeout: Duration? = .seconds(30),
                lowSpeedLimit: LowSpeedLimit? = nil, maxRedirects: Int = 0,
                automaticDecompression: Bool = false, streamBufferLimit: Int = 1 << 20,
                tls: TLSOptions = TLSOptions(), resolve: [String] = [], protocols: String? = nil,
                proxy: String? = nil) {
        self.resolve = resolve
        self.protocols = protocols
        self.proxy = proxy
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.maxRedirects = maxRedirects
        self.automaticDecompression = automaticDecompression
        self.streamBufferLimit = streamBufferLimit
        self.tls = tls
        self.lowSpeedLimit = lowSpeedLimit
    }
}

/// One request to an absolute URL, as the curl engine executes it.
public struct CurlRequest: Sendable {
    public var url: String
    public var method: String
    /// Request headers. Curl adds Host, and Content-Length when there is a body.
    public var headers: [String: String]
    public var body: Data?
    public var options: CurlRequestOptions

    public init(url: String, method: String = "GET", headers: [String: String] = [:], body: Data? = nil,
                options: CurlRequestOptions = CurlRequestOptions()) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.options = options
    }
}

/// The HTTP protocol version a response came over.
public enum HTTPProtocolVersion: Sendable, Hashable {
    case http1_0, http1_1, http2, http3, unknown
}

/// Status line and headers of a response, plus where the request ended up.
public struct CurlResponseHead: Sendable {
    public var status: Int
    /// Header names are lower-cased; repeated headers are joined with ", ".
    public var headers: [String: String]
    /// The URL of the response after any redirects.
    public var finalURL: String
    public var redirectCount: Int
    public var httpVersion: HTTPProtocolVersion

    public init(status: Int, headers: [String: String], finalURL: String, redirectCount: Int,
                httpVersion: HTTPProtocolVersion) {
        self.status = status
        self.headers = headers
        self.finalURL = finalURL
        self.redirectCount = redirectCount
        self.httpVersion = httpVersion
    }
}

/// A response with its whole body.
public struct CurlResponse: Sendable {
    public var head: CurlResponseHead
    public var body: Data
}

/// A response whose body is still arriving. Iterate `body` to read it; dropping the stream
/// (or cancelling the reading task) cancels the transfer.
public struct CurlStreamingResponse: Sendable {
    public var head: CurlResponseHead
    public var body: AsyncThrowingStream<Data, Error>
}
