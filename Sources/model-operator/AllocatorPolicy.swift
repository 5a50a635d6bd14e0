#if canImport(CMalloc) && os(Linux)
import CMalloc
#endif

/// How the operator asks glibc's malloc to hold memory. By default glibc raises its mmap
/// threshold each time a large block is freed (up to 32 MiB), so once the first list pages are
/// read, later large transient buffers (a 500-object list page, its parse tape) are carved out
/// of the heap and their pages stay resident, fragmented, after they are freed: a restart with
/// 10,000 models peaked about 15 MiB higher than the steady state it reaches. Pinning the
/// threshold at glibc's own default (128 KiB) keeps such buffers mapped apart and returned whole.
enum AllocatorPolicy {
    static let mmapThreshold: Int32 = 128 * 1024

    /// Applies the policy to this process; a no-op where the C library is not glibc.
    static func apply() {
        #if canImport(CMalloc) && os(Linux)
        // mallopt returns 0 only for an invalid parameter; the default malloc policy then stays.
        _ = mallopt(cmalloc_mmap_threshold, mmapThreshold)
        #endif
    }
}
