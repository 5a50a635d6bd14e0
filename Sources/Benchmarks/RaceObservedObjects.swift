import KubeModel
import ModelAPI

/// What the race's observer reads of an object it only counts (a Deployment or a Service): the
/// metadata. Decoding skips the rest, so the observer, which shares the machine with the
/// operator it measures, costs little CPU per event.
struct ObservedChild<Resource: KubeObject>: KubeObject {
    static var gvr: GroupVersionResource { Resource.gvr }
    static var gvk: GroupVersionKind { Resource.gvk }

    var apiVersion: String?
    var kind: String?
    var metadata: ObjectMeta
}

/// What the race's observer reads of an InferenceModel: its metadata, `status.url` and the
/// `Ready` condition.
struct ObservedModel: KubeObject {
    static var gvr: GroupVersionResource { InferenceModel.gvr }
    static var gvk: GroupVersionKind { InferenceModel.gvk }

    var apiVersion: String?
    var kind: String?
    var metadata: ObjectMeta
    var status: Status?

    struct Status: Codable, Sendable {
        var url: String?
        var conditions: [Condition]?

        /// Whether the `Ready` condition is present and True.
        var isReady: Bool {
            conditions?.contains { $0.type == ModelConditionType.ready.rawValue && $0.status == "True" } ?? false
        }
    }
}
