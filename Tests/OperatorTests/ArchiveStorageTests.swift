import Foundation
import KubeClient
import KubeModel
import ModelAPI
import ModelFetch
@testable import Operator
import Testing

@Suite("Where pods keep the archive, how big their volume is, and how credentials reach them")
struct ArchiveStorageTests {
    let settings = OperatorSettings(fetchImage: "model-operator:test")

    func pod(_ model: InferenceModel, storage: ArchiveStorage) throws -> PodSpec {
        let state = DesiredState.render(model: model, choice: .verifiedArchive(RenderFixtures.version4),
                                        scheduling: .byScheduler, settings: settings, storage: storage)
        return try #require(state.deployments.first?.spec?.template.spec)
    }

    @Test("by default the pod passes PodSecurity restricted: no hostPath, every container non-root")
    func podModeByDefault() throws {
        let pod = try pod(RenderFixtures.model(), storage: ArchiveStorage())
        #expect(pod.volumes?.contains { $0.hostPath != nil } == false)
        #expect(pod.initContainers?.map(\.name) == [ContainerRenderer.fetchContainerName])
        let fetch = try #require(pod.initContainers?.first)
        #expect(fetch.args?.contains("--cache-dir") == false)
        #expect(fetch.volumeMounts?.map(\.name) == [ContainerRenderer.modelsVolume])
        for container in pod.containers + (pod.initContainers ?? []) {
            #expect(container.securityContext?.runAsNonRoot == true, "\(container.name)")
        }
    }

    @Test("node mode: a hostPath cache that a root prepare-cache container with only CHOWN gives to the fetch user")
    func nodeMode() throws {
        let pod = try pod(RenderFixtures.model(), storage: ArchiveStorage(cache: .node))
        #expect(pod.volumes?.first { $0.name == ContainerRenderer.cacheVolume }?.hostPath?.path == settings.cacheHostPath)
        #expect(pod.initContainers?.map(\.name) == [ContainerRenderer.prepareCacheContainerName, ContainerRenderer.fetchContainerName])
        let prepare = try #require(pod.initContainers?.first)
        #expect(prepare.args == ["fetch", "--prepare-cache", "--cache-dir", ContainerRenderer.cachePath, "--cache-owner", "65532"])
        #expect(prepare.securityContext?.capabilities == Capabilities(add: ["CHOWN"], drop: ["ALL"]))
        #expect(prepare.securityContext?.allowPrivilegeEscalation == false)
        let fetch = try #require(pod.initContainers?.last)
        #expect(fetch.args?.contains("--cache-dir") == true)
        #expect(fetch.securityContext?.runAsUser == ContainerRenderer.fetchUser)
    }

    @Test("the models volume and the fetch limits follow the verified archive's size, within --model-volume-size")
    func sizedFromTheArchive() throws {
        let mib: Int64 = 1 << 20
        let small = try pod(RenderFixtures.model(), storage: ArchiveStorage(cache: .pod, archiveBytes: 100 * mib))
        // 100 MiB archive: unpacks to at most 4 × 100 + 256 MiB; in pod mode the download sits beside it.
        #expect(small.volumes?.first { $0.name == ContainerRenderer.modelsVolume }?.emptyDir?.sizeLimit == "756Mi")
        let args = try #require(small.initContainers?.first?.args)
        #expect(args.contains(["--max-size", String(100 * mib)]))
        #expect(args.contains(["--max-extracted-size", String(656 * mib)]))
        let cached = try pod(RenderFixtures.model(), storage: ArchiveStorage(cache: .node, archiveBytes: 100 * mib))
        #expect(cached.volumes?.first { $0.name == ContainerRenderer.modelsVolume }?.emptyDir?.sizeLimit == "656Mi")
        let huge = try pod(RenderFixtures.model(), storage: ArchiveStorage(cache: .pod, archiveBytes: 50 << 30))
        #expect(huge.volumes?.first { $0.name == ContainerRenderer.modelsVolume }?.emptyDir?.sizeLimit == settings.modelVolumeSizeLimit)
        let unknown = try pod(RenderFixtures.model(), storage: ArchiveStorage())
        #expect(unknown.volumes?.first { $0.name == ContainerRenderer.modelsVolume }?.emptyDir?.sizeLimit == settings.modelVolumeSizeLimit)
        #expect(unknown.initContainers?.first?.args?.contains("--max-extracted-size") == false)
    }

    @Test("credentials reach the fetch container as optional Secret references, never as values or arguments")
    func credentialsFromTheSecret() throws {
        var model = RenderFixtures.model()
        model.spec.archiveCredentials = ArchiveCredentialsReference(secretName: "model-store")
        let fetch = try #require(try pod(model, storage: ArchiveStorage()).initContainers?.first)
        let env = try #require(fetch.env)
        #expect(env.map(\.name) == ArchiveCredentialKeys.all.map(\.variable))
        for variable in env {
            #expect(variable.value == nil)
            #expect(variable.valueFrom?[path: ["secretKeyRef", "name"]]?.stringValue == "model-store")
            #expect(variable.valueFrom?[path: ["secretKeyRef", "optional"]]?.boolValue == true)
        }
        #expect(try pod(RenderFixtures.model(), storage: ArchiveStorage()).initContainers?.first?.env == nil)
    }

    @Test("the cache mode: the model's choice, else the namespace label, else Pod; PodSecurity baseline or restricted overrides Node")
    func cacheChoice() {
        var model = RenderFixtures.model()
        #expect(ArchiveStorage.cacheChoice(for: model, namespaceLabels: nil).mode == .pod)
        #expect(ArchiveStorage.cacheChoice(for: model, namespaceLabels: [ArchiveCacheMode.namespaceLabel: "Node"]).mode == .node)
        model.spec.archiveCache = "Pod"
        #expect(ArchiveStorage.cacheChoice(for: model, namespaceLabels: [ArchiveCacheMode.namespaceLabel: "Node"]).mode == .pod)
        model.spec.archiveCache = "Node"
        let privileged = ArchiveStorage.cacheChoice(for: model, namespaceLabels: ["pod-security.kubernetes.io/enforce": "privileged"])
        #expect(privileged.mode == .node)
        #expect(privileged.message.contains("spec.archiveCache"))
        for level in ["baseline", "restricted"] {
            let refused = ArchiveStorage.cacheChoice(for: model, namespaceLabels: ["pod-security.kubernetes.io/enforce": level])
            #expect(refused.mode == .pod)
            #expect(refused.message.contains("enforces PodSecurity \(level), which forbids hostPath"), "\(refused.message)")
        }
    }

    @Test("a wrong archiveCache or secret name is an InvalidSpec that says the fix")
    func validation() {
        var spec = RenderFixtures.model().spec
        spec.archiveCache = "node"
        spec.archiveCredentials = ArchiveCredentialsReference(secretName: "Bad_Name")
        let issues = InferenceModelValidator.validate(spec)
        #expect(issues.contains { $0.field == "spec.archiveCache" && $0.message.contains("(spelled Node)") })
        #expect(issues.contains { $0.field == "spec.archiveCredentials.secretName" && $0.message.contains("not a Secret name") })
    }
}
