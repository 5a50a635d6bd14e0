/// Names the field a decoding error is about (`spec.template.spec.containers[0].name: missing`),
/// for messages about objects that did not decode (lists, watches, responses).
package enum DecodingErrorDescription {
    /// The field path and what was wrong with it; the error's own text for other errors.
    package static func text(for error: Error) -> String {
        func pathText(_ path: [CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }
                .description
        }
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(pathText(context.codingPath + [key])): missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(pathText(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
