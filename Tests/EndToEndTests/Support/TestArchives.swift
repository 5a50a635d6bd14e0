import DemoSupport
import Foundation
import KubeClient
import Logging
import ModelFetch

/// The model archives a test's manifests name, with their SHA-256 digests: generated and
/// served on 127.0.0.1 (the default; the operator, running on this machine, verifies them
/// there), or, with `E2E_ARCHIVE_BASE_URL`, the archives at `<base>/<name>.tar.gz`, which pods
/// on a real cluster can download too (the harness downloads each once to learn its digest).
final class TestArchives: Sendable {
    private let urls: [String: String]
    private let digests: [String: String]
    private let server: ArchiveServer?

    private init(urls: [String: String], digests: [String: String], server: ArchiveServer?) {
        self.urls = urls
        self.digests = digests
        self.server = server
    }

    static func prepare(_ names: [String], environment: E2EEnvironment, workDirectory: URL,
                        logger: Logger) async throws -> TestArchives {
        if let base = environment.archiveBaseURL, !environment.isLocalCluster {
            var urls: [String: String] = [:], digests: [String: String] = [:]
            for name in names {
                let url = "\(base)/\(name).tar.gz"
                urls[name] = url
                digests[name] = try await digest(ofDownload: url)
            }
            return TestArchives(urls: urls, digests: digests, server: nil)
        }
        let generated = try SampleArchives.generate(names, into: workDirectory.appendingPathComponent("archives"))
        let server = try await ArchiveServer(files: generated.values.map(\.path).sorted(), port: 0, logger: logger)
        let urls = generated.mapValues { "http://127.0.0.1:\(server.port)/\($0.name).tar.gz" }
        return TestArchives(urls: urls, digests: generated.mapValues(\.sha256), server: server)
    }

    /// The URL an archive is downloaded from.
    func url(_ name: String) -> String { urls[name] ?? "http://127.0.0.1:1/\(name).tar.gz" }

    /// The archive's SHA-256 in hex ("" when unknown).
    func digest(_ name: String) -> String { digests[name] ?? "" }

    func stop() async { await server?.stop() }

    /// Downloads `url` once and hashes it.
    private static func digest(ofDownload url: String) async throws -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host else {
            throw E2EFailure("E2E_ARCHIVE_BASE_URL gives \(url), which is not a URL")
        }
        let server = "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
        let transport = KubeHTTPTransport(config: ClusterConfig(server: server))
        let response = try await transport.send(HTTPRequest(method: "GET", path: components.percentEncodedPath,
                                                            timeout: .seconds(120)))
        guard response.status == 200 else {
            throw E2EFailure("GET \(url) answered \(response.status): E2E_ARCHIVE_BASE_URL must serve m-1.tar.gz, m-2.tar.gz and m-3.tar.gz")
        }
        return SHA256Hasher.digest(response.body).hex
    }
}
