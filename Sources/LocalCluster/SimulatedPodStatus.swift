import Foundation
import KubeModel

/// The pod statuses the simulated scheduler and kubelet write, shaped as a real kubelet's
/// (conditions Initialized, Ready, ContainersReady, PodScheduled; container statuses; IPs).
enum SimulatedPodStatus {
    /// How a pod the kubelet runs is doing.
    enum Stage: Equatable {
        /// Bound, containers being created.
        case starting
        /// Every container running and ready.
        case running
        /// The main containers keep crashing (a Deployment marked failing).
        case crashLooping
        /// An init container keeps failing; the main containers never start.
        case initFailing(SimulatedInitFailure)
    }

    /// The `PodScheduled` condition the scheduler writes: True when bound, False with its reason otherwise.
    static func scheduledCondition(_ status: Bool, reason: String? = nil, message: String? = nil, now: String) -> JSONValue {
        var condition: JSONValue = [
            "type": "PodScheduled", "status": status ? "True" : "False", "lastProbeTime": .null,
            "lastTransitionTime": .string(now),
        ]
        if let reason { condition["reason"] = .string(reason) }
        if let message { condition["message"] = .string(message) }
        return condition
    }

    /// Replaces (or adds) the condition of `condition`'s type, keeping its transition time when its status is unchanged.
    static func setting(_ condition: JSONValue, in status: JSONValue?) -> JSONValue {
        var status = status ?? .object([:])
        var conditions = status["conditions"]?.arrayValue ?? []
        var updated = condition
        if let index = conditions.firstIndex(where: { $0["type"] == condition["type"] }) {
            if conditions[index]["status"] == condition["status"] {
                updated["lastTransitionTime"] = conditions[index]["lastTransitionTime"] ?? condition["lastTransitionTime"]
            }
            conditions[index] = updated
        } else {
            conditions.append(updated)
        }
        status["conditions"] = .array(conditions)
        return status
    }

    /// The status the kubelet writes for `stage`; `previous` keeps start times, IPs and transition times.
    static func status(of pod: JSONValue, stage: Stage, hostIP: String, now: String) -> JSONValue {
        let previous = pod["status"] ?? .object([:])
        let spec = pod["spec"] ?? .object([:])
        let containers = spec["containers"]?.arrayValue ?? []
        let initContainers = spec["initContainers"]?.arrayValue ?? []
        var failedInit: SimulatedInitFailure?
        if case .initFailing(let failure) = stage { failedInit = failure }
        let started = stage != .starting && failedInit == nil
        let ready = stage == .running
        let notReadyNames = "[" + containers.compactMap { $0["name"]?.stringValue }.joined(separator: " ") + "]"
        let startTime = previous["startTime"] ?? .string(now)

        var status: JSONValue = previous
        status["phase"] = started ? "Running" : "Pending"
        status["hostIP"] = .string(hostIP)
        status["startTime"] = startTime
        status["qosClass"] = .string(qosClass(spec))
        if stage != .starting {
            let podIP = previous["podIP"]?.stringValue ?? "10.244.\(Int.random(in: 0...255)).\(Int.random(in: 2...254))"
            status["podIP"] = .string(podIP)
            status["podIPs"] = [["ip": .string(podIP)]]
        }
        let previousStatuses = previous["containerStatuses"]?.arrayValue ?? []
        status["containerStatuses"] = .array(containers.map { container in
            let name = container["name"] ?? ""
            let old = previousStatuses.first { $0["name"] == name }
            var entry: JSONValue = [
                "name": name, "image": container["image"] ?? "", "imageID": "", "lastState": [:],
                "ready": .bool(ready), "restartCount": old?["restartCount"] ?? 0, "started": .bool(ready),
            ]
            switch stage {
            case .starting:
                entry["state"] = ["waiting": ["reason": "ContainerCreating"]]
            case .initFailing:
                entry["state"] = ["waiting": ["reason": "PodInitializing"]]
            case .running:
                entry["containerID"] = old?["containerID"] ?? .string(containerID())
                entry["imageID"] = .string(imageID(container["image"]?.stringValue ?? ""))
                let since = old?[path: ["state", "running", "startedAt"]] ?? .string(now)
                entry["state"] = ["running": ["startedAt": since]]
            case .crashLooping:
                let restarts = max(1, old?["restartCount"]?.intValue ?? 0)
                entry["containerID"] = old?["containerID"] ?? .string(containerID())
                entry["imageID"] = .string(imageID(container["image"]?.stringValue ?? ""))
                entry["restartCount"] = .int(restarts)
                entry["lastState"] = ["terminated": ["exitCode": 1, "reason": "Error", "startedAt": .string(now),
                                                     "finishedAt": .string(now)]]
                entry["state"] = ["waiting": [
                    "reason": "CrashLoopBackOff",
                    "message": .string("back-off 10s restarting failed container=\(name.stringValue ?? "") "
                        + "pod=\(pod.metaName)_\(pod.metaNamespace ?? "default")(\(pod.metaUID))"),
                ]]
            }
            return entry
        })
        if initContainers.isEmpty {
            status["initContainerStatuses"] = nil
        } else {
            let previousInit = previous["initContainerStatuses"]?.arrayValue ?? []
            let failedIndex = failedInit.flatMap { failure in
                initContainers.firstIndex { $0["name"]?.stringValue == failure.container }
            }
            status["initContainerStatuses"] = .array(initContainers.enumerated().map { index, container in
                let completed = started || (failedIndex.map { index < $0 } ?? false)
                var entry: JSONValue = [
                    "name": container["name"] ?? "", "image": container["image"] ?? "", "imageID": "", "lastState": [:],
                    "ready": .bool(completed), "restartCount": 0,
                ]
                entry["state"] = completed
                    ? ["terminated": ["exitCode": 0, "reason": "Completed", "startedAt": startTime, "finishedAt": .string(now)]]
                    : ["waiting": ["reason": "PodInitializing"]]
                if completed { entry["imageID"] = .string(imageID(container["image"]?.stringValue ?? "")) }
                if let failedIndex, let failedInit, index == failedIndex {
                    entry = failedInitStatus(container, failure: failedInit, previous: previousInit, pod: pod, now: now)
                }
                return entry
            })
        }

        var conditions: [JSONValue] = []
        func condition(_ type: String, _ value: Bool, reason: String? = nil, message: String? = nil) {
            var entry: JSONValue = ["type": .string(type), "status": value ? "True" : "False", "lastProbeTime": .null]
            if let reason { entry["reason"] = .string(reason) }
            if let message { entry["message"] = .string(message) }
            let old = (previous["conditions"]?.arrayValue ?? []).first { $0["type"] == .string(type) }
            entry["lastTransitionTime"] = old?["status"] == entry["status"] ? (old?["lastTransitionTime"] ?? .string(now)) : .string(now)
            conditions.append(entry)
        }
        if initContainers.isEmpty || started {
            condition("Initialized", true)
        } else {
            let incomplete = failedInit.map { [$0.container] } ?? initContainers.compactMap { $0["name"]?.stringValue }
            let names = "[" + incomplete.joined(separator: " ") + "]"
            condition("Initialized", false, reason: "ContainersNotInitialized", message: "containers with incomplete status: \(names)")
        }
        let unready = "containers with unready status: \(notReadyNames)"
        condition("Ready", ready, reason: ready ? nil : "ContainersNotReady", message: ready ? nil : unready)
        condition("ContainersReady", ready, reason: ready ? nil : "ContainersNotReady", message: ready ? nil : unready)
        condition("PodScheduled", true)
        status["conditions"] = .array(conditions)
        return status
    }

    /// The pod's `Ready` condition set to False, as the node lifecycle controller marks the pods of a NotReady node.
    static func markedNotReady(_ status: JSONValue?, now: String) -> JSONValue {
        let ready: JSONValue = ["type": "Ready", "status": "False", "lastProbeTime": .null, "lastTransitionTime": .string(now)]
        return setting(ready, in: status)
    }

    static func isReady(_ pod: JSONValue) -> Bool {
        (pod[path: ["status", "conditions"]]?.arrayValue ?? []).contains { $0["type"] == "Ready" && $0["status"] == "True" }
    }

    /// Guaranteed when every container limits cpu and memory with equal requests, BestEffort when
    /// nothing is requested or limited, Burstable otherwise.
    static func qosClass(_ spec: JSONValue) -> String {
        let containers = (spec["containers"]?.arrayValue ?? []) + (spec["initContainers"]?.arrayValue ?? [])
        let resources = containers.map { $0["resources"] ?? .object([:]) }
        let empty = resources.allSatisfy {
            ($0["requests"]?.objectValue ?? [:]).isEmpty && ($0["limits"]?.objectValue ?? [:]).isEmpty
        }
        if empty { return "BestEffort" }
        let guaranteed = resources.allSatisfy { resource in
            let limits = ResourceAmounts(list: resource["limits"])
            var requests = limits
            for (name, amount) in ResourceAmounts(list: resource["requests"]).values { requests[name] = amount }
            return ["cpu", "memory"].allSatisfy { limits[$0] > 0 && requests[$0] == limits[$0] }
        }
        return guaranteed ? "Guaranteed" : "Burstable"
    }

    /// An init container that exited 1 with the failure's message and waits to be restarted.
    private static func failedInitStatus(_ container: JSONValue, failure: SimulatedInitFailure, previous: [JSONValue],
                                         pod: JSONValue, now: String) -> JSONValue {
        let old = previous.first { $0["name"] == container["name"] }
        return [
            "name": container["name"] ?? "", "image": container["image"] ?? "",
            "imageID": .string(imageID(container["image"]?.stringValue ?? "")), "ready": false,
            "restartCount": .int(max(1, old?["restartCount"]?.intValue ?? 0)),
            "lastState": ["terminated": ["exitCode": 1, "reason": "Error", "message": .string(failure.message),
                                         "startedAt": .string(now), "finishedAt": .string(now)]],
            "state": ["waiting": [
                "reason": "CrashLoopBackOff",
                "message": .string("back-off 10s restarting failed container=\(failure.container) "
                    + "pod=\(pod.metaName)_\(pod.metaNamespace ?? "default")(\(pod.metaUID))"),
            ]],
        ]
    }

    private static func containerID() -> String {
        "containerd://" + (0..<4).map { _ in String(format: "%016llx", UInt64.random(in: 0...UInt64.max)) }.joined()
    }

    /// A stable digest-shaped image ID (FNV-1a over the image name; no image exists to hash).
    private static func imageID(_ image: String) -> String {
        var digest = ""
        for round in 0..<4 {
            var hash: UInt64 = 14_695_981_039_346_656_037 &+ UInt64(round)
            for byte in image.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 1_099_511_628_211
            }
            digest += String(format: "%016llx", hash)
        }
        var repository = Substring(image.split(separator: "@").first ?? Substring(image))
        if let colon = repository.lastIndex(of: ":"), !repository[colon...].contains("/") {
            repository = repository[..<colon]
        }
        return "\(repository)@sha256:\(digest)"
    }
}
