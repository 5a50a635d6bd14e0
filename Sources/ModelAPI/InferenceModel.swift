import KubeModel

/// The InferenceModel custom resource (`ai.kubeedge.io/v1alpha1`): one model served on edge or
/// cloud nodes, from a serving image or from a manifest of verified archives.
///
/// Encodes to the JSON the API server stores, without nulls for absent optionals. Decode with
/// `InferenceModel.decode(from:)` to get a readable error for a malformed object. A `KubeObject`,
/// so KubeClient's typed verbs and watches work with it.
public struct InferenceModel: KubeObject, Hashable {
    /// `ai.kubeedge.io`.
    public static let group = "ai.kubeedge.io"
    /// `v1alpha1`.
    public static let version = "v1alpha1"
    /// `ai.kubeedge.io/v1alpha1`.
    public static let groupVersion = "\(group)/\(version)"
    /// `InferenceModel`.
    public static let kindName = "InferenceModel"
    /// The REST resource, `inferencemodels.v1alpha1.ai.kubeedge.io`.
    public static let resource = GroupVersionResource.inferenceModels

    /// `ai.kubeedge.io/v1alpha1` (filled in when absent).
    public var apiVersion: String?
    /// `InferenceModel` (filled in when absent).
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: InferenceModelSpec
    public var status: InferenceModelStatus?

    public init(metadata: ObjectMeta, spec: InferenceModelSpec, status: InferenceModelStatus? = nil) {
        self.apiVersion = InferenceModel.groupVersion
        self.kind = InferenceModel.kindName
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, spec, status }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try container.decodeIfPresentNonNull(String.self, forKey: .apiVersion) ?? InferenceModel.groupVersion
        kind = try container.decodeIfPresentNonNull(String.self, forKey: .kind) ?? InferenceModel.kindName
        metadata = try container.decodeIfPresentNonNull(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        spec = try container.decodeIfPresentNonNull(InferenceModelSpec.self, forKey: .spec)
            ?? InferenceModelSpec(modelName: "", deployToLayer: "", servingPort: 0)
        status = try container.decodeIfPresentNonNull(InferenceModelStatus.self, forKey: .status)
    }

    public static var gvr: GroupVersionResource { resource }
    public static var gvk: GroupVersionKind { GroupVersionKind(apiVersion: groupVersion, kind: kindName) }
}

extension InferenceModel {
    /// Decodes an InferenceModel from a JSON value (a watch event, a YAML document).
    ///
    /// A value of the wrong type (`servingPort: "http"`) becomes an `InferenceModelDecodingError`
    /// naming the field, such as `spec.servingPort must be an integer`.
    public static func decode(from json: JSONValue) throws(InferenceModelDecodingError) -> InferenceModel {
        do {
            return try json.decode(as: InferenceModel.self)
        } catch let error as DecodingError {
            throw InferenceModelDecodingError(error)
        } catch {
            throw InferenceModelDecodingError(field: "", message: "the object is not valid JSON: \(error)")
        }
    }

    /// The model as a JSON value, without nulls for absent optionals.
    public func jsonValue() throws -> JSONValue {
        try JSONValue(encoding: self)
    }
}
