import Foundation

/// Sizes on the command line: plain bytes, or with a Kubernetes-style suffix
/// (`Ki`, `Mi`, `Gi`, `Ti` for powers of 1024; `K`/`k`, `M`, `G`, `T` for powers of 1000).
public enum ByteSize {
    /// The number of bytes `text` means, or an error saying how to write it.
    public static func parse(_ text: String) throws(ByteSizeError) -> Int64 {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Int64)] = [
            ("Ki", 1 << 10), ("Mi", 1 << 20), ("Gi", 1 << 30), ("Ti", 1 << 40),
            ("k", 1_000), ("K", 1_000), ("M", 1_000_000), ("G", 1_000_000_000), ("T", 1_000_000_000_000),
        ]
        var number = Substring(trimmed)
        var multiplier: Int64 = 1
        if let (suffix, factor) = units.first(where: { trimmed.hasSuffix($0.0) }) {
            number = number.dropLast(suffix.count)
            multiplier = factor
        }
        guard let value = Int64(number), value > 0 else {
            throw ByteSizeError(text: text)
        }
        let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { throw ByteSizeError(text: text) }
        return product
    }
}

/// A size that cannot be parsed.
public struct ByteSizeError: Error, Sendable, CustomStringConvertible {
    public let text: String
    public var description: String {
        "\"\(text)\" is not a size; write a positive number of bytes, optionally with Ki, Mi, Gi, Ti (or K, M, G, T), e.g. 20Gi"
    }
}

