import Foundation
import KubeModel

/// The deployment controller's arithmetic: surge and unavailability budgets from
/// `maxSurge`/`maxUnavailable` (ints or percentages), how far the new ReplicaSet may grow, and the
/// pod-template hash that names ReplicaSets.
enum RolloutArithmetic {
    /// `intstr.GetScaledValueFromIntOrPercent`: an int as is, `"25%"` of `total` rounded up or down;
    /// anything else is 0.
    static func scaled(_ value: JSONValue?, total: Int, roundUp: Bool) -> Int {
        switch value {
        case .int(let number)?: return Int(number)
        case .string(let text)? where text.hasSuffix("%"):
            guard let percent = Int(text.dropLast()) else { return 0 }
            let exact = Double(percent) * Double(total) / 100
            return Int(roundUp ? exact.rounded(.up) : exact.rounded(.down))
        case .string(let text)?: return Int(text) ?? 0
        default: return 0
        }
    }

    static func isRollingUpdate(_ deployment: JSONValue) -> Bool {
        (deployment[path: ["spec", "strategy", "type"]]?.stringValue ?? "RollingUpdate") == "RollingUpdate"
    }

    static func desiredReplicas(_ deployment: JSONValue) -> Int {
        Int(deployment[path: ["spec", "replicas"]]?.intValue ?? 1)
    }

    /// `ResolveFenceposts`: surge rounds up, unavailable down; both zero makes unavailable 1.
    static func fenceposts(_ deployment: JSONValue) -> (surge: Int, unavailable: Int) {
        let rolling = deployment[path: ["spec", "strategy", "rollingUpdate"]]
        let desired = desiredReplicas(deployment)
        let surge = scaled(rolling?["maxSurge"] ?? .int(0), total: desired, roundUp: true)
        var unavailable = scaled(rolling?["maxUnavailable"] ?? .int(0), total: desired, roundUp: false)
        if surge == 0 && unavailable == 0 { unavailable = 1 }
        return (surge, unavailable)
    }

    /// `MaxUnavailable`: 0 for Recreate or zero replicas, never more than the replicas.
    static func maxUnavailable(_ deployment: JSONValue) -> Int {
        let desired = desiredReplicas(deployment)
        guard isRollingUpdate(deployment), desired > 0 else { return 0 }
        return min(fenceposts(deployment).unavailable, desired)
    }

    /// `MaxSurge`: 0 for Recreate.
    static func maxSurge(_ deployment: JSONValue) -> Int {
        isRollingUpdate(deployment) ? fenceposts(deployment).surge : 0
    }

    /// `NewRSNewReplicas`: the new ReplicaSet's next size. RollingUpdate grows it while all
    /// ReplicaSets together stay within replicas + maxSurge; Recreate makes it full size at once.
    static func newReplicaSetReplicas(_ deployment: JSONValue, totalReplicas: Int, newReplicas: Int) -> Int {
        let desired = desiredReplicas(deployment)
        guard isRollingUpdate(deployment) else { return desired }
        let maxTotal = desired + maxSurge(deployment)
        if totalReplicas >= maxTotal { return newReplicas }
        return newReplicas + min(maxTotal - totalReplicas, desired - newReplicas)
    }

    /// The pod-template-hash: FNV-1a (32 bit) over the template (and the collision count), its
    /// decimal digits spelt in the API machinery's "safe" alphabet, as in `795bfc8949`.
    static func podTemplateHash(_ template: JSONValue, collisionCount: Int64?) -> String {
        var hash: UInt32 = 2_166_136_261
        func mix<S: Sequence<UInt8>>(_ bytes: S) {
            for byte in bytes {
                hash ^= UInt32(byte)
                hash = hash &* 16_777_619
            }
        }
        mix(template.jsonString.utf8)
        if let collisionCount {
            let count = UInt32(truncatingIfNeeded: collisionCount)
            mix((0..<4).map { UInt8(truncatingIfNeeded: count >> (8 * $0)) })
        }
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String(String(hash).utf8.map { alphabet[Int($0) % alphabet.count] })
    }

    /// A pod template without the `pod-template-hash` label, for `EqualIgnoreHash`.
    static func withoutHash(_ template: JSONValue?) -> JSONValue {
        var copy = template ?? .object([:])
        if copy[path: ["metadata", "labels", "pod-template-hash"]] != nil {
            copy[path: ["metadata", "labels", "pod-template-hash"]] = nil
        }
        return copy
    }
}
