/// A scanned JSON document: a private copy of its bytes and its tape. Decoders of one `decode` call
/// share it; it frees both when the last of them is gone, so nothing dangles even if a decoder escapes.
final class TapeDocument {
    /// The document's bytes (a copy, so they outlive the caller's buffer).
    let bytes: UnsafeRawBufferPointer
    let base: UnsafePointer<UInt8>
    let tape: UnsafePointer<TapeEntry>
    let tapeCount: Int
    /// The coding path of the top-level value: empty, except for the stand-in null of a
    /// `superDecoder(forKey:)` whose key is missing.
    let pathPrefix: [any CodingKey]

    /// Copies `source` and scans it.
    init(copying source: UnsafeRawBufferPointer, pathPrefix: [any CodingKey] = []) throws(JSONSyntaxError) {
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(source.count, 1), alignment: 8)
        if let from = source.baseAddress, source.count > 0 { copy.baseAddress?.copyMemory(from: from, byteCount: source.count) }
        let bytes = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(copy)[0..<source.count])
        let scanned: TapeBuffer
        do {
            scanned = try TapeScanner.scan(bytes)
        } catch {
            copy.deallocate()
            throw error
        }
        self.bytes = bytes
        // `copy` has at least one byte, so it has a base address.
        base = UnsafePointer(copy.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self))
        tape = UnsafePointer(scanned.base)
        tapeCount = scanned.count
        self.pathPrefix = pathPrefix
    }

    /// A document holding only `null`, at `path`: what `superDecoder(forKey:)` gives for a missing key.
    static func null(at path: [any CodingKey]) -> TapeDocument {
        let text: StaticString = "null"
        // Scanning the literal `null` cannot fail.
        return try! TapeDocument(copying: UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount),
                                 pathPrefix: path)
    }

    deinit {
        UnsafeMutableRawPointer(mutating: base).deallocate()
        UnsafeMutablePointer(mutating: tape).deallocate()
    }

    @inline(__always)
    subscript(index: Int) -> TapeEntry { tape[index] }

    /// The tape index just past the value at `index` (its next sibling).
    @inline(__always)
    func next(after index: Int) -> Int {
        let entry = tape[index]
        switch entry.kind {
        case .object, .array: return Int(entry.first)
        default: return index + 1
        }
    }

    /// The bytes of a string's content or of a number.
    @inline(__always)
    func span(of entry: TapeEntry) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + Int(entry.first), count: Int(entry.second))
    }

    /// The JSON text of a string (with its quotes) or number, for handing a value to another decoder.
    func text(of entry: TapeEntry) -> UnsafeRawBufferPointer {
        entry.kind == .string
            ? UnsafeRawBufferPointer(start: base + Int(entry.first) - 1, count: Int(entry.second) + 2)
            : span(of: entry)
    }
}
