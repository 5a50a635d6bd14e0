/// A coding key rebuilt from the document: an object member's name or an array position
/// (`Index 3`, as Foundation names positions).
struct TapeCodingKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init(intValue: Int) {
        stringValue = "Index \(intValue)"
        self.intValue = intValue
    }

    static let `super` = TapeCodingKey(stringValue: "super")
}

extension TapeDocument {
    /// The coding path from the top-level value to the value at `target`, found by descending the
    /// tape. Decoders track no path while decoding; this runs only when one is asked for (errors).
    func codingPath(to target: Int) -> [any CodingKey] {
        var path = pathPrefix
        var container = 0
        while container < target {
            let entry = tape[container]
            var child = container + 1
            var position = 0
            var found = false
            while child < Int(entry.first) {
                let valueIndex = entry.kind == .object ? child + 1 : child
                let after = next(after: valueIndex)
                if target < after {
                    if entry.kind == .object {
                        if target == child { return path }  // a key, not a value: no deeper path
                        path.append(TapeCodingKey(stringValue: (try? string(at: child)) ?? ""))
                    } else {
                        path.append(TapeCodingKey(intValue: position))
                    }
                    container = valueIndex
                    found = true
                    break
                }
                child = after
                position += 1
            }
            if !found { break }
        }
        return path
    }
}
