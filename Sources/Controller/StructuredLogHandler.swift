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

    public func log(event: LogEvent) {
        var fields = metadata.merging(event.metadata ?? [:]) { $1 }.mapValues { "\($0)" }
        if let error = event.error { fields["error"] = "\(error)" }
        let line = Self.line(format: format, time: Date(), level: event.level, label: label, message: "\(event.message)",
                             fields: fields)
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// One record as a line in `format`.
    static func line(format: Format, time: Date, level: Logger.Level, label: String, message: String,
                     fields: [String: String]) -> String {
        let stamp = ISO8601DateFormatter.string(from: time, timeZone: .gmt,
                                                formatOptions: [.withInternetDateTime, .withFractionalSeconds])
        switch format {
        case .json:
            var object: [String: JSONScalar] = ["ts": .string(stamp), "level": .string(level.rawValue),
                                                "logger": .string(label), "msg": .string(message)]
            for (key, value) in fields { object[key] = .string(value) }
            return JSONScalar.render(object)
        case .logfmt:
            let parts = ["ts=\(stamp)", "level=\(level.rawValue)", "logger=\(logfmt(label))", "msg=\(logfmt(message))"]
                + fields.sorted { $0.key < $1.key }.map { "\($0.key)=\(logfmt($0.value))" }
            return parts.joined(separator: " ")
        case .text:
            let suffix = fields.isEmpty ? "" : " " + fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                .joined(separator: " ")
            return "\(stamp) \(level.rawValue.uppercased()) \(label): \(message)\(suffix)"
        }
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
