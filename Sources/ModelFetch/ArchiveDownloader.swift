import Foundation

/// What a successful download produced.
public struct DownloadResult: Sendable {
    public var digest: SHA256Digest
    public var bytes: Int64
    /// The URL the archive finally came from, after redirects.
    public var finalURL: String
    /// How many HTTP requests it took (redirect hops and retries included).
    public var requests: Int
}

/// Downloads an archive and checks its SHA-256 as the bytes arrive: redirects followed hop by
/// hop with the URL policy applied to each, retries with backoff and jitter on 5xx, 429 and
/// connection failures (none on other 4xx or a wrong digest), a size limit enforced from
/// `Content-Length` and again on the bytes received, and an overall deadline (each request gets
/// what is left of it as its transfer time limit; backoff never sleeps past it).
public struct ArchiveDownloader: Sendable {
    public var options: DownloadOptions
    public var client: any ArchiveHTTPClient
    public var resolver: any HostResolving
    /// Networks learnt while running (the operator's pod and service CIDRs), denied on top of
    /// `options.policy` at every hop.
    public var clusterNetworks: ClusterNetworks?

    public init(options: DownloadOptions = .standard, client: any ArchiveHTTPClient,
                resolver: any HostResolving = SystemHostResolver(), clusterNetworks: ClusterNetworks? = nil) {
        self.options = options
        self.client = client
        self.resolver = resolver
        self.clusterNetworks = clusterNetworks
    }

    /// Downloads `url`, which must hash to `expected`. Each attempt writes into a fresh file
    /// from `makeFile` (nil: the bytes are only hashed); the file of the successful attempt is
    /// handed back through `keep`. Errors carry the URL but no version (the caller adds it).
    /// `credentials` go only to the URL's own origin, over https or loopback (`CredentialScope`).
    public func download(_ url: String, expected: SHA256Digest, credentials: ArchiveCredentials? = nil,
                         makeFile: () throws(ModelFetchError) -> TemporaryFile? = { nil },
                         keep: (TemporaryFile) throws(ModelFetchError) -> Void = { _ in }) async throws(ModelFetchError) -> DownloadResult {
        let start = try ParsedURL(url)
        var scope: CredentialScope?
        if let credentials { scope = try CredentialScope(credentials, origin: start) }
        let clock = ContinuousClock()
        let deadline = options.deadline.map { clock.now + $0 }
        var requests = 0
        var attempt = 1
        while true {
            do {
                let file = try makeFile()
                var result = try await attemptOnce(start, expected: expected, scope: scope, file: file, deadline: deadline,
                                                  requests: &requests)
                result.requests = requests
                if let file { try keep(file) }
                return result
            } catch let failure as AttemptFailure {
                if let deadline, clock.now + Self.deadlineSlack >= deadline {
                    throw deadlineExceeded(start, attempts: attempt, last: failure.error)
                }
                guard failure.retryable, attempt < options.maxAttempts else {
                    var error = Self.anchored(failure.error, to: start)
                    if failure.retryable, attempt > 1 { error.detail += " (after \(attempt) attempts)" }
                    throw error
                }
                var delay = failure.retryAfter.map { min($0, options.retryBackoff.cap) }
                    ?? options.retryBackoff.delay(afterFailures: attempt, unit: Double.random(in: 0...1))
                if let deadline { delay = min(delay, max(.zero, deadline - clock.now)) }
                do { try await Task.sleep(for: delay) } catch {
                    throw ModelFetchError(reason: .downloadFailed, url: url, detail: "cancelled")
                }
                attempt += 1
            } catch let error as ModelFetchError {
                throw Self.anchored(error, to: start)
            } catch {
                throw ModelFetchError(reason: .downloadFailed, url: url, detail: "\(error)")
            }
        }
    }

    private func attemptOnce(_ start: ParsedURL, expected: SHA256Digest, scope: CredentialScope?, file: TemporaryFile?,
                             deadline: ContinuousClock.Instant?, requests: inout Int) async throws -> DownloadResult {
        var current = start
        var hops = 0
        while true {
            let policy = clusterNetworks?.applied(to: options.policy) ?? options.policy
            let checked = try await Self.check(current, policy: policy, resolver: resolver)
            let timeLimit = deadline.map { $0 - ContinuousClock.now }
            if let timeLimit, timeLimit <= .zero {
                throw AttemptFailure(.downloadFailed(current, "no time left before the deadline"), retryable: false)
            }
            requests += 1
            let response: ArchiveHTTPResponse
            do {
                response = try await client.get(checked, options: options, timeLimit: timeLimit,
                                                authorization: scope?.headerValue(for: checked))
            } catch is CancellationError {
                throw ModelFetchError(reason: .downloadFailed, url: current.text, detail: "cancelled")
            } catch {
                let failure = client.transportError(error)
                throw AttemptFailure(.downloadFailed(current, failure.message), retryable: failure.retryable)
            }
            switch response.status {
            case 301, 302, 303, 307, 308:
                guard let location = response.headers["location"], !location.isEmpty else {
                    throw ModelFetchError(reason: .downloadFailed, url: current.text,
                                          detail: "HTTP \(response.status) redirect without a Location header")
                }
                guard hops < options.maxRedirects else {
                    throw ModelFetchError(reason: .downloadFailed, url: start.text,
                                          detail: "more than \(options.maxRedirects) redirects (a redirect loop?); last hop \(current.text) -> \(location)")
                }
                current = try current.resolving(location)
                hops += 1
                continue
            case 200:
                return try await receive(response, from: current, expected: expected, file: file)
            case 429, 500...599:
                throw AttemptFailure(.downloadFailed(current, "the server answered HTTP \(response.status)"),
                                     retryable: true, retryAfter: Self.retryAfter(response.headers["retry-after"]))
            case 404, 410:
                throw ModelFetchError(reason: .downloadFailed, url: current.text,
                                      detail: "the server answered HTTP \(response.status): there is no file at this URL; check downloadURL")
            case 401, 403:
                let sent = scope?.headerValue(for: checked) != nil
                throw ModelFetchError(reason: .downloadFailed, url: current.text,
                                      detail: "the server answered HTTP \(response.status): " + (sent
                                        ? "it refused the credentials from spec.archiveCredentials; check the Secret's values"
                                        : "it wants credentials; put them in a Secret (key authorization, token, or username and password) and name it in spec.archiveCredentials.secretName"))
            default:
                throw ModelFetchError(reason: .downloadFailed, url: current.text,
                                      detail: "the server answered HTTP \(response.status)")
            }
        }
    }

    private func receive(_ response: ArchiveHTTPResponse, from url: ParsedURL, expected: SHA256Digest,
                         file: TemporaryFile?) async throws -> DownloadResult {
        let declared = response.headers["content-length"].flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
        if let declared, declared > options.maxBytes {
            throw ModelFetchError(reason: .tooLarge, url: url.text,
                                  detail: "the server announces \(declared) bytes, more than the \(options.maxBytes)-byte limit")
        }
        let hasher = SHA256Hasher()
        var total: Int64 = 0
        var prefix = Data()
        do {
            for try await chunk in response.body {
                total += Int64(chunk.count)
                if prefix.count < ArchiveSignature.prefixLength {
                    prefix.append(chunk.prefix(ArchiveSignature.prefixLength - prefix.count))
                }
                guard total <= options.maxBytes else {
                    throw ModelFetchError(reason: .tooLarge, url: url.text,
                                          detail: "the archive is larger than the \(options.maxBytes)-byte limit")
                }
                hasher.update(chunk)
                try file?.write(chunk)
            }
        } catch let error as ModelFetchError {
            throw error
        } catch is CancellationError {
            throw ModelFetchError(reason: .downloadFailed, url: url.text, detail: "cancelled")
        } catch {
            let failure = client.transportError(error)
            throw AttemptFailure(.downloadFailed(url, "the transfer broke off after \(total) bytes: \(failure.message)"),
                                 retryable: failure.retryable)
        }
        if let declared, total != declared {
            throw AttemptFailure(.downloadFailed(url, "the transfer ended after \(total) of \(declared) bytes"), retryable: true)
        }
        let digest = hasher.finalize()
        guard digest == expected else {
            guard ArchiveSignature.looksLikeArchive(prefix) else {
                throw ModelFetchError(reason: .checksumMismatch, url: url.text,
                                      detail: "the download is not a .tar.gz, .tgz, .tar or .zip archive, so it is not "
                                          + "the model (its digest is not shown); check downloadURL")
            }
            throw ModelFetchError.mismatch(version: nil, url: "", want: expected, got: digest)
        }
        return DownloadResult(digest: digest, bytes: total, finalURL: url.text, requests: 0)
    }

    /// Curl's time limit and this clock may disagree by a little; a failure this close to the
    /// deadline counts as the deadline.
    static let deadlineSlack: Duration = .milliseconds(200)

    private func deadlineExceeded(_ start: ParsedURL, attempts: Int, last: ModelFetchError) -> ModelFetchError {
        let limit = options.deadline.map(Self.describe) ?? "?"
        return ModelFetchError(reason: .downloadFailed, url: start.text,
                               detail: "the download did not finish within its \(limit) deadline (\(attempts) attempt\(attempts == 1 ? "" : "s"); last: \(last.detail)); the server is too slow for the deadline (--deadline)")
    }

    /// `90s`, `30m`, `1h30m`: a deadline as people write it.
    static func describe(_ duration: Duration) -> String {
        let seconds = Int(duration.components.seconds)
        let (hours, minutes, rest) = (seconds / 3600, seconds % 3600 / 60, seconds % 60)
        var text = ""
        if hours > 0 { text += "\(hours)h" }
        if minutes > 0 { text += "\(minutes)m" }
        if rest > 0 || text.isEmpty { text += "\(rest)s" }
        return text
    }

    /// Applies the policy on a Dispatch thread: name resolution blocks (`getaddrinfo`, up to the
    /// resolver's timeout), and must not hold one of the few cooperative-pool threads.
    static func check(_ url: ParsedURL, policy: URLPolicy, resolver: any HostResolving) async throws(ModelFetchError) -> CheckedURL {
        let result: Result<CheckedURL, ModelFetchError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Result { () throws(ModelFetchError) in
                    try policy.check(url, resolver: resolver)
                })
            }
        }
        return try result.get()
    }

    /// The error about the manifest's URL; a later redirect hop it concerns goes into the detail.
    static func anchored(_ error: ModelFetchError, to start: ParsedURL) -> ModelFetchError {
        var copy = error
        if !copy.url.isEmpty, copy.url != start.text {
            copy.detail += " (at redirect target \(copy.url))"
        }
        copy.url = start.text
        return copy
    }

    /// `Retry-After` in seconds (the HTTP-date form is ignored: backoff applies then).
    static func retryAfter(_ value: String?) -> Duration? {
        guard let value, let seconds = Int(value.trimmingCharacters(in: .whitespaces)), seconds >= 0 else { return nil }
        return .seconds(seconds)
    }
}

/// One failed attempt, and whether another attempt may succeed.
struct AttemptFailure: Error {
    let error: ModelFetchError
    let retryable: Bool
    let retryAfter: Duration?

    init(_ error: ModelFetchError, retryable: Bool, retryAfter: Duration? = nil) {
        self.error = error
        self.retryable = retryable
        self.retryAfter = retryAfter
    }
}

extension ModelFetchError {
    static func downloadFailed(_ url: ParsedURL, _ detail: String) -> ModelFetchError {
        ModelFetchError(reason: .downloadFailed, url: url.text, detail: detail)
    }
}
