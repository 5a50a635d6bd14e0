/// Checks an InferenceModel against the API's rules and explains every problem.
///
/// Pure: it takes the decoded spec and returns issues, each naming the field, what is wrong and
/// how to fix it. It mirrors the CRD's schema and CEL rules (so a model applied past an API
/// server without them, or rendered offline, gets the same answers) and adds the checks a
/// schema cannot express (quantities, request versus limit, label syntax, duplicate versions).
public enum InferenceModelValidator {
    /// Every issue of the spec, in field order.
    public static func validate(_ spec: InferenceModelSpec) -> [ValidationIssue] {
        var issues = IssueList()
        validateIdentity(spec, into: &issues)
        validateSource(spec, into: &issues)
        validateServing(spec, into: &issues)
        ResourceValidation.validate(resources: spec.resources, gpu: spec.gpu, into: &issues)
        SchedulingValidation.validate(spec, into: &issues)
        ArchiveAccessValidation.validate(spec, into: &issues)
        return issues.items
    }

    /// Every issue of the model: its name, then its spec.
    public static func validate(_ model: InferenceModel) -> [ValidationIssue] {
        var issues = IssueList()
        if let name = model.metadata.name, let problem = KubernetesSyntax.dns1035LabelProblem(name) {
            issues.error("metadata.name", "metadata.name \"\(name)\" cannot name the model's Service: \(problem); use at most 63 lower-case letters, digits and \"-\", starting with a letter")
        }
        return issues.items + validate(model.spec)
    }

    private static func validateIdentity(_ spec: InferenceModelSpec, into issues: inout IssueList) {
        if spec.modelName.isEmpty {
            issues.error("spec.modelName", "spec.modelName is required; set it to the model's name, such as facialexpression")
        } else if let problem = modelNameProblem(spec.modelName) {
            issues.error("spec.modelName", "spec.modelName \"\(spec.modelName)\" \(problem); use letters, digits, \"-\", \"_\" and \".\"")
        }
        let layer = spec.deployToLayer
        if layer.rawValue.isEmpty {
            issues.error("spec.deployToLayer", "spec.deployToLayer is required; set it to edge or cloud")
        } else if !layer.isKnown {
            let hint = DeployLayer.known.contains(DeployLayer(rawValue: layer.rawValue.lowercased())) ? " (lower case)" : ""
            issues.error("spec.deployToLayer", "spec.deployToLayer \"\(layer.rawValue)\" is not a layer; set it to edge or cloud\(hint)")
        }
    }

    /// The model name becomes a directory and the serving container's model name.
    private static func modelNameProblem(_ name: String) -> String? {
        if name.utf8.count > 253 { return "is longer than 253 characters" }
        if let bad = name.unicodeScalars.first(where: { !isNameCharacter($0) }) {
            return "contains \"\(bad)\""
        }
        if name.hasPrefix(".") || name.hasPrefix("-") { return "must start with a letter, digit or \"_\"" }
        return nil
    }

    static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
            || scalar == "-" || scalar == "_" || scalar == "."
    }

    private static func validateSource(_ spec: InferenceModelSpec, into issues: inout IssueList) {
        let manifest = spec.manifest ?? []
        if let image = spec.image {
            if image.unicodeScalars.contains(where: { $0.properties.isWhitespace }) {
                issues.error("spec.image", "spec.image \"\(image)\" contains whitespace; set an image reference such as registry.example.com/models/facial:4")
            }
            if !manifest.isEmpty {
                issues.warning("spec.manifest", "spec.manifest is ignored because spec.image is set; remove spec.image to serve from the manifest, or remove the manifest")
            } else if spec.targetVersion != nil {
                issues.warning("spec.targetVersion", "spec.targetVersion is ignored because spec.image is set")
            }
        } else if manifest.isEmpty {
            issues.error("spec", "spec has neither image nor manifest; set spec.image to a serving image that contains the model, or list the model's archives in spec.manifest")
        }
        ManifestValidation.validate(manifest, into: &issues)
        if spec.image == nil, !manifest.isEmpty, let target = spec.targetVersion,
           !manifest.contains(where: { $0.version == target }) {
            let error = VersionResolutionError.targetVersionNotFound(
                target: target, available: VersionResolver.sortedVersions(manifest))
            issues.error("spec.targetVersion", error.description, reason: .versionNotFound)
        }
    }

    private static func validateServing(_ spec: InferenceModelSpec, into issues: inout IssueList) {
        if spec.servingPort == 0 {
            issues.error("spec.servingPort", "spec.servingPort is required; set the port the model server listens on (1-65535), such as 8080")
        } else if !(1...65535).contains(spec.servingPort) {
            issues.error("spec.servingPort", "spec.servingPort \(spec.servingPort) is out of range; set a port from 1 to 65535")
        }
        if let replicas = spec.replicas, replicas < 0 {
            issues.error("spec.replicas", "spec.replicas \(replicas) must not be negative; set 0 to stop serving, or the number of replicas to run")
        } else if let replicas = spec.replicas, replicas > InferenceModelSpec.maximumReplicas {
            issues.error("spec.replicas", "spec.replicas \(replicas) is more than \(InferenceModelSpec.maximumReplicas); set at most \(InferenceModelSpec.maximumReplicas) replicas")
        }
        if let framework = spec.frameworkType {
            if framework.unicodeScalars.contains(where: { $0.properties.isWhitespace }) {
                issues.error("spec.frameworkType", "spec.frameworkType \"\(framework)\" contains whitespace; use a name such as tensorflow, pytorch or onnx")
            } else if framework.count > 63 {
                issues.error("spec.frameworkType", "spec.frameworkType is longer than 63 characters; use a name such as tensorflow, pytorch or onnx")
            }
        }
    }
}

/// Issues collected in the order they are found.
struct IssueList {
    private(set) var items: [ValidationIssue] = []

    mutating func error(_ field: String, _ message: String, reason: ModelConditionReason = .invalidSpec) {
        items.append(ValidationIssue(field: field, message: message, severity: .error, reason: reason))
    }

    mutating func warning(_ field: String, _ message: String) {
        items.append(ValidationIssue(field: field, message: message, severity: .warning))
    }
}
