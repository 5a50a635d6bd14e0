/// Human-readable amounts for reasons and tables.
public enum ResourceFormatting {
    /// `6 GiB`, `1.5 GiB`, `512 MiB`.
    public static func mebibytes(_ mib: Int64) -> String {
        if mib >= 1024 {
            if mib % 1024 == 0 { return "\(mib / 1024) GiB" }
            let tenths = (mib * 10 + 512) / 1024
            if (tenths * 1024) == mib * 10 { return "\(tenths / 10).\(tenths % 10) GiB" }
        }
        return "\(mib) MiB"
    }

    /// Bytes as the largest whole binary unit: `4 GiB`, `1536 MiB`, `300 KiB`, `17 B`.
    public static func bytes(_ bytes: Int64) -> String {
        let units: [(Int64, String)] = [(1 << 40, "TiB"), (1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
        for (size, name) in units where bytes >= size && bytes % size == 0 { return "\(bytes / size) \(name)" }
        if bytes >= 1 << 20 { return "\(bytes >> 20) MiB" }
        return "\(bytes) B"
    }

    /// Millicores as Kubernetes writes them: `2` or `1500m`.
    public static func cpu(_ millis: Int64) -> String {
        millis % 1000 == 0 ? "\(millis / 1000)" : "\(millis)m"
    }
}
