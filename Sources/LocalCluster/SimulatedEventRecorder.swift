import Foundation
import KubeClient
import KubeModel

/// What the simulated controllers' event recorder remembers (client-go's `EventCorrelator`, per
/// object): the events it wrote, by everything but time, and the different messages it saw
/// for each source, type and reason in the last 10 minutes.
struct SimulatedEventLog: Sendable {
    struct Recorded: Sendable {
        var name: String
        var count: Int64
    }

    struct Similar: Sendable {
        var messages: Set<String> = []
        var last = Date.distantPast
    }

    struct PerObject: Sendable {
        /// Where the object is.
        var key: ObjectKey
        var recorded: [String: Recorded] = [:]
        var similar: [String: Similar] = [:]
    }

    /// By the uid of the object the events are about.
    var objects: [String: PerObject] = [:]
}

extension ClusterStore {
    /// Records a core/v1 Event about `object` as kube-controller-manager's recorder writes it
    /// (`involvedObject`, `source.component`, `count`, first and last timestamps). The same event
    /// again raises `count` and `lastTimestamp`; from the 10th different message of the same
    /// component, type and reason about the object within 10 minutes, one event whose message
    /// starts "(combined from similar events): " is kept current instead.
    func recordEvent(about object: JSONValue, kind: String, apiVersion: String, type: String, reason: String,
                     message: String, component: String, pass: inout SimulationPass) {
        let uid = object.metaUID
        let namespace = object.metaNamespace
        var log = pass.memory.events.objects[uid]
            ?? SimulatedEventLog.PerObject(key: ObjectKey(namespace: namespace ?? "", name: object.metaName))
        let similarKey = [component, type, reason].joined(separator: "\u{0}")
        var similar = log.similar[similarKey] ?? SimulatedEventLog.Similar()
        if pass.now.timeIntervalSince(similar.last) > 600 { similar = SimulatedEventLog.Similar() }
        similar.messages.insert(message)
        similar.last = pass.now
        var key = similarKey + "\u{0}" + message
        var text = message
        if similar.messages.count >= 10 {
            similar.messages.remove(message)
            key = similarKey
            text = "(combined from similar events): " + message
        }
        log.similar[similarKey] = similar

        if var recorded = log.recorded[key],
           let stored = objects[BuiltinResources.events.storageKey]?[ObjectKey(namespace: namespace ?? "", name: recorded.name)] {
            recorded.count += 1
            var updated = stored
            updated["count"] = .int(recorded.count)
            updated["lastTimestamp"] = .string(pass.nowText)
            updated["message"] = .string(text)
            storeSimulated(updated, previous: stored, type: BuiltinResources.events)
            log.recorded[key] = recorded
        } else {
            let name = "\(object.metaName).\(String(UInt64(pass.now.timeIntervalSince1970 * 1e9), radix: 16))"
            let event: JSONValue = [
                "apiVersion": "v1", "kind": "Event",
                "metadata": ["name": .string(name)],
                "involvedObject": [
                    "apiVersion": .string(apiVersion), "kind": .string(kind), "name": .string(object.metaName),
                    "namespace": namespace.map(JSONValue.string) ?? .null, "uid": .string(uid),
                    "resourceVersion": .string(object.metaResourceVersion),
                ],
                "reason": .string(reason), "message": .string(text), "type": .string(type),
                "source": ["component": .string(component)],
                "firstTimestamp": .string(pass.nowText), "lastTimestamp": .string(pass.nowText), "count": 1,
                "eventTime": .null, "reportingComponent": "", "reportingInstance": "",
            ]
            var options = WriteOptions.simulated
            options.fieldManager = "kube-controller-manager"
            if let created = try? create(BuiltinResources.events, namespace: namespace, body: event, options: options) {
                log.recorded[key] = SimulatedEventLog.Recorded(name: created.metaName, count: 1)
            }
        }
        pass.memory.events.objects[uid] = log
    }
}
