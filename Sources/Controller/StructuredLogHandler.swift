import Foundation
import Logging

/// A swift-log handler that writes one line per record to standard error, as JSON or logfmt
/// (what log pipelines parse) or as plain text for people. Metadata, such as the object's
/// namespace and name on every reconcile line, becomes fields.
public struct StructuredLogHandler: LogHandler {
    /// The line format.
    public enum Format: String, Sendable, CaseIterable {
        case json, logfmt, text
    }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String
    private let format: Format

    public init(label: String, format: Format, level: Logger.Level) {
        self.label = label
        self.format = format
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?,
                    source: String, file: String, function: String, line: UInt) {
        let fields = self.metadata.merging(explicit ?? [:]) { $1 }.mapValues { "\($0)" }
        let time = ISO8601DateFormatter.string(from: Date(), timeZone: .gmt,
                                               formatOptions: [.withInternetDateTime, .withFractionalSeconds])
        let text: String
        switch format {
        case .json:
            var object: [String: JSONScalar] = ["ts": .string(time), "level": .string(level.rawValue),
                                                "logger": .string(label), "msg": .string("\(message)")]
            for (key, value) in fields { object[key] = .string(value) }
            text = JSONScalar.render(object)
        case .logfmt:
            var parts = ["ts=\(time)", "level=\(level.rawValue)", "logger=\(Self.logfmt(label))", "msg=\(Self.logfmt("\(message)"))"]
            parts += fields.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.logfmt($0.value))" }
            text = parts.joined(separator: " ")
        case .text:
            let suffix = fields.isEmpty ? "" : " " + fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                .joined(separator: " ")
            text = "\(time) \(level.rawValue.uppercased()) \(label): \(message)\(suffix)"
        }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func logfmt(_ value: String) -> String {
        if !value.isEmpty, !value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }) { return value }
        return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}

/// A JSON string for log lines, escaped by JSONEncoder.
enum JSONScalar: Encodable {
    case string(String)

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self { case .string(let value): try container.encode(value) }
    }

    static func render(_ object: [String: JSONScalar]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a dictionary of strings cannot fail.
        return (try? encoder.encode(object)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
