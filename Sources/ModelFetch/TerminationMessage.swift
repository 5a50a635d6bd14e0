import KubeModel

/// The text `model-operator fetch` leaves in the container's termination-message file:
/// `<Reason>: <message>`, at most 4096 bytes (the kubelet's limit). The operator reads it back
/// from the pod status with `parse` to set its condition.
public enum TerminationMessage {
    public static let maxBytes = 4096

    /// The message's control characters (CR, LF, ESC…) are escaped, so nothing in it can forge
    /// another line, and any URL in it is redacted.
    public static func format(reason: String, message: String) -> String {
        let safe = DisplayText.sanitized(URLRedaction.redactURLs(in: message), maxScalars: maxBytes)
        var text = "\(reason): \(safe)"
        while text.utf8.count > maxBytes { text.removeLast() }
        return text
    }

    /// The reason and message of a termination message; nil when it has no `Reason: ` prefix.
    public static func parse(_ text: String) -> (reason: String, message: String)? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let reason = String(text[..<colon])
        guard !reason.isEmpty, reason.allSatisfy({ $0.isLetter || $0.isNumber }) else { return nil }
        let message = text[text.index(after: colon)...].drop { $0 == " " }
        return (reason, String(message))
    }
}
