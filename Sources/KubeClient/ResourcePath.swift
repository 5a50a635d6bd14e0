import KubeModel

/// Builds server-relative request paths: `/apis/apps/v1/namespaces/default/deployments/x/status?fieldManager=y`.
public enum ResourcePath {
    /// The path of a collection (no name) or an object (with name), optionally a subresource of it.
    public static func path(_ gvr: GroupVersionResource, namespace: String?, name: String? = nil,
                            subresource: String? = nil) -> String {
        var path = gvr.groupVersionPath
        if gvr.namespaced, let namespace, !namespace.isEmpty { path += "/namespaces/" + escapeSegment(namespace) }
        path += "/" + gvr.resource
        if let name { path += "/" + escapeSegment(name) }
        if let subresource { path += "/" + subresource }
        return path
    }

    /// `path?key=value&...` with RFC 3986 escaping of keys and values; just `path` when there are none.
    public static func withQuery(_ path: String, _ items: [(String, String)]) -> String {
        guard !items.isEmpty else { return path }
        return path + "?" + items.map { escapeQuery($0.0) + "=" + escapeQuery($0.1) }.joined(separator: "&")
    }

    static func escapeSegment(_ text: String) -> String { escape(text, keeping: unreservedBytes) }
    static func escapeQuery(_ text: String) -> String { escape(text, keeping: unreservedBytes) }

    private static let unreservedBytes: Set<UInt8> = Set(
        Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8))

    private static func escape(_ text: String, keeping allowed: Set<UInt8>) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            if allowed.contains(byte) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result.unicodeScalars.append("%")
                result.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
                result.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 0x0F)]))
            }
        }
        return result
    }
}
