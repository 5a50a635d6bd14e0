/// Where the encoder stands, as a chain of keys built only as deep as values nest; turned into a
/// `[CodingKey]` only when asked for (an error, or a type that reads `codingPath`).
indirect enum EncodingPath {
    case root
    case member(String, parent: EncodingPath)
    case index(Int, parent: EncodingPath)

    var codingPath: [any CodingKey] {
        var keys: [any CodingKey] = []
        var node = self
        while true {
            switch node {
            case .root: return keys.reversed()
            case .member(let name, let parent):
                keys.append(TapeCodingKey(stringValue: name))
                node = parent
            case .index(let position, let parent):
                keys.append(TapeCodingKey(intValue: position))
                node = parent
            }
        }
    }
}
