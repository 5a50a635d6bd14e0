import CurlHTTP
import Foundation

/// `ArchiveHTTPClient` over the project's `CurlEngine`: one GET, no redirect following, pinned
/// with `CURLOPT_RESOLVE` to the address the URL policy checked, http and https only, and no
/// proxy (a proxy would connect wherever it likes, defeating the address check). It owns its
/// engine, so its pinned DNS entries and connections are not shared with the API client.
public struct CurlArchiveClient: ArchiveHTTPClient {
    private let engine: CurlEngine
    /// Bytes buffered for a slow reader before the transfer pauses.
    public var bufferLimit: Int

    public init(engine: CurlEngine = CurlEngine(), bufferLimit: Int = 4 << 20) {
        self.engine = engine
        self.bufferLimit = bufferLimit
    }

    public func get(_ url: CheckedURL, options: DownloadOptions, timeLimit: Duration?, authorization: String?) async throws
        -> ArchiveHTTPResponse
    {
        let curlOptions = CurlRequestOptions(
            timeout: timeLimit.map { max($0, .milliseconds(1)) }, connectTimeout: options.connectTimeout,
            lowSpeedLimit: LowSpeedLimit(bytesPerSecond: options.lowSpeedBytesPerSecond, duration: options.lowSpeedTime),
            maxRedirects: 0, automaticDecompression: false, streamBufferLimit: bufferLimit,
            resolve: url.resolveEntry.map { [$0] } ?? [], protocols: "http,https", proxy: "")
        var headers = ["User-Agent": "model-operator-fetch"]
        if let authorization { headers["Authorization"] = authorization }
        let request = CurlRequest(url: url.url.text, headers: headers, options: curlOptions)
        do {
            let response = try await engine.stream(request)
            return ArchiveHTTPResponse(status: response.head.status, headers: response.head.headers, body: response.body)
        } catch {
            throw transportError(error)
        }
    }

    public func transportError(_ error: any Error) -> ArchiveTransportError {
        if let error = error as? ArchiveTransportError { return error }
        if let curl = error as? CurlError {
            var message = curl.message
            if curl.kind == .timeout, message.lowercased().contains("too slow") {
                message += " (the server is slower than the minimum speed, --low-speed-limit bytes/s over --low-speed-time)"
            }
            return ArchiveTransportError(message: message, retryable: curl.kind != .tls)
        }
        return ArchiveTransportError(message: "\(error)", retryable: true)
    }
}
