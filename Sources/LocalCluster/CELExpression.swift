import Foundation
import KubeModel

/// A small subset of CEL, enough for typical CRD `x-kubernetes-validations` rules.
///
/// Supported: literals (int, double, string, bool, null, lists), `self` and `oldSelf`, field
/// selection and indexing, `has(self.x)`, `size(x)` / `x.size()`, `!`, unary `-`, `* / %`,
/// `+ -` (numbers, strings, lists), comparisons, `in`, `&&`, `||`, `?:`, the macros
/// `exists`, `all`, `exists_one`, `map`, `filter`, and the string functions `startsWith`,
/// `endsWith`, `contains`, `matches`, plus `int()`, `string()`, `double()`.
/// Anything else fails to parse with ``CELError/unsupported(_:)``; callers log such rules
/// as not evaluated instead of pretending they passed.
struct CELExpression: Sendable {
    indirect enum Node: Sendable {
        case literal(JSONValue)
        case identifier(String)
        case list([Node])
        case select(Node, String)
        case index(Node, Node)
        case has(Node, String)
        case call(String, target: Node?, [Node])
        case macro(String, target: Node, variable: String, Node)
        case unary(String, Node)
        case binary(String, Node, Node)
        case conditional(Node, Node, Node)
    }

    let root: Node
    let referencesOldSelf: Bool

    init(parsing text: String) throws(CELError) {
        var parser = CELParser(tokens: try CELLexer.tokens(text))
        root = try parser.parseExpression()
        guard parser.atEnd else { throw CELError.unsupported("unexpected \(parser.peekDescription) in \(text)") }
        referencesOldSelf = text.contains("oldSelf")
    }

    /// The parsed rules by their text: a CRD's rules are parsed once, not on every write they check.
    private static let parsedRules = BoundedMemo<Result<CELExpression, CELError>>(capacity: 1024)

    /// The expression of `text`, parsed once per process.
    static func parsed(_ text: String) throws(CELError) -> CELExpression {
        try parsedRules.value(for: text) {
            Result { () throws(CELError) -> CELExpression in try CELExpression(parsing: text) }
        }.get()
    }

    func evaluate(self value: JSONValue, oldSelf: JSONValue?) throws(CELError) -> JSONValue {
        var scope: [String: JSONValue] = ["self": value]
        if let oldSelf { scope["oldSelf"] = oldSelf }
        return try CELEvaluator.evaluate(root, scope: scope)
    }
}

/// Why a CEL rule could not be parsed or evaluated.
enum CELError: Error, CustomStringConvertible {
    case unsupported(String)
    case runtime(String)

    var description: String {
        switch self {
        case .unsupported(let text): return "unsupported: \(text)"
        case .runtime(let text): return text
        }
    }
}

enum CELToken: Equatable {
    case number(JSONValue)
    case string(String)
    case identifier(String)
    case symbol(String)
}

enum CELLexer {
    static func tokens(_ text: String) throws(CELError) -> [CELToken] {
        var tokens: [CELToken] = []
        let characters = Array(text)
        var index = 0
        let symbols = ["&&", "||", "==", "!=", "<=", ">=", "!", "<", ">", "+", "-", "*", "/", "%", "(", ")", "[", "]",
                       ".", ",", "?", ":"]
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace { index += 1; continue }
            if character.isNumber {
                var end = index
                while end < characters.count, characters[end].isNumber || characters[end] == "." { end += 1 }
                let literal = String(characters[index..<end])
                if literal.contains("."), let double = Double(literal) {
                    tokens.append(.number(.double(double)))
                } else if let int = Int64(literal) {
                    tokens.append(.number(.int(int)))
                } else {
                    throw CELError.unsupported("number \(literal)")
                }
                if end < characters.count, characters[end] == "u" { end += 1 }
                index = end
                continue
            }
            if character == "\"" || character == "'" {
                var end = index + 1
                var literal = ""
                while end < characters.count, characters[end] != character {
                    if characters[end] == "\\", end + 1 < characters.count {
                        end += 1
                        switch characters[end] {
                        case "n": literal.append("\n")
                        case "t": literal.append("\t")
                        default: literal.append(characters[end])
                        }
                    } else {
                        literal.append(characters[end])
                    }
                    end += 1
                }
                guard end < characters.count else { throw CELError.unsupported("unterminated string") }
                tokens.append(.string(literal))
                index = end + 1
                continue
            }
            if character.isLetter || character == "_" {
                var end = index
                while end < characters.count, characters[end].isLetter || characters[end].isNumber || characters[end] == "_" {
                    end += 1
                }
                tokens.append(.identifier(String(characters[index..<end])))
                index = end
                continue
            }
            let rest = String(characters[index..<min(index + 2, characters.count)])
            if let symbol = symbols.first(where: { rest.hasPrefix($0) }) {
                tokens.append(.symbol(symbol))
                index += symbol.count
                continue
            }
            throw CELError.unsupported("character '\(character)'")
        }
        return tokens
    }
}

struct CELParser {
    let tokens: [CELToken]
    var position = 0

    static let functions: Set<String> = ["size", "int", "string", "double"]
    static let methods: Set<String> = ["size", "startsWith", "endsWith", "contains", "matches"]
    static let macros: Set<String> = ["exists", "all", "exists_one", "map", "filter"]

    init(tokens: [CELToken]) { self.tokens = tokens }

    var atEnd: Bool { position >= tokens.count }
    var peekDescription: String { atEnd ? "end" : "\(tokens[position])" }

    private func peek(_ symbol: String) -> Bool {
        !atEnd && tokens[position] == .symbol(symbol)
    }

    private mutating func expect(_ symbol: String) throws(CELError) {
        guard peek(symbol) else { throw CELError.unsupported("expected '\(symbol)', found \(peekDescription)") }
        position += 1
    }

    mutating func parseExpression() throws(CELError) -> CELExpression.Node {
        let condition = try parseBinary(level: 0)
        if peek("?") {
            position += 1
            let whenTrue = try parseExpression()
            try expect(":")
            let whenFalse = try parseExpression()
            return .conditional(condition, whenTrue, whenFalse)
        }
        return condition
    }

    private static let levels: [[String]] = [["||"], ["&&"], ["==", "!=", "<", "<=", ">", ">=", "in"], ["+", "-"],
                                             ["*", "/", "%"]]

    private mutating func parseBinary(level: Int) throws(CELError) -> CELExpression.Node {
        if level == Self.levels.count { return try parseUnary() }
        var left = try parseBinary(level: level + 1)
        while !atEnd {
            let op: String
            switch tokens[position] {
            case .symbol(let symbol) where Self.levels[level].contains(symbol): op = symbol
            case .identifier("in") where Self.levels[level].contains("in"): op = "in"
            default: return left
            }
            position += 1
            let right = try parseBinary(level: level + 1)
            left = .binary(op, left, right)
        }
        return left
    }

    private mutating func parseUnary() throws(CELError) -> CELExpression.Node {
        if peek("!") { position += 1; return .unary("!", try parseUnary()) }
        if peek("-") { position += 1; return .unary("-", try parseUnary()) }
        return try parsePostfix(try parsePrimary())
    }

    private mutating func parseArguments() throws(CELError) -> [CELExpression.Node] {
        try expect("(")
        var arguments: [CELExpression.Node] = []
        while !peek(")") {
            arguments.append(try parseExpression())
            if peek(",") { position += 1 } else { break }
        }
        try expect(")")
        return arguments
    }

    private mutating func parsePostfix(_ base: CELExpression.Node) throws(CELError) -> CELExpression.Node {
        var node = base
        while !atEnd {
            if peek(".") {
                position += 1
                guard !atEnd, case .identifier(let name) = tokens[position] else {
                    throw CELError.unsupported("expected a field name after '.'")
                }
                position += 1
                if peek("(") {
                    if Self.macros.contains(name) {
                        let arguments = try parseArguments()
                        guard arguments.count == 2, case .identifier(let variable) = arguments[0] else {
                            throw CELError.unsupported("\(name) needs (variable, expression)")
                        }
                        node = .macro(name, target: node, variable: variable, arguments[1])
                    } else if Self.methods.contains(name) {
                        node = .call(name, target: node, try parseArguments())
                    } else {
                        throw CELError.unsupported("function \(name)")
                    }
                } else {
                    node = .select(node, name)
                }
            } else if peek("[") {
                position += 1
                let index = try parseExpression()
                try expect("]")
                node = .index(node, index)
            } else {
                return node
            }
        }
        return node
    }

    private mutating func parsePrimary() throws(CELError) -> CELExpression.Node {
        guard !atEnd else { throw CELError.unsupported("unexpected end of expression") }
        let token = tokens[position]
        position += 1
        switch token {
        case .number(let value): return .literal(value)
        case .string(let value): return .literal(.string(value))
        case .identifier("true"): return .literal(.bool(true))
        case .identifier("false"): return .literal(.bool(false))
        case .identifier("null"): return .literal(.null)
        case .identifier("has"):
            let arguments = try parseArguments()
            guard arguments.count == 1, case .select(let target, let field) = arguments[0] else {
                throw CELError.unsupported("has() needs a field selection such as has(self.x)")
            }
            return .has(target, field)
        case .identifier(let name):
            if peek("(") {
                guard Self.functions.contains(name) else { throw CELError.unsupported("function \(name)") }
                return .call(name, target: nil, try parseArguments())
            }
            return .identifier(name)
        case .symbol("("):
            let inner = try parseExpression()
            try expect(")")
            return inner
        case .symbol("["):
            var elements: [CELExpression.Node] = []
            while !peek("]") {
                elements.append(try parseExpression())
                if peek(",") { position += 1 } else { break }
            }
            try expect("]")
            return .list(elements)
        case .symbol(let symbol):
            throw CELError.unsupported("unexpected '\(symbol)'")
        }
    }
}
