import KubeClient
import ModelAPI
import ModelFetch
@testable import Operator
import Testing

/// What a tenant's downloadURL may reach, through the operator and through the pods' fetch.
@Suite struct DownloadPolicyChoiceTests {
    @Test func inAPodTheAPIServerAndLoopbackAreDenied() throws {
        let choice = DownloadPolicyChoice(allow: [], deny: [], apiServerHost: "10.96.0.1", inCluster: true)
        let policy = try choice.policy()
        #expect(policy.deniesLoopback)
        #expect(policy.deniedNetworks.contains { $0.description == "10.96.0.1/32" })
        #expect(policy.deniedNetworks.contains { $0.description == "168.63.129.16/32" }, "Azure's metadata address")
        #expect(choice.fetchArguments == ["--deny-download", "10.96.0.1/32", "--deny-loopback"])
    }

    @Test func outOfAClusterLoopbackStaysOpenForTheDemoAndTests() throws {
        let choice = DownloadPolicyChoice(allow: [], deny: [], apiServerHost: "127.0.0.1", inCluster: false)
        #expect(try !choice.policy().deniesLoopback)
        #expect(choice.fetchArguments.isEmpty)
        let strict = DownloadPolicyChoice(allow: [], deny: [], apiServerHost: "127.0.0.1", inCluster: false, denyLoopback: true)
        #expect(strict.fetchArguments == ["--deny-download", "127.0.0.1/32", "--deny-loopback"])
    }

    @Test func whatAnAdministratorAllowsIsNotDeniedByDefault() {
        let choice = DownloadPolicyChoice(allow: ["10.96.0.0/16"], deny: ["10.0.0.0/8"], apiServerHost: "10.96.0.1",
                                          inCluster: true)
        #expect(choice.deny == ["10.0.0.0/8"])
        #expect(choice.fetchArguments == ["--allow-download", "10.96.0.0/16", "--deny-download", "10.0.0.0/8", "--deny-loopback"])
    }

    @Test func theFetchInitContainerGetsTheOperatorsPolicy() throws {
        var settings = OperatorSettings()
        settings.downloadPolicy = DownloadPolicyChoice(allow: [], deny: [], apiServerHost: "10.96.0.1", inCluster: true)
        let state = DesiredState.render(model: RenderFixtures.model(), choice: .verifiedArchive(RenderFixtures.version4),
                                        scheduling: .byScheduler, settings: settings)
        let args = try #require(state.deployments.first?.spec?.template.spec?.initContainers?.first?.args)
        #expect(args.suffix(3) == ["--deny-download", "10.96.0.1/32", "--deny-loopback"])
    }
}
