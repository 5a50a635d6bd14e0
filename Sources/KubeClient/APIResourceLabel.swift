/// The resource an API path names, for the per-resource write metric: `deployments`,
/// `inferencemodels/status`, `events`, `namespaces`. Paths that name no resource (discovery,
/// `/version`) read as `other`.
enum APIResourceLabel {
    static func resource(ofPath path: String) -> String {
        let components = path.split(separator: "?", maxSplits: 1).first.map { $0.split(separator: "/") } ?? []
        let rest: ArraySlice<Substring>
        if components.first == "api", components.count >= 2 {
            rest = components.dropFirst(2)
        } else if components.first == "apis", components.count >= 3 {
            rest = components.dropFirst(3)
        } else {
            return "other"
        }
        var parts = Array(rest)
        if parts.first == "namespaces", parts.count >= 3 { parts.removeFirst(2) }
        guard let resource = parts.first else { return "other" }
        return parts.count >= 3 ? "\(resource)/\(parts[2])" : String(resource)
    }
}
