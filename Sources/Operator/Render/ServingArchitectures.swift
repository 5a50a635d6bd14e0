import ModelAPI

/// The CPU architectures a model's serving pods may run on: what the serving image is built for,
/// narrowed by `spec.architectures`. One rule for rendering the node affinity and for placement.
struct ServingArchitectures: Sendable, Equatable {
    /// The allowed `kubernetes.io/arch` values, sorted; empty allows any.
    var allowed: [String]
    /// Set when `spec.architectures` and the serving image have no architecture in common.
    var conflict: String?

    init(model: InferenceModel, settings: OperatorSettings, imageBased: Bool) {
        let spec = model.spec
        let requested = spec.architectures ?? []
        let frameworkName = spec.frameworkType ?? "tensorflow"
        let runtime = spec.frameworkType.flatMap(settings.runtimes.runtime(for:)) ?? settings.runtimes.runtime(for: "tensorflow")
        let built = imageBased ? [] : runtime?.architectures(gpu: spec.needsGPU) ?? []
        switch (requested.isEmpty, built.isEmpty) {
        case (true, _):
            allowed = built.sorted()
        case (false, true):
            allowed = requested.sorted()
        case (false, false):
            allowed = Set(requested).intersection(built).sorted()
            if allowed.isEmpty {
                allowed = requested.sorted()
                conflict = "spec.architectures asks for \(requested.sorted().joined(separator: ", ")), but the "
                    + "\(frameworkName) serving image is built for \(built.sorted().joined(separator: ", ")) only; "
                    + "widen spec.architectures or serve the model from an image built for it (spec.image)"
            }
        }
    }
}
