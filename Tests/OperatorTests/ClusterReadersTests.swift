import Controller
import Foundation
import KubeClient
import KubeModel
import Logging
import ModelAPI
import ModelFetch
@testable import Operator
import Testing

/// The verification gate's Secret reads, through a cluster in memory.
@Suite struct SecretCredentialsSourceTests {
    static func secret(_ name: String, _ data: [String: String]) -> JSONValue {
        ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": .string(name), "namespace": "a"],
         "data": .object(data.mapValues { .string(Data($0.utf8).base64EncodedString()) })]
    }

    @Test("the gate's download carries the token of the model's Secret")
    func tokenReachesTheDownload() async throws {
        let cluster = InMemoryCluster()
        try await cluster.seed(Self.secret("store", ["token": "token-a"]), in: .secrets)
        let verifier = ScriptedVerifier()
        let gate = VerificationGate(verifier: verifier, credentialsSource: SecretCredentialsSource(reader: cluster),
                                    requeue: { _ in })
        _ = await gate.state(of: VerificationGateTests.file("http://127.0.0.1:1/m.tgz"), for: ObjectKey("a/m"), records: [],
                             credentials: ArchiveCredentialsReference(secretName: "store"))
        try await VerificationGateTests.waitFor { verifier.started.count == 1 }
        #expect(verifier.credentials == ["Bearer token-a"])
    }

    @Test("a missing Secret, a Secret the operator may not read, and one without usable keys each say what to fix")
    func failuresSayWhatToFix() async throws {
        let cluster = InMemoryCluster()
        try await cluster.seed(Self.secret("empty", ["other": "x"]), in: .secrets)
        await cluster.failNext(.get, .secrets, name: "locked",
                               with: KubeAPIError.forbidden(.secrets, verb: "get", namespace: "a", name: "locked"))
        let source = SecretCredentialsSource(reader: cluster)
        func message(_ name: String) async -> String {
            do throws(ModelFetchError) {
                _ = try await source.credentials(namespace: "a", secretName: name)
                return "no error"
            } catch {
                #expect(error.reason == .credentialsUnavailable)
                return error.detail
            }
        }
        #expect(await message("missing").contains("Secret missing in namespace a (spec.archiveCredentials.secretName) does not exist"))
        #expect(await message("locked").contains("its ClusterRole needs get on secrets"))
        #expect(await message("empty").contains("has none of the keys authorization, token, or username and password"))
    }
}

/// The model directory: labelled ConfigMaps list the URLs of the namespace's serving models.
@Suite struct ModelDirectoryInMemoryTests {
    static func configMap(_ name: String, namespace: String = "vision", labelled: Bool) -> JSONValue {
        ["apiVersion": "v1", "kind": "ConfigMap",
         "metadata": ["name": .string(name), "namespace": .string(namespace),
                      "labels": labelled ? [ModelDirectory.label: "true"] : ["other": "x"]]]
    }

    @Test("a labelled ConfigMap gets each serving model's URL; an unlabelled one is not touched; a second look writes nothing")
    func directoryListsURLs() async throws {
        let cluster = InMemoryCluster()
        try await cluster.seed(Self.configMap("models", labelled: true), in: .configMaps)
        try await cluster.seed(Self.configMap("unrelated", labelled: false), in: .configMaps)
        var serving = ClusterScenario.imageModel("detector")
        serving.status = InferenceModelStatus(url: "http://detector.vision.svc:8080")
        try await cluster.seed(serving)
        try await cluster.seed(ClusterScenario.imageModel("idle"))
        let directory = ModelDirectory(cache: cluster, writer: cluster, interval: .milliseconds(1),
                                       logger: Logger(label: "test"))

        await directory.checkAll()
        try await VerificationGateTests.waitFor { await cluster.writes.count == 1 }
        let data = try await cluster.get(.configMaps, namespace: "vision", name: "models")?["data"]
        #expect(data == ["detector": "http://detector.vision.svc:8080"])
        #expect(try await cluster.get(.configMaps, namespace: "vision", name: "unrelated")?["data"] == nil)

        // A directory in a later namespace that lists a model no longer there: once it is
        // corrected, "vision" (looked at first) has been looked at too.
        var stale = Self.configMap("models", namespace: "zeta", labelled: true)
        stale["data"] = ["gone": "http://gone.zeta.svc:8080"]
        try await cluster.seed(stale, in: .configMaps)
        await cluster.forgetWrites()
        await directory.namespaceChanged("vision")
        await directory.namespaceChanged("zeta")
        try await VerificationGateTests.waitFor { await cluster.writes.count == 1 }
        #expect(await cluster.writes.map(\.description) == ["update configmaps zeta/models"])
        await directory.stop()
    }
}
