/// A manifest version name with the order used to pick the highest version.
///
/// The rule: split both names at dots and compare part by part, left to right.
/// - Two parts made only of ASCII digits compare as numbers of any length:
///   `"10" > "9"`, `"1.10" > "1.9"`, `"007" == "7"` numerically.
/// - A numeric part sorts before a non-numeric one: `"1.2" < "1.rc"`.
/// - Two non-numeric parts compare as strings (by Unicode scalar): `"1.alpha" < "1.beta"`,
///   `"v10" < "v9"` (so prefer plain numbers).
/// - When all shared parts are equal, the name with fewer parts is lower: `"1" < "1.0"`.
/// - A pre-release (what follows the first `-`) sorts below its release, as in SemVer:
///   `"1.0-rc1" < "1.0" < "1.1-beta"`; two pre-releases of one release compare by the same rules.
/// - Names that are still equal (`"07"` and `"7"`) fall back to plain string order, so the
///   order is total and `==` means the same text.
public struct ModelVersion: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// The version name as written.
    public let text: String

    public init(_ text: String) { self.text = text }

    public var description: String { text }

    public static func < (lhs: ModelVersion, rhs: ModelVersion) -> Bool {
        switch compareParts(lhs.text, rhs.text) {
        case .orderedAscending: return true
        case .orderedDescending: return false
        case .orderedSame: return lhs.text.unicodeScalars.lexicographicallyPrecedes(rhs.text.unicodeScalars)
        }
    }

    private enum Order { case orderedAscending, orderedSame, orderedDescending }

    private static func compareParts(_ lhs: String, _ rhs: String) -> Order {
        let (leftRelease, leftPre) = splitPreRelease(lhs)
        let (rightRelease, rightPre) = splitPreRelease(rhs)
        let order = compareDotted(leftRelease, rightRelease)
        guard order == .orderedSame else { return order }
        switch (leftPre, rightPre) {
        case (nil, nil): return .orderedSame
        case (.some, nil): return .orderedAscending
        case (nil, .some): return .orderedDescending
        case (.some(let a), .some(let b)): return compareDotted(a, b)
        }
    }

    /// The release and the pre-release after the first `-` (nil without one).
    private static func splitPreRelease(_ text: String) -> (Substring, Substring?) {
        guard let dash = text.firstIndex(of: "-"), dash != text.startIndex else { return (Substring(text), nil) }
        return (text[..<dash], text[text.index(after: dash)...])
    }

    private static func compareDotted(_ lhs: Substring, _ rhs: Substring) -> Order {
        let left = lhs.split(separator: ".", omittingEmptySubsequences: false)
        let right = rhs.split(separator: ".", omittingEmptySubsequences: false)
        for (a, b) in zip(left, right) {
            let order = comparePart(a, b)
            if order != .orderedSame { return order }
        }
        if left.count == right.count { return .orderedSame }
        return left.count < right.count ? .orderedAscending : .orderedDescending
    }

    private static func comparePart(_ a: Substring, _ b: Substring) -> Order {
        switch (isNumeric(a), isNumeric(b)) {
        case (true, true): return compareNumbers(a, b)
        case (true, false): return .orderedAscending
        case (false, true): return .orderedDescending
        case (false, false):
            if a == b { return .orderedSame }
            return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) ? .orderedAscending : .orderedDescending
        }
    }

    private static func isNumeric(_ part: Substring) -> Bool {
        !part.isEmpty && part.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// Compares digit strings of any length without converting them to integers.
    private static func compareNumbers(_ a: Substring, _ b: Substring) -> Order {
        let x = a.drop { $0 == "0" }
        let y = b.drop { $0 == "0" }
        if x.count != y.count { return x.count < y.count ? .orderedAscending : .orderedDescending }
        if x == y { return .orderedSame }
        return x.utf8.lexicographicallyPrecedes(y.utf8) ? .orderedAscending : .orderedDescending
    }
}
