/// Bounds on what one archive may unpack to, against archive bombs.
public struct ExtractionLimits: Sendable, Equatable {
    /// The most bytes all files together may hold; nil derives the bound from the archive's own
    /// size (`derivedMaxTotalBytes`), so a 10 MB gzip bomb cannot fill a disk.
    public var maxTotalBytes: Int64?
    /// The most entries (files, directories, links) the archive may hold.
    public var maxEntries: Int

    /// The size bound derived from the archive, 100,000 entries.
    public static let standard = ExtractionLimits(maxTotalBytes: nil, maxEntries: 100_000)

    /// A derived bound is `derivedFactor` × the archive's size + `derivedFloor`, at most `derivedCap`:
    /// model weights compress little (a tar.gz of weights unpacks to 1-1.5× its size), so four
    /// times leaves room for text-heavy models while a bomb stops early.
    public static let derivedFactor: Int64 = 4
    public static let derivedFloor: Int64 = 256 << 20
    public static let derivedCap: Int64 = 64 << 30

    public init(maxTotalBytes: Int64?, maxEntries: Int) {
        self.maxTotalBytes = maxTotalBytes
        self.maxEntries = maxEntries
    }

    /// The size bound for an archive of `archiveBytes` bytes when none was given.
    public static func derivedMaxTotalBytes(archiveBytes: Int64) -> Int64 {
        let (scaled, overflow) = max(archiveBytes, 0).multipliedReportingOverflow(by: derivedFactor)
        guard !overflow else { return derivedCap }
        return min(derivedCap, scaled + derivedFloor)
    }

    /// The concrete limits for one archive.
    func effective(archiveBytes: Int64) -> EffectiveExtractionLimits {
        if let maxTotalBytes {
            return EffectiveExtractionLimits(maxTotalBytes: maxTotalBytes, maxEntries: maxEntries, origin: nil)
        }
        let derived = Self.derivedMaxTotalBytes(archiveBytes: archiveBytes)
        let origin = derived == Self.derivedCap
            ? "the cap of the size derived from the archive"
            : "\(Self.derivedFactor) x the \(archiveBytes)-byte archive + \(Self.derivedFloor >> 20) MiB"
        return EffectiveExtractionLimits(maxTotalBytes: derived, maxEntries: maxEntries, origin: origin)
    }
}

/// The limits one extraction enforces, and how the size bound was chosen (for the message).
struct EffectiveExtractionLimits: Sendable, Equatable {
    var maxTotalBytes: Int64
    var maxEntries: Int
    /// Nil when the bound was given explicitly.
    var origin: String?
}
