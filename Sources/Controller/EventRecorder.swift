import Foundation
import KubeClient
import KubeModel
import Logging

/// Records core/v1 Events about objects, so `kubectl describe` shows what the controller did
/// and why. Repeats of the same event (same object, type, reason and message) within the
/// aggregation window bump `count` and `lastTimestamp` on the existing Event instead of
/// creating another, as client-go's recorder does. Best effort: a failed write is logged,
/// never thrown, so recording an event can never fail a reconcile.
public actor EventRecorder {
    /// `Normal` or `Warning`, the two event types Kubernetes knows.
    public enum EventType: String, Sendable {
        case normal = "Normal"
        case warning = "Warning"
    }

    private struct Aggregate {
        var name: String
        var namespace: String
        var count: Int
        var firstTimestamp: String
        var lastSeen: Date
    }

    private let writer: any ClusterWriter
    private let component: String
    private let host: String
    private let logger: Logger
    private let aggregationWindow: TimeInterval
    private var recent: [String: Aggregate] = [:]

    public init(writer: any ClusterWriter, component: String, host: String = ProcessInfo.processInfo.hostName,
                aggregationWindow: TimeInterval = 600, logger: Logger) {
        self.writer = writer
        self.component = component
        self.host = host
        self.aggregationWindow = aggregationWindow
        self.logger = logger
    }

    /// Records events through `client`.
    public init(client: RESTClient, component: String, host: String = ProcessInfo.processInfo.hostName,
                aggregationWindow: TimeInterval = 600, logger: Logger) {
        self.init(writer: APIClient(client: client), component: component, host: host,
                  aggregationWindow: aggregationWindow, logger: logger)
    }

    /// Records an event about `object`.
    public func record(_ object: ObjectReference, type: EventType, reason: String, message: String, now: Date = Date()) async {
        let message = DisplayText.bounded(message)
        let namespace = object.namespace ?? "default"
        let key = [object.uid ?? "", object.kind ?? "", object.name ?? "", type.rawValue, reason, message]
            .joined(separator: "\u{1}")
        let timestamp = KubeTime.format(now)
        if var aggregate = recent[key], now.timeIntervalSince(aggregate.lastSeen) < aggregationWindow {
            aggregate.count += 1
            aggregate.lastSeen = now
            recent[key] = aggregate
            do {
                _ = try await writer.patch(Event.self, namespace: aggregate.namespace, name: aggregate.name,
                                           patch: .merge(["count": .int(Int64(aggregate.count)),
                                                          "lastTimestamp": .string(timestamp)]))
                return
            } catch {
                logger.debug("event aggregation failed; creating a new event", metadata: ["error": "\(error)"])
            }
        }
        pruneOld(now: now)
        let name = "\(object.name ?? "object").\(String(UInt64(now.timeIntervalSince1970 * 1e9), radix: 16))"
        let event = Event(
            metadata: ObjectMeta(name: name, namespace: namespace), involvedObject: object, reason: reason,
            message: String(message.prefix(1024)), type: type.rawValue, source: EventSource(component: component, host: host),
            count: 1, firstTimestamp: timestamp, lastTimestamp: timestamp, reportingComponent: component,
            reportingInstance: host)
        do {
            _ = try await writer.create(event)
            recent[key] = Aggregate(name: name, namespace: namespace, count: 1, firstTimestamp: timestamp, lastSeen: now)
        } catch {
            logger.warning("could not record event", metadata: [
                "reason": "\(reason)", "object": "\(namespace)/\(object.name ?? "")", "error": "\(error)",
            ])
        }
    }

    /// Keeps the aggregation memory bounded: past `capacity` entries, forget expired ones and,
    /// if still too many, the least recently seen quarter (so this runs rarely, not per event).
    private func pruneOld(now: Date) {
        let capacity = 4096
        guard recent.count > capacity else { return }
        recent = recent.filter { now.timeIntervalSince($0.value.lastSeen) < aggregationWindow }
        guard recent.count > capacity * 3 / 4 else { return }
        let keep = recent.sorted { $0.value.lastSeen > $1.value.lastSeen }.prefix(capacity * 3 / 4)
        recent = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
    }
}

extension ObjectReference {
    /// A reference to a typed object, for events.
    public init<T: KubeObject>(_ object: T) {
        self.init(apiVersion: object.apiVersion ?? T.gvk.apiVersion, kind: object.kind ?? T.gvk.kind,
                  name: object.metadata.name, namespace: object.metadata.namespace, uid: object.metadata.uid,
                  resourceVersion: object.metadata.resourceVersion)
    }
}
