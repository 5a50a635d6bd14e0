import Foundation
import KubeModel
import Synchronization

/// The owned-spec digests of the Deployments decoded lately, by uid and generation. A
/// Deployment's spec at one generation never changes (the API server bumps `generation` on every
/// spec change), and most watch events of a Deployment are status updates at the same
/// generation: with the digest known, `CachedDeployment` skips decoding the pod template and
/// hashing it again. Keys hold the uid as a `UUID` (API servers give UUIDs: 16 bytes inline, no
/// heap); at most `capacity` entries are kept (all dropped when full: they are only a shortcut).
final class OwnedSpecDigestMemo: Sendable {
    /// 4,096 entries (~160 KiB): a Deployment's status updates follow its spec change within
    /// seconds, so even thousands of Deployments rolling out at once mostly find theirs.
    static let shared = OwnedSpecDigestMemo(capacity: 4_096)

    private struct Key: Hashable {
        let uid: UUID
        let generation: Int64
    }

    private let capacity: Int
    private let digests = Mutex<[Key: OwnedSpecDigest]>([:])

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The digest recorded for this uid and generation, if any.
    func digest(uid: String?, generation: Int64?) -> OwnedSpecDigest? {
        guard let key = Self.key(uid, generation) else { return nil }
        return digests.withLock { $0[key] }
    }

    /// Records the digest of the spec at this uid and generation.
    func record(_ digest: OwnedSpecDigest, uid: String?, generation: Int64?) {
        guard let key = Self.key(uid, generation) else { return }
        digests.withLock { digests in
            if digests.count >= capacity { digests.removeAll(keepingCapacity: true) }
            digests[key] = digest
        }
    }

    private static func key(_ uid: String?, _ generation: Int64?) -> Key? {
        guard let uid, let generation, let uuid = parseUUID(uid) else { return nil }
        return Key(uid: uuid, generation: generation)
    }

    /// The UUID of its canonical text (`8-4-4-4-12` hex digits, either case), read byte by byte:
    /// Foundation's `UUID(uuidString:)` goes through `sscanf`, a visible cost at one call per
    /// Deployment event. Nil for anything else (the memo is then not used).
    static func parseUUID(_ text: String) -> UUID? {
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &bytes) { output -> Bool in
            var utf8 = text.utf8.makeIterator()
            for position in 0..<16 {
                let dash = position == 4 || position == 6 || position == 8 || position == 10
                if dash, utf8.next() != UInt8(ascii: "-") { return false }
                guard let high = utf8.next().flatMap(hexValue), let low = utf8.next().flatMap(hexValue) else { return false }
                output[position] = high << 4 | low
            }
            return utf8.next() == nil
        }
        return parsed ? UUID(uuid: bytes) : nil
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
