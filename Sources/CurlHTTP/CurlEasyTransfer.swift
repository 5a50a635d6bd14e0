import CCurl
import Foundation

/// One libcurl easy handle configured from a `CurlRequest`, with the callbacks that turn curl's
/// header lines and body chunks into `CurlTransferSink` events. Lives on the engine's worker
/// thread only: it is created, driven and destroyed there.
final class CurlEasyTransfer {
    let id: UInt64
    let sink: CurlTransferSink
    let easy: UnsafeMutableRawPointer
    private let url: String
    private let followsRedirects: Bool
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var resolveList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var headerFields: [String: String] = [:]
    private var headDelivered = false

    init(id: UInt64, request: CurlRequest, sink: CurlTransferSink) throws {
        guard let easy = curl_easy_init() else {
            throw CurlError(code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "curl_easy_init failed",
                            url: request.url)
        }
        self.id = id
        self.sink = sink
        self.easy = easy
        self.url = request.url
        self.followsRedirects = request.options.maxRedirects > 0
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        try configure(request)
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        curl_slist_free_all(resolveList)
        errorBuffer.deallocate()
    }

    /// The transfer behind a `CURLOPT_PRIVATE` / callback user-data pointer.
    static func from(_ pointer: UnsafeMutableRawPointer) -> CurlEasyTransfer {
        Unmanaged<CurlEasyTransfer>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// Curl finished the transfer with `code`.
    func complete(_ code: CURLcode) {
        if code == CURLE_OK {
            let head = currentHead()
            if !headDelivered { sink.deliverHead(head) }
            sink.finish(head: head, error: nil)
        } else {
            sink.finish(head: nil, error: CurlError(code, errorBuffer: String(cString: errorBuffer), url: url))
        }
    }

    // MARK: Callbacks

    fileprivate func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        guard !headDelivered else { return }  // Trailers after the body are not headers.
        switch HTTPHeaderLine(bytes) {
        case .end:
            endOfHeaderBlock()
        case .status:
            headerFields = [:]
        case .field(let name, let value):
            if let existing = headerFields[name] {
                headerFields[name] = existing + ", " + value
            } else {
                headerFields[name] = value
            }
        case .other:
            break
        }
    }

    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> CurlChunkDisposition {
        if !headDelivered {
            headDelivered = true
            sink.deliverHead(currentHead())
        }
        return sink.offer(Data(bytes))
    }

    /// A blank line ends a header block. Informational (1xx) blocks and redirects that curl is
    /// about to follow are skipped; any other block is the final response's head.
    private func endOfHeaderBlock() {
        let status = getLong(CURLINFO_RESPONSE_CODE)
        if (100..<200).contains(status) { return }
        if followsRedirects && (300..<400).contains(status) && headerFields["location"] != nil { return }
        headDelivered = true
        sink.deliverHead(currentHead())
    }

    private func currentHead() -> CurlResponseHead {
        var urlPointer: UnsafeMutablePointer<CChar>?
        _ = ccurl_easy_getinfo_string(easy, CURLINFO_EFFECTIVE_URL, &urlPointer)
        let version: HTTPProtocolVersion
        switch getLong(CURLINFO_HTTP_VERSION) {
        case CURL_HTTP_VERSION_1_0: version = .http1_0
        case CURL_HTTP_VERSION_1_1: version = .http1_1
        case CURL_HTTP_VERSION_2_0: version = .http2
        case CURL_HTTP_VERSION_3: version = .http3
        default: version = .unknown
        }
        return CurlResponseHead(status: getLong(CURLINFO_RESPONSE_CODE), headers: headerFields,
                                finalURL: urlPointer.map { String(cString: $0) } ?? url,
                                redirectCount: getLong(CURLINFO_REDIRECT_COUNT), httpVersion: version)
    }

    private func getLong(_ info: CURLINFO) -> Int {
        var value = 0
        _ = ccurl_easy_getinfo_long(easy, info, &value)
        return value
    }

    // MARK: Options

    private func configure(_ request: CurlRequest) throws {
        let options = request.options
        let this = Unmanaged.passUnretained(self).toOpaque()
        try set(CURLOPT_URL, request.url)
        try set(CURLOPT_NOSIGNAL, 1)
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer))
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_PRIVATE, this))
        try check(ccurl_easy_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION, curlWriteCallback))
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, this))
        try check(ccurl_easy_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION, curlHeaderCallback))
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, this))
        try set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1)
        try set(CURLOPT_TCP_KEEPALIVE, 1)
        try set(CURLOPT_BUFFERSIZE, 64 * 1024)
        try set(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS)
        if request.url.lowercased().hasPrefix("https:") {
            try set(CURLOPT_PIPEWAIT, 1)  // Prefer multiplexing on a pending HTTP/2 connection.
        }
        try configureMethod(request)
        try configureHeaders(request.headers)
        if options.maxRedirects > 0 {
            try set(CURLOPT_FOLLOWLOCATION, 1)
            try set(CURLOPT_MAXREDIRS, options.maxRedirects)
        }
        if let timeout = options.timeout { try set(CURLOPT_TIMEOUT_MS, max(1, timeout.milliseconds)) }
        if let timeout = options.connectTimeout {
            try set(CURLOPT_CONNECTTIMEOUT_MS, max(1, timeout.milliseconds))
        }
        if let limit = options.lowSpeedLimit {
            try set(CURLOPT_LOW_SPEED_LIMIT, limit.bytesPerSecond)
            try set(CURLOPT_LOW_SPEED_TIME, max(1, limit.duration.milliseconds / 1000))
        }
        if options.automaticDecompression { try set(CURLOPT_ACCEPT_ENCODING, "") }
        try configureTLS(options.tls)
        try configureRouting(options)
    }

    /// Address pinning, allowed protocols and proxy (used by model downloads).
    private func configureRouting(_ options: CurlRequestOptions) throws {
        for entry in options.resolve {
            guard let appended = curl_slist_append(resolveList, entry) else {
                throw CurlError(code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "curl_slist_append failed", url: url)
            }
            resolveList = appended
        }
        if resolveList != nil { try check(ccurl_easy_setopt_slist(easy, CURLOPT_RESOLVE, resolveList)) }
        if let protocols = options.protocols {
            try set(CURLOPT_PROTOCOLS_STR, protocols)
            try set(CURLOPT_REDIR_PROTOCOLS_STR, protocols)
        }
        if let proxy = options.proxy { try set(CURLOPT_PROXY, proxy) }
    }

    private func configureMethod(_ request: CurlRequest) throws {
        let method = request.method.uppercased()
        switch method {
        case "GET" where request.body == nil:
            try set(CURLOPT_HTTPGET, 1)
        case "HEAD" where request.body == nil:
            try set(CURLOPT_NOBODY, 1)
        default:
            try set(CURLOPT_CUSTOMREQUEST, method)
        }
        if let body = request.body {
            try check(ccurl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
            try body.withUnsafeBytes { bytes in
                // COPYPOSTFIELDS copies `body.count` bytes now; an empty body still needs a valid pointer.
                let empty: StaticString = ""
                let pointer = bytes.baseAddress ?? UnsafeRawPointer(empty.utf8Start)
                try check(ccurl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: pointer)))
            }
        } else if method == "POST" || method == "PUT" || method == "PATCH" {
            try check(ccurl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, 0))
            try set(CURLOPT_COPYPOSTFIELDS, "")
        }
    }

    private func configureHeaders(_ headers: [String: String]) throws {
        var lines = headers.map { "\($0.key): \($0.value)" }
        if headers.keys.contains(where: { $0.lowercased() == "expect" }) == false {
            lines.append("Expect:")  // No `100-continue` round trip before sending a body.
        }
        for line in lines {
            guard let appended = curl_slist_append(headerList, line) else {
                throw CurlError(code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "curl_slist_append failed", url: url)
            }
            headerList = appended
        }
        try check(ccurl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList))
    }

    private func configureTLS(_ tls: TLSOptions) throws {
        if tls.insecureSkipVerify {
            try set(CURLOPT_SSL_VERIFYPEER, 0)
            try set(CURLOPT_SSL_VERIFYHOST, 0)
        } else {
            try set(CURLOPT_SSL_VERIFYPEER, 1)
            try set(CURLOPT_SSL_VERIFYHOST, 2)
        }
        if let ca = tls.certificateAuthority {
            try check(ccurl_easy_setopt_string(easy, CURLOPT_CAPATH, nil))  // Trust this CA only.
            try setPEM(ca, file: CURLOPT_CAINFO, blob: CURLOPT_CAINFO_BLOB)
        }
        if let certificate = tls.clientCertificate {
            try set(CURLOPT_SSLCERTTYPE, "PEM")
            try setPEM(certificate, file: CURLOPT_SSLCERT, blob: CURLOPT_SSLCERT_BLOB)
        }
        if let key = tls.clientKey {
            try set(CURLOPT_SSLKEYTYPE, "PEM")
            try setPEM(key, file: CURLOPT_SSLKEY, blob: CURLOPT_SSLKEY_BLOB)
        }
    }

    private func setPEM(_ source: PEMSource, file: CURLoption, blob: CURLoption) throws {
        switch source {
        case .file(let path):
            try set(file, path)
        case .pem(let data):
            try data.withUnsafeBytes { bytes in
                try check(ccurl_easy_setopt_blob_copy(easy, blob, bytes.baseAddress, bytes.count))
            }
        }
    }

    private func set(_ option: CURLoption, _ value: Int) throws {
        try check(ccurl_easy_setopt_long(easy, option, value))
    }

    private func set(_ option: CURLoption, _ value: String) throws {
        try check(ccurl_easy_setopt_string(easy, option, value))
    }

    private func check(_ code: CURLcode) throws {
        guard code == CURLE_OK else {
            throw CurlError(code, errorBuffer: "could not set a transfer option: "
                            + String(cString: curl_easy_strerror(code)), url: url)
        }
    }
}

/// `CURLOPT_HEADERFUNCTION`: one header line per call.
private let curlHeaderCallback: ccurl_data_callback = { data, size, count, userData in
    let length = size * count
    guard let data, let userData else { return length }
    CurlEasyTransfer.from(userData).receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: length))
    return length
}

/// `CURLOPT_WRITEFUNCTION`: a chunk of body.
private let curlWriteCallback: ccurl_data_callback = { data, size, count, userData in
    let length = size * count
    guard let data, let userData else { return length }
    switch CurlEasyTransfer.from(userData).receiveBody(UnsafeRawBufferPointer(start: data, count: length)) {
    case .accepted: return length
    case .pause: return ccurl_writefunc_pause()
    case .abort: return 0
    }
}

extension Duration {
    /// Whole milliseconds, rounded down.
    var milliseconds: Int {
        let parts = components
        return Int(parts.seconds) * 1000 + Int(parts.attoseconds / 1_000_000_000_000_000)
    }
}
