import KubeModel

/// The shape of one field of a built-in kind as the API server's Go types decode it: enough to
/// refuse a wrong JSON type (`image: true`) the way `encoding/json` words it, to find unknown
/// fields (strict field validation), and to canonicalize quantities.
indirect enum FieldShape: Sendable {
    case string
    case bool
    case int32
    case int64
    case float64
    /// `intstr.IntOrString`: a number or a string.
    case intOrString
    /// `resource.Quantity`: a string or number in the quantity grammar, stored canonically.
    case quantity
    /// `metav1.Time`: an RFC 3339 string, or null.
    case time
    /// A Go struct.
    case object(StructShape)
    /// `map[string]T`.
    case map(FieldShape)
    /// `[]T`.
    case array(FieldShape)
    /// Free-form JSON (`RawExtension`, `FieldsV1`): anything is accepted as is.
    case any

    /// The Go type name `encoding/json` prints in a type error (`string`, `[]v1.Container`).
    var goTypeName: String {
        switch self {
        case .string: return "string"
        case .bool: return "bool"
        case .int32: return "int32"
        case .int64: return "int64"
        case .float64: return "float64"
        case .intOrString: return "intstr.IntOrString"
        case .quantity: return "resource.Quantity"
        case .time: return "v1.Time"
        case .object(let shape): return "\(shape.package).\(shape.goName)"
        case .map(let value): return "map[string]" + value.goTypeName
        case .array(let element): return "[]" + element.goTypeName
        case .any: return "interface {}"
        }
    }
}

/// A Go struct: its name (for error messages) and its JSON fields. An `open` struct accepts
/// fields it does not list (used for rarely used volume sources described only by name).
struct StructShape: Sendable {
    var goName: String
    var package: String
    var fields: [String: FieldShape]
    var open: Bool

    init(_ goName: String, package: String = "v1", open: Bool = false, _ fields: [String: FieldShape]) {
        self.goName = goName
        self.package = package
        self.fields = fields
        self.open = open
    }

    /// The same struct with more fields.
    func adding(_ more: [String: FieldShape], named name: String? = nil) -> StructShape {
        var copy = self
        copy.fields.merge(more) { _, new in new }
        if let name { copy.goName = name }
        return copy
    }
}
