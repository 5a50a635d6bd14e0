import Foundation

/// One HTTP GET of one URL, without following redirects, connecting only to a checked address.
/// `CurlArchiveClient` is the implementation; the downloader's redirect, retry and limit logic
/// sits above it.
public protocol ArchiveHTTPClient: Sendable {
    /// `timeLimit` bounds the whole request, body included (what is left of the download's
    /// deadline); nil for none. `authorization` is the `Authorization` header's value, when the
    /// downloader decided this request may carry credentials.
    func get(_ url: CheckedURL, options: DownloadOptions, timeLimit: Duration?, authorization: String?) async throws
        -> ArchiveHTTPResponse
    /// Classifies an error thrown by `get` or by a response body, for the retry decision.
    func transportError(_ error: any Error) -> ArchiveTransportError
}

/// A response whose body streams in.
public struct ArchiveHTTPResponse: Sendable {
    public var status: Int
    /// Lower-cased header names.
    public var headers: [String: String]
    public var body: AsyncThrowingStream<Data, Error>

    public init(status: Int, headers: [String: String], body: AsyncThrowingStream<Data, Error>) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// A transport failure the client reports, classified for the retry decision.
public struct ArchiveTransportError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// True for failures that may pass (connection refused or reset, timeouts, a broken
    /// transfer); false for ones that will not (a TLS certificate problem).
    public var retryable: Bool

    public init(message: String, retryable: Bool) {
        self.message = message
        self.retryable = retryable
    }

    public var description: String { message }
}
