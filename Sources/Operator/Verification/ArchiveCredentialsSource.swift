import Controller
import Foundation
import KubeClient
import KubeModel
import ModelFetch

/// Reads the credentials a model names in `spec.archiveCredentials` for the operator's own
/// verification download. Errors are `CredentialsUnavailable` failures whose message says what
/// to fix; no value from the Secret ever reaches a message.
public protocol ArchiveCredentialsSource: Sendable {
    func credentials(namespace: String, secretName: String) async throws(ModelFetchError) -> ArchiveCredentials
}

/// `ArchiveCredentialsSource` over the API: one GET of the Secret per verification (no watch
/// and no cache of Secrets, so the operator holds no credential longer than a download).
public struct SecretCredentialsSource: ArchiveCredentialsSource {
    /// Reads the Secret from the API server.
    public let reader: any ClusterReader

    public init(reader: any ClusterReader) {
        self.reader = reader
    }

    /// Reads Secrets with one GET each through `client`.
    public init(client: RESTClient) {
        self.init(reader: APIClient(client: client))
    }

    public func credentials(namespace: String, secretName: String) async throws(ModelFetchError) -> ArchiveCredentials {
        let name = "Secret \(secretName) in namespace \(namespace)"
        let found: JSONValue?
        do {
            found = try await reader.get(.secrets, namespace: namespace, name: secretName)
        } catch let error as KubeAPIError where error.code == 403 {
            throw Self.unavailable("the operator may not read \(name): its ClusterRole needs get on secrets")
        } catch {
            throw Self.unavailable("cannot read \(name): \(error)")
        }
        guard let secret = found else {
            throw Self.unavailable("\(name) (spec.archiveCredentials.secretName) does not exist; create it with the key "
                + "authorization, token, or username and password")
        }
        var keys: [String: String] = [:]
        for (key, value) in secret["data"]?.objectValue ?? [:] {
            guard let encoded = value.stringValue, let data = Data(base64Encoded: encoded) else { continue }
            keys[key] = String(decoding: data, as: UTF8.self)
        }
        for (key, value) in secret["stringData"]?.objectValue ?? [:] {
            if let text = value.stringValue { keys[key] = text }
        }
        let parsed: ArchiveCredentials?
        do throws(ArchiveCredentialsError) { parsed = try ArchiveCredentials(keys: keys) } catch {
            throw Self.unavailable("\(name) \(error.problem)")
        }
        guard let parsed else {
            throw Self.unavailable("\(name) has none of the keys authorization, token, or username and password")
        }
        return parsed
    }

    private static func unavailable(_ detail: String) -> ModelFetchError {
        ModelFetchError(reason: .credentialsUnavailable, detail: detail)
    }
}
