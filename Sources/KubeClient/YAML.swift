import CYAML
import Foundation
import KubeModel

/// YAML (single or multi-document) into the JSON value model, through libyaml's event parser.
///
/// Plain scalars resolve by the YAML 1.2 core schema, as Kubernetes manifests expect:
/// `null`/`~`/empty are null, `true`/`false` are booleans, decimal, `0x` and `0o` numbers are
/// integers, decimals with a point or exponent (and `.inf`, `.nan`) are doubles, anything else is
/// a string. Quoted scalars are always strings; explicit tags (`!!str`, `!!int`, ...) win.
/// Anchors and aliases are expanded. Empty documents (`---` with nothing after) are skipped.
public enum YAML {
    /// Parses every document of a YAML stream.
    public static func parseDocuments(_ text: String) throws -> [JSONValue] {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw YAMLError(message: "libyaml could not initialise a parser (out of memory)", line: 0, column: 0)
        }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer in
            // libyaml reads the buffer in place; it lives until this closure returns.
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var builder = YAMLTreeBuilder()
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    throw YAMLError(parser: parser)
                }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { break }
                try builder.handle(event)
            }
            return builder.documents
        }
    }

    /// Parses a stream that must hold exactly one document.
    public static func parse(_ text: String) throws -> JSONValue {
        let documents = try parseDocuments(text)
        guard documents.count == 1 else {
            throw YAMLError(message: "expected one YAML document, found \(documents.count)", line: 0, column: 0)
        }
        return documents[0]
    }

    /// Parses a file of one or more documents; a top-level `kind: List` is not unwrapped.
    public static func parseDocuments(contentsOf url: URL) throws -> [JSONValue] {
        let data = try Data(contentsOf: url)
        return try parseDocuments(String(decoding: data, as: UTF8.self))
    }
}

/// A YAML syntax error with the position libyaml reported (1-based line and column).
public struct YAMLError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public let line: Int
    public let column: Int

    init(message: String, line: Int, column: Int) {
        self.message = message
        self.line = line
        self.column = column
    }

    init(parser: yaml_parser_t) {
        let problem = parser.problem.map { String(cString: $0) } ?? "malformed YAML"
        let context = parser.context.map { String(cString: $0) + ": " } ?? ""
        self.init(message: context + problem, line: Int(parser.problem_mark.line) + 1,
                  column: Int(parser.problem_mark.column) + 1)
    }

    public var description: String {
        line > 0 ? "YAML error at line \(line), column \(column): \(message)" : "YAML error: \(message)"
    }
}

/// Builds JSON values from libyaml events: a stack of open collections plus anchors.
private struct YAMLTreeBuilder {
    private enum Frame {
        case sequence(anchor: String?, elements: [JSONValue])
        case mapping(anchor: String?, members: [String: JSONValue], pendingKey: String?)
    }

    private(set) var documents: [JSONValue] = []
    private var stack: [Frame] = []
    private var anchors: [String: JSONValue] = [:]
    private var documentRoot: JSONValue?

    mutating func handle(_ event: yaml_event_t) throws {
        let line = Int(event.start_mark.line) + 1
        let column = Int(event.start_mark.column) + 1
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documentRoot = nil
            anchors = [:]
        case YAML_DOCUMENT_END_EVENT:
            if let root = documentRoot, !root.isNull { documents.append(root) }
            documentRoot = nil
        case YAML_SEQUENCE_START_EVENT:
            stack.append(.sequence(anchor: Self.string(event.data.sequence_start.anchor), elements: []))
        case YAML_MAPPING_START_EVENT:
            stack.append(.mapping(anchor: Self.string(event.data.mapping_start.anchor), members: [:], pendingKey: nil))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else {
                throw YAMLError(message: "unbalanced collection end", line: line, column: column)
            }
            switch frame {
            case .sequence(let anchor, let elements):
                try add(.array(elements), anchor: anchor, line: line, column: column)
            case .mapping(let anchor, let members, _):
                try add(.object(members), anchor: anchor, line: line, column: column)
            }
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = scalar.value.map { pointer in
                String(decoding: UnsafeBufferPointer(start: pointer, count: scalar.length), as: UTF8.self)
            } ?? ""
            let value = try Self.resolve(text, tag: Self.string(scalar.tag),
                                         plain: scalar.style == YAML_PLAIN_SCALAR_STYLE, line: line, column: column)
            try add(value, anchor: Self.string(scalar.anchor), line: line, column: column)
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor) ?? ""
            guard let value = anchors[name] else {
                throw YAMLError(message: "alias *\(name) refers to no anchor", line: line, column: column)
            }
            try add(value, anchor: nil, line: line, column: column)
        default:
            break
        }
    }

    private mutating func add(_ value: JSONValue, anchor: String?, line: Int, column: Int) throws {
        if let anchor { anchors[anchor] = value }
        guard let top = stack.popLast() else {
            documentRoot = value
            return
        }
        switch top {
        case .sequence(let sequenceAnchor, var elements):
            elements.append(value)
            stack.append(.sequence(anchor: sequenceAnchor, elements: elements))
        case .mapping(let mappingAnchor, var members, let pendingKey):
            if let key = pendingKey {
                if key == "<<", value.objectValue != nil || value.arrayValue != nil {
                    // Merge key: members of the aliased mapping(s) that are not set explicitly.
                    let sources = value.arrayValue ?? [value]
                    for source in sources { for (k, v) in source.objectValue ?? [:] where members[k] == nil { members[k] = v } }
                } else {
                    members[key] = value
                }
                stack.append(.mapping(anchor: mappingAnchor, members: members, pendingKey: nil))
            } else {
                let key: String
                switch value {
                case .string(let text): key = text
                case .int(let number): key = String(number)
                case .double(let number): key = String(number)
                case .bool(let flag): key = String(flag)
                case .null: key = ""
                default:
                    throw YAMLError(message: "mapping keys must be scalars", line: line, column: column)
                }
                stack.append(.mapping(anchor: mappingAnchor, members: members, pendingKey: key))
            }
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    /// Resolves a scalar's text to a JSON value by its tag, or by the core schema when plain.
    static func resolve(_ text: String, tag: String?, plain: Bool, line: Int, column: Int) throws -> JSONValue {
        switch tag {
        case "tag:yaml.org,2002:str": return .string(text)
        case "tag:yaml.org,2002:null": return .null
        case "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float":
            let value = YAMLResolution.resolvePlain(text)
            if case .string = value {
                throw YAMLError(message: "\"\(text)\" is not a valid \(tag?.split(separator: ":").last ?? "")",
                                line: line, column: column)
            }
            return value
        default:
            return plain && tag == nil ? YAMLResolution.resolvePlain(text) : .string(text)
        }
    }
}

/// How plain scalars read under the YAML 1.2 core schema.
enum YAMLResolution {
    static func resolvePlain(_ text: String) -> JSONValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        guard let first = text.utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
                || first == UInt8(ascii: ".") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return .string(text)
        }
        if text.hasPrefix("0x"), let value = Int64(text.dropFirst(2), radix: 16) { return .int(value) }
        if text.hasPrefix("0o"), let value = Int64(text.dropFirst(2), radix: 8) { return .int(value) }
        if text.range(of: #"^[-+]?[0-9]+$"#, options: .regularExpression) != nil {
            if let value = Int64(text.hasPrefix("+") ? String(text.dropFirst()) : text) { return .int(value) }
            return .string(text)
        }
        if text.range(of: #"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"#, options: .regularExpression) != nil,
           let value = Double(text) {
            return .double(value)
        }
        return .string(text)
    }

    /// Whether a string must be quoted to read back as a string.
    static func needsQuotes(_ text: String) -> Bool {
        if text.isEmpty || text != text.trimmingCharacters(in: .whitespaces) { return true }
        if case .string = resolvePlain(text) { return false }
        return true
    }
}
