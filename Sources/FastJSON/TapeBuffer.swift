/// A growable array of tape entries in memory the scanner manages by hand, so appending and
/// patching during the scan cost no reference counting or exclusivity checks.
/// Its owner calls `deallocate()` once (a `TapeDocument` takes it over after a successful scan).
struct TapeBuffer {
    private(set) var base: UnsafeMutablePointer<TapeEntry>
    private(set) var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    /// Appends an entry; returns its index.
    @inline(__always)
    @discardableResult
    mutating func append(_ entry: TapeEntry) -> Int {
        if count == capacity { grow() }
        (base + count).initialize(to: entry)
        count += 1
        return count - 1
    }

    /// Sets the end and member count of the container whose entry is at `index`.
    @inline(__always)
    mutating func closeContainer(at index: Int, count members: Int) {
        base[index].first = UInt32(truncatingIfNeeded: count)
        base[index].second = UInt32(truncatingIfNeeded: members)
    }

    func deallocate() { base.deallocate() }

    private mutating func grow() {
        let larger = capacity * 2
        let moved = UnsafeMutablePointer<TapeEntry>.allocate(capacity: larger)
        moved.moveInitialize(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = larger
    }
}
