import ModelAPI
import Testing

@Suite struct VersionOrderTests {
    static func file(_ version: String) -> InferenceModelFile {
        InferenceModelFile(version: version, downloadURL: "http://127.0.0.1/\(version).tar.gz",
                           sha256sum: String(repeating: "0", count: 64))
    }

    @Test(arguments: [
        ("9", "10"), ("2", "10"), ("1.9", "1.10"), ("1.2.9", "1.2.10"), ("1", "1.0"), ("1.0", "1.0.1"),
        ("99", "100"), ("0.9", "1"), ("1.2", "1.rc"), ("1.alpha", "1.beta"), ("1", "a"),
        ("18446744073709551615", "18446744073709551616"), ("007", "7"),
        // A pre-release sorts below its release (it sorted above before).
        ("1.0-rc1", "1.0"), ("1.0-rc1", "1.0-rc2"), ("1.0-alpha", "1.0-beta"), ("1.0", "1.1-beta"), ("2-rc.9", "2-rc.10"),
    ])
    func lowerVersionComesFirst(lower: String, higher: String) {
        #expect(ModelVersion(lower) < ModelVersion(higher))
        #expect(!(ModelVersion(higher) < ModelVersion(lower)))
    }

    @Test func sortingMixedVersionsFollowsTheDocumentedRule() {
        let versions = ["10", "9", "1.10", "1.9", "2", "1", "1.rc", "1.0", "beta", "alpha", "1.2.3"]
        let sorted = versions.map(ModelVersion.init).sorted().map(\.text)
        #expect(sorted == ["1", "1.0", "1.2.3", "1.9", "1.10", "1.rc", "2", "9", "10", "alpha", "beta"])
    }

    @Test func withoutTargetVersionTheHighestVersionIsServed() throws {
        let manifest = ["9", "10", "2"].map(Self.file)
        #expect(try VersionResolver.resolve(targetVersion: nil, in: manifest).version == "10")
        #expect(try VersionResolver.resolve(targetVersion: "", in: manifest).version == "10")
        let dotted = ["1.9", "1.10", "1.2"].map(Self.file)
        #expect(try VersionResolver.resolve(targetVersion: nil, in: dotted).version == "1.10")
    }

    @Test func targetVersionSelectsItsEntryExactly() throws {
        let manifest = ["3", "4"].map(Self.file)
        let entry = try VersionResolver.resolve(targetVersion: "3", in: manifest)
        #expect(entry == Self.file("3"))
        #expect(throws: VersionResolutionError.targetVersionNotFound(target: "03", available: ["3", "4"])) {
            try VersionResolver.resolve(targetVersion: "03", in: manifest)
        }
    }

    @Test func unknownTargetAndEmptyManifestAreTypedErrorsWithAFix() {
        #expect(throws: VersionResolutionError.emptyManifest) {
            try VersionResolver.resolve(targetVersion: nil, in: [])
        }
        let error = VersionResolutionError.targetVersionNotFound(target: "5", available: ["3", "4"])
        #expect(error.description == "spec.targetVersion \"5\" is not in spec.manifest (versions: 3, 4); set targetVersion to one of them or add a manifest entry for 5")
    }

    @Test func imageBasedSpecsHaveNoManifestEntryToServe() throws {
        var spec = InferenceModelSpec(modelName: "m", deployToLayer: .cloud, image: "localhost:5000/m:1",
                                      manifest: [Self.file("1")], servingPort: 80)
        #expect(throws: VersionResolutionError.emptyManifest) { try spec.resolveManifestEntry() }
        spec.image = nil
        #expect(try spec.resolveManifestEntry().version == "1")
    }
}
