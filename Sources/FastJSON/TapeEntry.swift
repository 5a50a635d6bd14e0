/// One value of a scanned JSON document, as the scanner records it: its kind, and either the bytes
/// it spans (strings and numbers) or where it ends and how many members it has (objects and arrays).
///
/// A document's entries form a tape in document order: an object's entry is followed by its keys and
/// values (key, value, key, value, ...), an array's by its elements; `next` skips a whole container.
struct TapeEntry {
    /// What a value is.
    enum Kind: UInt8 {
        case object, array, string, number, `true`, `false`, null
    }

    /// Facts the scanner learned for free, so decoding can skip work.
    struct Flags: OptionSet {
        let rawValue: UInt8
        /// A string with no backslash and no control character: its bytes are its content.
        static let unescaped = Flags(rawValue: 1 << 0)
        /// An unescaped string whose bytes are all ASCII: valid UTF-8 without checking.
        static let ascii = Flags(rawValue: 1 << 1)
        /// A number of the form `-?(0|[1-9][0-9]*)`, without fraction or exponent.
        static let plainInteger = Flags(rawValue: 1 << 2)
        /// An object with a key that is not `unescaped` and `ascii`: keys must be checked before lookups.
        static let hasComplexKey = Flags(rawValue: 1 << 3)
    }

    var kind: Kind
    var flags: Flags
    /// Strings and numbers: the offset of the first byte (after the opening quote for strings).
    /// Objects and arrays: the tape index just past the container (its next sibling).
    var first: UInt32
    /// Strings and numbers: the byte count (without quotes). Objects: the number of members (key-value
    /// pairs). Arrays: the number of elements.
    var second: UInt32
    /// Objects: one bit per key (`keyBit`), so that most lookups of an absent key end at once.
    var keyBits: UInt32 = 0

    /// The bit a key sets in `keyBits`: from its length and its first and last bytes.
    @inline(__always)
    static func keyBit(_ utf8: UnsafeRawBufferPointer) -> UInt32 {
        guard let first = utf8.first, let last = utf8.last else { return 1 }
        return 1 << ((UInt32(utf8.count) &* 7 &+ UInt32(first) &* 3 &+ UInt32(last)) & 31)
    }

    /// A description of the kind in the words of Foundation's JSONDecoder errors ("a string", "number", ...).
    var kindDescription: String {
        switch kind {
        case .object: return "a dictionary"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "number"
        case .true, .false: return "bool"
        case .null: return "null"
        }
    }
}
