/// Bounds on what one archive may unpack to, against archive bombs.
public struct ExtractionLimits: Sendable, Equatable {
    /// The most bytes all files together may hold.
    public var maxTotalBytes: Int64
    /// The most entries (files, directories, links) the archive may hold.
    public var maxEntries: Int

    /// 64 GiB and 100,000 entries: far above any model archive, far below a filled disk.
    public static let standard = ExtractionLimits(maxTotalBytes: 64 << 30, maxEntries: 100_000)

    public init(maxTotalBytes: Int64, maxEntries: Int) {
        self.maxTotalBytes = maxTotalBytes
        self.maxEntries = maxEntries
    }
}
