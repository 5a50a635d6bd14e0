import KubeClient
import KubeModel

/// The fields of a pod that the Pod Security Standards look at, read once from its JSON. A field
/// that is absent or `null` reads as unset, as Go's decoder leaves it `nil`.
struct PodSecurityPodView: Sendable {
    struct SELinuxOptions: Sendable {
        var type: String
        var user: String
        var role: String
    }

    /// A container's `securityContext`, or the pod's (which has only some of these fields).
    struct SecurityContext: Sendable {
        var privileged: Bool?
        var allowPrivilegeEscalation: Bool?
        var runAsNonRoot: Bool?
        var runAsUser: Int64?
        /// `capabilities.add` and `.drop`; nil when `capabilities` is unset.
        var capabilities: (add: [String], drop: [String])?
        var procMount: String?
        var seLinuxOptions: SELinuxOptions?
        /// `seccompProfile.type`; nil when `seccompProfile` is unset.
        var seccompProfileType: String?
        var windowsHostProcess: Bool?
        var sysctlNames: [String]

        init(_ json: JSONValue) {
            privileged = json["privileged"]?.boolValue
            allowPrivilegeEscalation = json["allowPrivilegeEscalation"]?.boolValue
            runAsNonRoot = json["runAsNonRoot"]?.boolValue
            runAsUser = json["runAsUser"]?.intValue
            if let capabilities = json["capabilities"], capabilities.objectValue != nil {
                self.capabilities = (add: Self.strings(capabilities["add"]), drop: Self.strings(capabilities["drop"]))
            }
            procMount = json["procMount"]?.stringValue
            if let options = json["seLinuxOptions"], options.objectValue != nil {
                seLinuxOptions = SELinuxOptions(type: options["type"]?.stringValue ?? "",
                                                user: options["user"]?.stringValue ?? "",
                                                role: options["role"]?.stringValue ?? "")
            }
            if let profile = json["seccompProfile"], profile.objectValue != nil {
                seccompProfileType = profile["type"]?.stringValue ?? ""
            }
            windowsHostProcess = json[path: ["windowsOptions", "hostProcess"]]?.boolValue
            sysctlNames = (json["sysctls"]?.arrayValue ?? []).map { $0["name"]?.stringValue ?? "" }
        }

        private static func strings(_ value: JSONValue?) -> [String] {
            (value?.arrayValue ?? []).compactMap(\.stringValue)
        }
    }

    struct Container: Sendable {
        var name: String
        /// Every `ports[].hostPort` that is set and not 0.
        var hostPorts: [Int64]
        var securityContext: SecurityContext?
    }

    struct Volume: Sendable {
        var name: String
        /// The keys of the volume source it sets (`hostPath`, `configMap`, ...).
        var sources: Set<String>
    }

    var annotations: [String: String]
    var hostNetwork: Bool
    var hostPID: Bool
    var hostIPC: Bool
    /// `spec.os.name`.
    var osName: String?
    var securityContext: SecurityContext?
    /// Init containers, containers, then ephemeral containers: the order the checks visit them.
    var containers: [Container]
    var volumes: [Volume]

    /// Reads a pod, or a pod template's `metadata` and `spec`. A seccomp alpha annotation stands
    /// for the `seccompProfile` it names where the field is unset, as a 1.25 server copies it into
    /// the field when it creates the pod.
    init(metadata: JSONValue?, spec: JSONValue?) {
        annotations = (metadata?["annotations"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        hostNetwork = spec?["hostNetwork"]?.boolValue ?? false
        hostPID = spec?["hostPID"]?.boolValue ?? false
        hostIPC = spec?["hostIPC"]?.boolValue ?? false
        osName = spec?[path: ["os", "name"]]?.stringValue
        securityContext = spec?["securityContext"].flatMap { $0.objectValue == nil ? nil : SecurityContext($0) }
        containers = ["initContainers", "containers", "ephemeralContainers"].flatMap { field in
            (spec?[field]?.arrayValue ?? []).map { container in
                Container(
                    name: container["name"]?.stringValue ?? "",
                    hostPorts: (container["ports"]?.arrayValue ?? []).compactMap { $0["hostPort"]?.intValue }
                        .filter { $0 != 0 },
                    securityContext: container["securityContext"].flatMap { $0.objectValue == nil ? nil : SecurityContext($0) })
            }
        }
        let podAnnotation = annotations["seccomp.security.alpha.kubernetes.io/pod"].flatMap(Self.seccompType(annotation:))
        if let podAnnotation, securityContext?.seccompProfileType == nil {
            var context = securityContext ?? SecurityContext(.object([:]))
            context.seccompProfileType = podAnnotation
            securityContext = context
        }
        for index in containers.indices where containers[index].securityContext?.seccompProfileType == nil {
            let key = "container.seccomp.security.alpha.kubernetes.io/" + containers[index].name
            guard let type = annotations[key].flatMap(Self.seccompType(annotation:)) else { continue }
            var context = containers[index].securityContext ?? SecurityContext(.object([:]))
            context.seccompProfileType = type
            containers[index].securityContext = context
        }
        volumes = (spec?["volumes"]?.arrayValue ?? []).map { volume in
            let sources = (volume.objectValue ?? [:]).filter { $0.key != "name" && !$0.value.isNull }.keys
            return Volume(name: volume["name"]?.stringValue ?? "", sources: Set(sources))
        }
    }

    /// `seccompFieldForAnnotation`: the profile type an alpha seccomp annotation names, if any.
    static func seccompType(annotation: String) -> String? {
        switch annotation {
        case "unconfined": "Unconfined"
        case "runtime/default", "docker/default": "RuntimeDefault"
        case _ where annotation.hasPrefix("localhost/") && annotation.count > "localhost/".count: "Localhost"
        default: nil
        }
    }

    /// A Windows pod (`spec.os.name: windows`), which the 1.25 restricted checks of Linux-only fields let through.
    var isWindows: Bool { osName == "windows" }
}
