/// The keys of one object as a dictionary to the tape index of each value (first occurrence wins),
/// for objects too large to scan per lookup or whose keys must be unescaped and checked.
final class TapeKeyIndex {
    let valueIndices: [String: Int]
    /// The distinct keys in document order.
    let names: [String]

    init(document: TapeDocument, object: Int) throws(ValueProblem) {
        let members = Int(document[object].second)
        var valueIndices: [String: Int] = [:]
        valueIndices.reserveCapacity(members)
        var names: [String] = []
        names.reserveCapacity(members)
        var child = object + 1
        for _ in 0..<members {
            let name = try document.string(at: child)
            if valueIndices[name] == nil {
                valueIndices[name] = child + 1
                names.append(name)
            }
            child = document.next(after: child + 1)
        }
        self.valueIndices = valueIndices
        self.names = names
    }
}
