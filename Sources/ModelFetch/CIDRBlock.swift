import Foundation

/// A network: an address prefix and its length, as in `169.254.0.0/16` or `fe80::/10`.
/// A bare address is a /32 (IPv4) or /128 (IPv6) network.
public struct CIDRBlock: Sendable, Hashable, CustomStringConvertible {
    public let network: IPAddress
    public let prefixLength: Int

    /// Parses `address/length` or a bare address; nil when either part is malformed.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let address = IPAddress(String(parts[0])) else { return nil }
        let maxLength = address.bytes.count * 8
        var length = maxLength
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), (0...maxLength).contains(parsed) else { return nil }
            length = parsed
        }
        self.network = Self.masked(address, length)
        self.prefixLength = length
    }

    /// Parses, or throws an error that names the bad entry and shows the expected form.
    public static func parse(_ text: String) throws(URLPolicyConfigError) -> CIDRBlock {
        guard let block = CIDRBlock(text.trimmingCharacters(in: .whitespaces)) else {
            throw URLPolicyConfigError(message: "\"\(text)\" is not a CIDR block; write it as 10.0.0.0/8, fd00::/8 or a single address")
        }
        return block
    }

    /// True when `address` is inside this network. IPv4 blocks also match IPv4-mapped IPv6 addresses.
    public func contains(_ address: IPAddress) -> Bool {
        if address.bytes.count != network.bytes.count {
            guard let inner = address.embeddedIPv4, inner.bytes.count == network.bytes.count else { return false }
            return contains(inner)
        }
        return Self.masked(address, prefixLength) == network
    }

    /// True when `address`, or any IPv4 address it may lead to through a translation mechanism
    /// (6to4, Teredo, NAT64, IPv4-compatible forms), is inside this network: the test for
    /// denied networks, which must not be dodged by spelling an address another way.
    public func mayReach(_ address: IPAddress) -> Bool {
        if contains(address) { return true }
        guard network.isIPv4 else { return false }
        return address.possibleIPv4Destinations.contains { contains($0) }
    }

    public var description: String { "\(network)/\(prefixLength)" }

    private static func masked(_ address: IPAddress, _ length: Int) -> IPAddress {
        var bytes = address.bytes
        for index in bytes.indices {
            let bitsHere = max(0, min(8, length - index * 8))
            let mask: UInt8 = bitsHere == 0 ? 0 : UInt8(truncatingIfNeeded: 0xff << (8 - bitsHere))
            bytes[index] &= mask
        }
        // Same length as the input, so the initializer cannot fail.
        return IPAddress(bytes: bytes)!
    }
}
