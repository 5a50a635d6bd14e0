import FastJSON

/// Writes a `JSONValue` as compact JSON text in one pass over the value, byte for byte what
/// Foundation's `JSONEncoder` writes with `.withoutEscapingSlashes` (and `.sortedKeys` when
/// asked); the scalars are written by FastJSON's ``JSONText``. Foundation's encoder goes
/// through its generic `Encoder` boxes for every member, which made serving JSON the largest
/// cost of LocalCluster's watches.
struct JSONValueWriter {
    private var text: JSONText
    let sortedKeys: Bool

    init(sortedKeys: Bool, capacity: Int = 1024) {
        self.sortedKeys = sortedKeys
        text = JSONText(capacity: capacity)
    }

    /// The text written so far.
    var bytes: [UInt8] { text.bytes }

    /// Writes `value`; false when it holds a number JSON cannot carry (NaN or an infinity).
    mutating func write(_ value: JSONValue) -> Bool {
        switch value {
        case .null: text.append(literal: "null")
        case .bool(let flag): text.append(literal: flag ? "true" : "false")
        case .int(let number): text.append(integer: number)
        case .double(let number): return text.append(double: number)
        case .string(let string): text.append(string: string)
        case .array(let elements):
            text.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { text.append(UInt8(ascii: ",")) }
                guard write(element) else { return false }
            }
            text.append(UInt8(ascii: "]"))
        case .object(let members):
            text.append(UInt8(ascii: "{"))
            var first = true
            if sortedKeys {
                for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                    guard write(member: member, key: key, first: &first) else { return false }
                }
            } else {
                for (key, member) in members {  // In the dictionary's order, without copying it.
                    guard write(member: member, key: key, first: &first) else { return false }
                }
            }
            text.append(UInt8(ascii: "}"))
        }
        return true
    }

    /// One `"key":value` of an object, after a comma unless it is the first.
    private mutating func write(member: JSONValue, key: String, first: inout Bool) -> Bool {
        if !first { text.append(UInt8(ascii: ",")) }
        first = false
        text.append(string: key)
        text.append(UInt8(ascii: ":"))
        return write(member)
    }
}
