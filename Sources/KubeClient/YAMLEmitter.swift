import CYAML
import Foundation
import KubeModel

extension YAML {
    /// Writes JSON values as a YAML stream (one document each, `---` between) through libyaml's
    /// emitter: block style, keys sorted, and strings quoted whenever they would otherwise read
    /// back as another type (`"4"`, `"true"`, `""`), so `parseDocuments(emit(x)) == x`.
    public static func emit(_ documents: [JSONValue]) throws -> String {
        var emitter = yaml_emitter_t()
        guard yaml_emitter_initialize(&emitter) == 1 else {
            throw YAMLError(message: "libyaml could not initialise an emitter", line: 0, column: 0)
        }
        defer { yaml_emitter_delete(&emitter) }
        let output = YAMLOutputBuffer()
        let context = Unmanaged.passUnretained(output).toOpaque()
        yaml_emitter_set_output(&emitter, { context, buffer, size in
            guard let context, let buffer else { return 0 }
            Unmanaged<YAMLOutputBuffer>.fromOpaque(context).takeUnretainedValue()
                .bytes.append(contentsOf: UnsafeBufferPointer(start: buffer, count: size))
            return 1
        }, context)
        yaml_emitter_set_unicode(&emitter, 1)
        yaml_emitter_set_width(&emitter, -1)
        var writer = YAMLEventWriter(emitter: emitter)
        try writer.emit { event in yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING) }
        for document in documents {
            try writer.emit { event in yaml_document_start_event_initialize(&event, nil, nil, nil, 0) }
            try writer.value(document)
            try writer.emit { event in yaml_document_end_event_initialize(&event, 1) }
        }
        try writer.emit { event in yaml_stream_end_event_initialize(&event) }
        emitter = writer.emitter
        withExtendedLifetime(output) {}
        return String(decoding: output.bytes, as: UTF8.self)
    }

    /// Writes one JSON value as a YAML document.
    public static func emit(_ document: JSONValue) throws -> String { try emit([document]) }
}

/// Collects the emitter's output (a class, so libyaml's C callback can reach it by pointer).
private final class YAMLOutputBuffer {
    var bytes: [UInt8] = []
}

/// Turns JSON values into libyaml emitter events.
private struct YAMLEventWriter {
    var emitter: yaml_emitter_t

    mutating func emit(_ build: (inout yaml_event_t) -> Int32) throws {
        var event = yaml_event_t()
        guard build(&event) == 1 else { throw YAMLError(message: "libyaml could not build an event", line: 0, column: 0) }
        guard yaml_emitter_emit(&emitter, &event) == 1 else {
            let problem = emitter.problem.map { String(cString: $0) } ?? "emitter error"
            throw YAMLError(message: problem, line: 0, column: 0)
        }
    }

    mutating func value(_ value: JSONValue) throws {
        switch value {
        case .null: try scalar("null", quoted: false)
        case .bool(let flag): try scalar(flag ? "true" : "false", quoted: false)
        case .int(let number): try scalar(String(number), quoted: false)
        case .double(let number): try scalar(Self.format(number), quoted: false)
        case .string(let text):
            try scalar(text, quoted: YAMLResolution.needsQuotes(text))
        case .array(let elements):
            try emit { event in
                yaml_sequence_start_event_initialize(&event, nil, nil, 1,
                                                     elements.isEmpty ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE)
            }
            for element in elements { try self.value(element) }
            try emit { event in yaml_sequence_end_event_initialize(&event) }
        case .object(let members):
            try emit { event in
                yaml_mapping_start_event_initialize(&event, nil, nil, 1,
                                                    members.isEmpty ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE)
            }
            for key in members.keys.sorted() {
                try scalar(key, quoted: YAMLResolution.needsQuotes(key))
                try self.value(members[key] ?? .null)
            }
            try emit { event in yaml_mapping_end_event_initialize(&event) }
        }
    }

    private mutating func scalar(_ text: String, quoted: Bool) throws {
        var bytes = Array(text.utf8)
        let style = quoted ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
            : (text.contains("\n") ? YAML_LITERAL_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE)
        try bytes.withUnsafeMutableBufferPointer { buffer in
            try emit { event in
                yaml_scalar_event_initialize(&event, nil, nil, buffer.baseAddress, Int32(buffer.count),
                                             quoted ? 0 : 1, quoted ? 1 : 0, style)
            }
        }
    }

    private static func format(_ number: Double) -> String {
        if number.isNaN { return ".nan" }
        if number.isInfinite { return number > 0 ? ".inf" : "-.inf" }
        return String(number)
    }
}
