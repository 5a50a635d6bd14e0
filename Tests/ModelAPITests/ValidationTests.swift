import KubeModel
import ModelAPI
import Testing

@Suite struct ValidationTests {
    static let digest3 = "dec87e2f3c06e60e554acac0b2b80e394c616b0ecdf878fab7f04fd414a66eff"
    static let digest4 = "108a433a941411217e5d4bf9f43a262d0247a14c35ccbf677f63ba3b46ae6285"

    /// A valid manifest-based spec that each test breaks in one way.
    static func valid() -> InferenceModelSpec {
        InferenceModelSpec(
            modelName: "facialexpression", deployToLayer: .edge, frameworkType: "tensorflow",
            manifest: [
                InferenceModelFile(version: "3", downloadURL: "http://127.0.0.1:18080/m3.tar.gz", sha256sum: digest3),
                InferenceModelFile(version: "4", downloadURL: "https://127.0.0.1:18443/m4.tar.gz", sha256sum: digest4),
            ],
            targetVersion: "4", servingPort: 8080, replicas: 1)
    }

    /// The messages of the errors, in order.
    static func errors(_ spec: InferenceModelSpec) -> [String] {
        InferenceModelValidator.validate(spec).errors.map(\.message)
    }

    @Test func aValidSpecHasNoIssues() {
        #expect(InferenceModelValidator.validate(Self.valid()).isEmpty)
    }

    @Test func unknownTargetVersionListsTheVersionsAndTheFix() {
        var spec = Self.valid()
        spec.targetVersion = "5"
        let issues = InferenceModelValidator.validate(spec)
        #expect(issues.map(\.message) == [
            "spec.targetVersion \"5\" is not in spec.manifest (versions: 3, 4); set targetVersion to one of them or add a manifest entry for 5",
        ])
        #expect(issues.first?.field == "spec.targetVersion")
        #expect(issues.reason == .versionNotFound)
    }

    @Test func targetVersionMustMatchExactlyNotNumerically() {
        var spec = Self.valid()
        spec.targetVersion = "04"
        #expect(Self.errors(spec) == [
            "spec.targetVersion \"04\" is not in spec.manifest (versions: 3, 4); set targetVersion to one of them or add a manifest entry for 04",
        ])
    }

    @Test func shortSHA256SaysHowManyCharactersItGot() {
        var spec = Self.valid()
        spec.manifest?[1].sha256sum = "108a433a9414"
        #expect(Self.errors(spec) == [
            "spec.manifest[1].sha256sum must be 64 hexadecimal digits, got 12 characters; copy the full digest printed by sha256sum <archive>",
        ])
    }

    @Test func nonHexSHA256NamesTheOffendingCharacter() {
        var spec = Self.valid()
        spec.manifest?[0].sha256sum = "dec8g" + String(Self.digest3.dropFirst(5))
        #expect(Self.errors(spec) == [
            "spec.manifest[0].sha256sum must be 64 hexadecimal digits, but character 5 is \"g\"; copy the full digest printed by sha256sum <archive>",
        ])
    }

    @Test func upperCaseSHA256IsAccepted() {
        var spec = Self.valid()
        spec.manifest?[0].sha256sum = Self.digest3.uppercased()
        #expect(Self.errors(spec).isEmpty)
    }

    @Test func missingSHA256SaysWhereToGetIt() {
        var spec = Self.valid()
        spec.manifest?[0].sha256sum = ""
        #expect(Self.errors(spec) == [
            "spec.manifest[0].sha256sum is required; set the archive's SHA-256, the 64 hexadecimal digits printed by sha256sum <archive>",
        ])
    }

    @Test func unknownLayerSaysWhichLayersExist() {
        var spec = Self.valid()
        spec.deployToLayer = "fog"
        #expect(Self.errors(spec) == ["spec.deployToLayer \"fog\" is not a layer; set it to edge or cloud"])
        spec.deployToLayer = "Edge"
        #expect(Self.errors(spec) == ["spec.deployToLayer \"Edge\" is not a layer; set it to edge or cloud (lower case)"])
        spec.deployToLayer = ""
        #expect(Self.errors(spec) == ["spec.deployToLayer is required; set it to edge or cloud"])
    }

    @Test func neitherImageNorManifestSaysBothWays() {
        var spec = Self.valid()
        spec.manifest = nil
        spec.targetVersion = nil
        let issues = InferenceModelValidator.validate(spec)
        #expect(issues.map(\.message) == [
            "spec has neither image nor manifest; set spec.image to a serving image that contains the model, or list the model's archives in spec.manifest",
        ])
        #expect(issues.first?.field == "spec")
        spec.manifest = []
        #expect(Self.errors(spec).count == 1)
    }

    @Test func anImageAloneIsValidAndAnIgnoredManifestIsOnlyAWarning() {
        var spec = Self.valid()
        spec.image = "localhost:5000/models/facial:4"
        spec.targetVersion = "99"
        let issues = InferenceModelValidator.validate(spec)
        #expect(!issues.hasErrors)
        #expect(issues.warnings.map(\.message) == [
            "spec.manifest is ignored because spec.image is set; remove spec.image to serve from the manifest, or remove the manifest",
        ])
        spec.manifest = nil
        #expect(InferenceModelValidator.validate(spec).map(\.description) == [
            "warning: spec.targetVersion is ignored because spec.image is set",
        ])
    }

    @Test func portOutOfRangeSaysTheRange() {
        var spec = Self.valid()
        for port in [-1, 65536, 70000] {
            spec.servingPort = port
            #expect(Self.errors(spec) == ["spec.servingPort \(port) is out of range; set a port from 1 to 65535"])
        }
        spec.servingPort = 0
        #expect(Self.errors(spec) == [
            "spec.servingPort is required; set the port the model server listens on (1-65535), such as 8080",
        ])
        for port in [1, 65535] {
            spec.servingPort = port
            #expect(Self.errors(spec).isEmpty)
        }
    }

    @Test func negativeReplicasAreRejectedAndZeroIsAllowed() {
        var spec = Self.valid()
        spec.replicas = -1
        #expect(Self.errors(spec) == [
            "spec.replicas -1 must not be negative; set 0 to stop serving, or the number of replicas to run",
        ])
        spec.replicas = 0
        #expect(Self.errors(spec).isEmpty)
        spec.replicas = nil
        #expect(spec.effectiveReplicas == 1)
    }

    @Test func duplicateVersionsPointAtTheFirstEntry() {
        var spec = Self.valid()
        spec.manifest?.append(InferenceModelFile(version: "3", downloadURL: "http://127.0.0.1/x.tar.gz", sha256sum: Self.digest4))
        #expect(Self.errors(spec) == [
            "spec.manifest[2].version \"3\" is listed twice (also spec.manifest[0]); give each entry its own version",
        ])
    }

    @Test func versionsMustBeNamesThatFitADirectory() {
        var spec = Self.valid()
        spec.manifest?[0].version = ""
        spec.manifest?[1].version = "4/../x"
        spec.targetVersion = nil
        #expect(Self.errors(spec) == [
            "spec.manifest[0].version is required; name the version, such as \"1\"",
            "spec.manifest[1].version \"4/../x\" contains \"/\"; use letters, digits, \".\", \"-\" and \"_\", such as \"4\" or \"1.10\"",
        ])
    }

    @Test func downloadURLMustBeHTTPWithAHost() {
        var spec = Self.valid()
        spec.manifest?[0].downloadURL = ""
        spec.manifest?[1].downloadURL = "ftp://127.0.0.1/m4.tar.gz"
        let issues = InferenceModelValidator.validate(spec)
        #expect(issues.map(\.message) == [
            "spec.manifest[0].downloadURL is required; set the http or https URL of the version's archive",
            "spec.manifest[1].downloadURL \"ftp://127.0.0.1/m4.tar.gz\" must be an http or https URL, not ftp; such as https://models.example.com/facial-4.tar.gz",
        ])
        #expect(issues.reason == .invalidURL)
        spec.manifest?[0].downloadURL = "http:///m3.tar.gz"
        spec.manifest?[1].downloadURL = "model.tar.gz"
        #expect(Self.errors(spec) == [
            "spec.manifest[0].downloadURL \"http:///m3.tar.gz\" has no host; such as https://models.example.com/facial-4.tar.gz",
            "spec.manifest[1].downloadURL \"model.tar.gz\" is not a URL; set an http or https URL, such as https://models.example.com/facial-4.tar.gz",
        ])
    }

    @Test func badQuantitiesInResourcesAndGPUSayHowToWriteOne() {
        var spec = Self.valid()
        spec.resources = ServingResources(requests: ["cpu": "lots", "memory": "4Gi"], limits: ["memory": "2Gi"])
        spec.gpu = GPURequirements(memory: "6GB")
        #expect(Self.errors(spec) == [
            "spec.resources.requests.cpu \"lots\" is not a quantity: it does not start with a number; write a number with an optional suffix, such as 500m, 2, 512Mi or 6Gi",
            "spec.resources.requests.memory 4Gi exceeds spec.resources.limits.memory 2Gi; raise the limit or lower the request",
            "spec.gpu.memory \"6GB\" is not a quantity: unknown suffix \"GB\" (use one of Ki Mi Gi Ti Pi Ei, n u m k M G T P E, or e<exponent>); write a number with an optional suffix, such as 500m, 2, 512Mi or 6Gi",
        ])
        spec.resources = ServingResources(limits: ["cpu": "-1"])
        spec.gpu = GPURequirements(memory: "0")
        #expect(Self.errors(spec) == [
            "spec.resources.limits.cpu -1 must not be negative",
            "spec.gpu.memory 0 must be more than 0; set the GPU memory each replica needs, such as 6Gi, or remove it to accept any GPU",
        ])
    }

    @Test func gpuProductsAndArchitecturesMustMatchNodeLabels() {
        var spec = Self.valid()
        spec.gpu = GPURequirements(memory: "6Gi", products: ["Tesla-T4", "Tesla T4", "Tesla-T4"])
        spec.architectures = ["amd64", "aarch64", "sparc", "amd64"]
        #expect(Self.errors(spec) == [
            "spec.gpu.products[1] \"Tesla T4\" cannot match the nvidia.com/gpu.product node label: it contains \" \"; use letters, digits, \"-\", \"_\" and \".\"; write it as the label does, such as Tesla-T4",
            "spec.gpu.products[2] \"Tesla-T4\" is listed twice; list each product once",
            "spec.architectures[1] \"aarch64\" is not a Kubernetes architecture name; use arm64",
            "spec.architectures[2] \"sparc\" is not a Kubernetes architecture name; use one of amd64, arm64, arm, 386, ppc64le, s390x, riscv64, loong64, mips64le",
            "spec.architectures[3] \"amd64\" is listed twice; list each architecture once",
        ])
    }

    @Test func nodeSelectionFieldsFollowKubernetesSyntax() {
        var spec = Self.valid()
        spec.nodeSelector = ["kubernetes.io/hostname": "precision 5820", "bad key!": "x"]
        spec.nodeName = "Precision_5820"
        #expect(Self.errors(spec) == [
            "spec.nodeSelector key \"bad key!\" is not a label key: it contains \" \"; use letters, digits, \"-\", \"_\" and \".\"",
            "spec.nodeSelector.kubernetes.io/hostname \"precision 5820\" is not a label value: it contains \" \"; use letters, digits, \"-\", \"_\" and \".\"",
            "spec.nodeName \"Precision_5820\" is not a node name: it contains \"P\"; use lower-case letters, digits and \"-\"; use the name kubectl get nodes shows",
        ])
    }

    @Test func tolerationsFollowKubernetesRules() {
        var spec = Self.valid()
        spec.tolerations = [
            ModelToleration(key: "node-role.kubernetes.io/edge", operator: "Exists", effect: "NoSchedule"),
            ModelToleration(operator: "Equal", value: "x"),
            ModelToleration(key: "k", operator: "Exists", value: "v", effect: "Sometimes", tolerationSeconds: 30),
            ModelToleration(operator: "Exists"),
        ]
        let everyTaint = "is empty, which would tolerate every taint (including those that keep workloads off control-plane and reserved nodes); name the taint key to tolerate, such as node-role.kubernetes.io/edge"
        #expect(Self.errors(spec) == [
            "spec.tolerations[1].key \(everyTaint)",
            "spec.tolerations[2].value must be empty when the operator is Exists; remove the value or use operator: Equal",
            "spec.tolerations[2].effect \"Sometimes\" is not a taint effect; use NoSchedule, PreferNoSchedule or NoExecute, or leave it out to match every effect",
            "spec.tolerations[2].tolerationSeconds applies only to effect NoExecute; set effect: NoExecute or remove tolerationSeconds",
            "spec.tolerations[3].key \(everyTaint)",
        ])
    }

    @Test func modelNameIsRequiredAndMustFitADirectory() {
        var spec = Self.valid()
        spec.modelName = ""
        #expect(Self.errors(spec) == ["spec.modelName is required; set it to the model's name, such as facialexpression"])
        spec.modelName = "../etc"
        #expect(Self.errors(spec) == [
            "spec.modelName \"../etc\" contains \"/\"; use letters, digits, \"-\", \"_\" and \".\"",
        ])
    }

    @Test func theModelNameMustBeAServiceName() {
        let model = InferenceModel(metadata: ObjectMeta(name: "Facial_Expression"), spec: Self.valid())
        #expect(InferenceModelValidator.validate(model).map(\.message) == [
            "metadata.name \"Facial_Expression\" cannot name the model's Service: it contains \"F\"; use lower-case letters, digits and \"-\"; use at most 63 lower-case letters, digits and \"-\", starting with a letter",
        ])
    }

    @Test(arguments: [
        ("1model", "it must start with a lower-case letter"),
        ("facial.expression", "it contains \".\"; use lower-case letters, digits and \"-\""),
        ("facial-", "it must start and end with a lower-case letter or digit"),
        (String(repeating: "m", count: 64), "it is longer than 63 characters"),
    ])
    func serviceNameProblemsAreNamed(name: String, problem: String) {
        let model = InferenceModel(metadata: ObjectMeta(name: name), spec: Self.valid())
        let messages = InferenceModelValidator.validate(model).map(\.message)
        #expect(messages.count == 1)
        #expect(messages.first?.hasPrefix("metadata.name \"\(name)\" cannot name the model's Service: \(problem);") == true, "\(messages)")
    }

    @Test func validNamesPass() {
        var spec = Self.valid()
        spec.nodeName = "edge-node-1.example.local"
        spec.nodeSelector = ["node-role.kubernetes.io/edge": "", "topology.kubernetes.io/zone": "zone_a.1"]
        let model = InferenceModel(metadata: ObjectMeta(name: "facial-expression-2"), spec: spec)
        #expect(InferenceModelValidator.validate(model).isEmpty)
        spec.nodeName = "edge..node"
        #expect(Self.errors(spec) == [
            "spec.nodeName \"edge..node\" is not a node name: it has an empty part; use the name kubectl get nodes shows",
        ])
    }

    @Test func sizesTheCRDLimitsAreCheckedToo() {
        var spec = Self.valid()
        spec.frameworkType = String(repeating: "t", count: 64)
        spec.manifest = (1...65).map { InferenceModelFile(version: "\($0)", downloadURL: "http://127.0.0.1/\($0).tar.gz", sha256sum: Self.digest3) }
        spec.manifest?[0].downloadURL = "http://127.0.0.1/" + String(repeating: "a", count: 2048)
        #expect(Self.errors(spec) == [
            "spec.manifest has 65 entries, more than 64; keep the versions you may serve or roll back to, and remove older ones",
            "spec.manifest[0].downloadURL is longer than 2048 characters; serve the archive from a shorter URL",
            "spec.frameworkType is longer than 63 characters; use a name such as tensorflow, pytorch or onnx",
        ])
    }

    @Test func severalProblemsAreSummarisedInOneConditionMessage() {
        var spec = Self.valid()
        spec.servingPort = 70000
        spec.replicas = -2
        let issues = InferenceModelValidator.validate(spec)
        #expect(issues.summary == "2 problems: spec.servingPort 70000 is out of range; set a port from 1 to 65535; "
            + "spec.replicas -2 must not be negative; set 0 to stop serving, or the number of replicas to run")
        #expect(issues.reason == .invalidSpec)
    }
}
