import Foundation
import KubeClient
import KubeModel

/// Query options shared by create, update and patch (`dryRun`, `fieldValidation`, `fieldManager`, `force`).
struct WriteOptions: Sendable {
    var dryRun = false
    /// `Strict`, `Warn` or `Ignore` (default: `Warn`, as the real server).
    var fieldValidation = "Warn"
    var fieldManager: String?
    var force = false
    /// The applied configuration, for server-side apply (its fields are owned with operation `Apply`).
    var appliedConfiguration: JSONValue?
    /// Whether the write counts in the per-verb write counters (simulated controllers' writes do not).
    var counted = true
    /// Whether the body is already decoded as a client's body (types, unknown fields): the API
    /// handler decoded it for its `Warning` headers, or a simulated controller built it from
    /// objects the store holds (a ReplicaSet from its Deployment's template, a pod from its
    /// ReplicaSet's). The store then does not decode it again. A custom resource's decoded body
    /// has its schema's defaults and is pruned (``BodyDecoding``).
    var bodyIsDecoded = false

    /// Options for writes made by the simulation (kept out of the write counters).
    static let uncounted: WriteOptions = {
        var options = WriteOptions()
        options.counted = false
        return options
    }()

    /// Options for objects a simulated controller builds from stored ones: uncounted, and not decoded again.
    static let simulated: WriteOptions = {
        var options = WriteOptions.uncounted
        options.bodyIsDecoded = true
        return options
    }()
}

/// The body formats PATCH accepts.
enum PatchType: String, Sendable {
    case json = "application/json-patch+json"
    case merge = "application/merge-patch+json"
    case strategic = "application/strategic-merge-patch+json"
    case apply = "application/apply-patch+yaml"

    init?(contentType: String) {
        let base = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        if base == "application/apply-patch+cbor" { return nil }
        self.init(rawValue: base)
    }
}

/// What DELETE was asked to do with dependents and preconditions.
struct DeleteOptions: Sendable {
    /// `Background`, `Foreground` or `Orphan`.
    var propagationPolicy: String?
    var preconditionUID: String?
    var preconditionResourceVersion: String?
    var dryRun = false
    /// Whether the deletion counts in the per-verb write counters.
    var counted = true

    /// Options for deletions made by the simulation (kept out of the write counters).
    static let uncounted: DeleteOptions = {
        var options = DeleteOptions()
        options.counted = false
        return options
    }()

    init(propagationPolicy: String? = nil, preconditionUID: String? = nil, preconditionResourceVersion: String? = nil,
         dryRun: Bool = false) {
        self.propagationPolicy = propagationPolicy
        self.preconditionUID = preconditionUID
        self.preconditionResourceVersion = preconditionResourceVersion
        self.dryRun = dryRun
    }

    /// Reads a `DeleteOptions` body (and legacy `orphanDependents`).
    init(body: JSONValue?, query: [String: String]) {
        propagationPolicy = body?["propagationPolicy"]?.stringValue ?? query["propagationPolicy"]
        if propagationPolicy == nil, let orphan = body?["orphanDependents"]?.boolValue ?? query["orphanDependents"].map({ $0 == "true" }) {
            propagationPolicy = orphan ? "Orphan" : "Background"
        }
        preconditionUID = body?[path: ["preconditions", "uid"]]?.stringValue
        preconditionResourceVersion = body?[path: ["preconditions", "resourceVersion"]]?.stringValue
        dryRun = body?["dryRun"]?.arrayValue?.isEmpty == false || query["dryRun"] != nil
    }
}
