/// A core/v1 Event: something that happened to an object, shown by `kubectl describe`.
public struct Event: Codable, Sendable, Hashable, KubeObject {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var involvedObject: ObjectReference
    public var reason: String?
    public var message: String?
    /// `Normal` or `Warning`.
    public var type: String?
    public var source: EventSource?
    public var count: Int?
    /// RFC 3339.
    public var firstTimestamp: String?
    /// RFC 3339.
    public var lastTimestamp: String?
    /// MicroTime (RFC 3339 with microseconds).
    public var eventTime: String?
    public var reportingComponent: String?
    public var reportingInstance: String?
    public var action: String?

    public init(apiVersion: String? = "v1", kind: String? = "Event", metadata: ObjectMeta = ObjectMeta(),
                involvedObject: ObjectReference = ObjectReference(), reason: String? = nil, message: String? = nil,
                type: String? = nil, source: EventSource? = nil, count: Int? = nil, firstTimestamp: String? = nil,
                lastTimestamp: String? = nil, eventTime: String? = nil, reportingComponent: String? = nil,
                reportingInstance: String? = nil, action: String? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.involvedObject = involvedObject
        self.reason = reason
        self.message = message
        self.type = type
        self.source = source
        self.count = count
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp
        self.eventTime = eventTime
        self.reportingComponent = reportingComponent
        self.reportingInstance = reportingInstance
        self.action = action
    }
}

/// Refers to an object, such as the one an event is about.
public struct ObjectReference: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var name: String?
    public var namespace: String?
    public var uid: String?
    public var resourceVersion: String?
    public var fieldPath: String?

    public init(apiVersion: String? = nil, kind: String? = nil, name: String? = nil, namespace: String? = nil,
                uid: String? = nil, resourceVersion: String? = nil, fieldPath: String? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.fieldPath = fieldPath
    }
}

/// The component (and host) that reported an event.
public struct EventSource: Codable, Sendable, Hashable {
    public var component: String?
    public var host: String?

    public init(component: String? = nil, host: String? = nil) {
        self.component = component
        self.host = host
    }
}
extension Event {
    public static let gvr = GroupVersionResource.events
    public static let gvk = GroupVersionKind(apiVersion: "v1", kind: "Event")
}
