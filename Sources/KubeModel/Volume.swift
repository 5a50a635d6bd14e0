/// A pod volume; exactly one source is set.
public struct Volume: Codable, Sendable, Hashable {
    public var name: String
    public var emptyDir: EmptyDirVolumeSource?
    public var hostPath: HostPathVolumeSource?
    public var configMap: ConfigMapVolumeSource?
    public var secret: SecretVolumeSource?
    public var persistentVolumeClaim: PersistentVolumeClaimVolumeSource?

    public init(name: String, emptyDir: EmptyDirVolumeSource? = nil, hostPath: HostPathVolumeSource? = nil,
                configMap: ConfigMapVolumeSource? = nil, secret: SecretVolumeSource? = nil,
                persistentVolumeClaim: PersistentVolumeClaimVolumeSource? = nil) {
        self.name = name
        self.emptyDir = emptyDir
        self.hostPath = hostPath
        self.configMap = configMap
        self.secret = secret
        self.persistentVolumeClaim = persistentVolumeClaim
    }
}

/// A scratch directory that lives as long as the pod.
public struct EmptyDirVolumeSource: Codable, Sendable, Hashable {
    /// Empty for node disk, `Memory` for tmpfs.
    public var medium: String?
    public var sizeLimit: Quantity?

    public init(medium: String? = nil, sizeLimit: Quantity? = nil) {
        self.medium = medium
        self.sizeLimit = sizeLimit
    }
}

/// A directory or file of the node.
public struct HostPathVolumeSource: Codable, Sendable, Hashable {
    public var path: String
    /// `DirectoryOrCreate`, `Directory`, `File`, ...
    public var type: String?

    public init(path: String, type: String? = nil) {
        self.path = path
        self.type = type
    }
}

/// The keys of a ConfigMap as files.
public struct ConfigMapVolumeSource: Codable, Sendable, Hashable {
    public var name: String?
    public var items: [KeyToPath]?
    public var defaultMode: Int?
    public var optional: Bool?

    public init(name: String? = nil, items: [KeyToPath]? = nil, defaultMode: Int? = nil, optional: Bool? = nil) {
        self.name = name
        self.items = items
        self.defaultMode = defaultMode
        self.optional = optional
    }
}

/// The keys of a Secret as files.
public struct SecretVolumeSource: Codable, Sendable, Hashable {
    public var secretName: String?
    public var items: [KeyToPath]?
    public var defaultMode: Int?
    public var optional: Bool?

    public init(secretName: String? = nil, items: [KeyToPath]? = nil, defaultMode: Int? = nil,
                optional: Bool? = nil) {
        self.secretName = secretName
        self.items = items
        self.defaultMode = defaultMode
        self.optional = optional
    }
}

/// Maps a ConfigMap or Secret key to a file path.
public struct KeyToPath: Codable, Sendable, Hashable {
    public var key: String
    public var path: String
    public var mode: Int?

    public init(key: String, path: String, mode: Int? = nil) {
        self.key = key
        self.path = path
        self.mode = mode
    }
}

/// A persistent volume claimed by name.
public struct PersistentVolumeClaimVolumeSource: Codable, Sendable, Hashable {
    public var claimName: String
    public var readOnly: Bool?

    public init(claimName: String, readOnly: Bool? = nil) {
        self.claimName = claimName
        self.readOnly = readOnly
    }
}
