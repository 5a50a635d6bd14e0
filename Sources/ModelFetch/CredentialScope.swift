/// Where archive credentials may go: only to the manifest URL's own origin (scheme, host and
/// port), so a redirect to another host (a CDN, or an attacker's server) never receives them,
/// and only over https or to a loopback address, so they never cross a network in clear text.
struct CredentialScope: Sendable {
    let credentials: ArchiveCredentials
    let origin: ParsedURL

    init(_ credentials: ArchiveCredentials, origin: ParsedURL) throws(ModelFetchError) {
        let loopbackHost = origin.host == "localhost" || IPAddress(origin.host).map(Self.isLoopback) == true
        guard origin.scheme == "https" || loopbackHost else {
            throw ModelFetchError(reason: .urlNotAllowed, url: origin.text,
                                  detail: "credentials are sent only over https; use an https:// URL for an archive that needs spec.archiveCredentials")
        }
        self.credentials = credentials
        self.origin = origin
    }

    /// The header value for a request to `url`, or nil when it must go without credentials.
    func headerValue(for url: CheckedURL) -> String? {
        guard url.url.scheme == origin.scheme, url.url.host == origin.host, url.url.port == origin.port else { return nil }
        guard url.url.scheme == "https" || Self.isLoopback(url.address) else { return nil }
        return credentials.headerValue
    }

    private static func isLoopback(_ address: IPAddress) -> Bool {
        URLPolicy.loopbackNetworks.contains { $0.contains(address) }
    }
}
