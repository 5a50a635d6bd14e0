#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address as raw network-order bytes (4 or 16).
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    public var isIPv4: Bool { bytes.count == 4 }

    /// Parses a textual IPv4 (dotted quad) or IPv6 address (brackets and a `%zone` allowed).
    public init?(_ text: String) {
        var host = text
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if let percent = host.firstIndex(of: "%") { host = String(host[..<percent]) }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            self.bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            self.bytes = withUnsafeBytes(of: &v6) { Array($0) }
            return
        }
        return nil
    }

    /// Wraps raw bytes (4 or 16).
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// For an IPv4-mapped (`::ffff:a.b.c.d`) or well-known-prefix NAT64 (`64:ff9b::a.b.c.d`)
    /// address, the IPv4 inside: the same host by another name, so policy checks (allow and
    /// deny) look at both forms and `::ffff:169.254.169.254` is caught like the original.
    public var embeddedIPv4: IPAddress? {
        guard bytes.count == 16 else { return nil }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
            return IPAddress(bytes: Array(bytes[12..<16]))
        }
        // 64:ff9b::/96, the well-known NAT64 prefix.
        if bytes[0] == 0x00, bytes[1] == 0x64, bytes[2] == 0xff, bytes[3] == 0x9b,
           bytes[4..<12].allSatisfy({ $0 == 0 }) {
            return IPAddress(bytes: Array(bytes[12..<16]))
        }
        return nil
    }

    /// Every IPv4 address this IPv6 address may lead to, for deny checks (which must not be
    /// dodged by a translation mechanism): the mapped and NAT64 forms above, plus the
    /// IPv4-compatible `::a.b.c.d`, SIIT's `::ffff:0:a.b.c.d`, the local-use NAT64 prefix
    /// `64:ff9b:1::/48` (its /96 form), 6to4 `2002:AABB:CCDD::/48` and Teredo `2001::/32`
    /// (server and de-obfuscated client address).
    public var possibleIPv4Destinations: [IPAddress] {
        guard bytes.count == 16 else { return [] }
        var found: [IPAddress] = []
        func add(_ slice: ArraySlice<UInt8>, flip: Bool = false) {
            if let address = IPAddress(bytes: slice.map { flip ? ~$0 : $0 }) { found.append(address) }
        }
        if let embeddedIPv4 { found.append(embeddedIPv4) }
        let zeros = { (range: Range<Int>) in bytes[range].allSatisfy { $0 == 0 } }
        if zeros(0..<12), !zeros(12..<15) || bytes[15] > 1 { add(bytes[12..<16]) }                     // ::a.b.c.d
        if zeros(0..<8), bytes[8] == 0xff, bytes[9] == 0xff, zeros(10..<12) { add(bytes[12..<16]) }  // ::ffff:0:a.b.c.d
        if bytes[0..<6] == [0x00, 0x64, 0xff, 0x9b, 0x00, 0x01] { add(bytes[12..<16]) }                // 64:ff9b:1::/48
        if bytes[0] == 0x20, bytes[1] == 0x02 { add(bytes[2..<6]) }                                     // 6to4
        if bytes[0..<4] == [0x20, 0x01, 0x00, 0x00] {                                                  // Teredo
            add(bytes[4..<8])
            add(bytes[12..<16], flip: true)
        }
        return found
    }

    /// The canonical text (`inet_ntop`), without brackets.
    public var description: String {
        var buffer = [CChar](repeating: 0, count: 64)
        var copy = bytes
        let family = isIPv4 ? AF_INET : AF_INET6
        let ok = copy.withUnsafeMutableBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        guard ok else { return bytes.map(String.init).joined(separator: ".") }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The text a URL host or `CURLOPT_RESOLVE` entry needs: IPv6 in brackets.
    public var urlHost: String { isIPv4 ? description : "[\(description)]" }
}
