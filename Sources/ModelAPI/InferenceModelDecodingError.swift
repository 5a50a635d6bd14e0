/// An InferenceModel that could not be decoded, with the field at fault and what was expected.
public struct InferenceModelDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field path, such as `spec.manifest[1].version`; empty for the whole object.
    public var field: String
    /// A sentence that names the field and what it must be.
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    /// Turns a Swift `DecodingError` into a message that names the field in the API's terms.
    public init(_ error: DecodingError) {
        switch error {
        case .typeMismatch(let type, let context):
            let path = InferenceModelDecodingError.path(context.codingPath)
            self.init(field: path, message: "\(InferenceModelDecodingError.subject(path)) must be \(InferenceModelDecodingError.describe(type)); fix its value in the YAML")
        case .valueNotFound(let type, let context):
            let path = InferenceModelDecodingError.path(context.codingPath)
            self.init(field: path, message: "\(InferenceModelDecodingError.subject(path)) must be \(InferenceModelDecodingError.describe(type)), but it is null; set a value or remove the key")
        case .keyNotFound(let key, let context):
            let path = InferenceModelDecodingError.path(context.codingPath + [key])
            self.init(field: path, message: "\(path) is required; add it")
        case .dataCorrupted(let context):
            let path = InferenceModelDecodingError.path(context.codingPath)
            self.init(field: path, message: "\(InferenceModelDecodingError.subject(path)) is malformed: \(context.debugDescription)")
        @unknown default:
            self.init(field: "", message: "the object could not be decoded: \(error)")
        }
    }

    public var description: String { message }

    /// `spec.manifest[1].version` from a coding path.
    static func path(_ codingPath: [CodingKey]) -> String {
        var result = ""
        for key in codingPath {
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                result += result.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return result
    }

    private static func subject(_ path: String) -> String {
        path.isEmpty ? "the object" : path
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int64.Type, is Int32.Type: return "an integer"
        case is Bool.Type: return "true or false"
        case is String.Type: return "a string"
        case is Double.Type: return "a number"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return "a map" }
            return "an object"
        }
    }
}
