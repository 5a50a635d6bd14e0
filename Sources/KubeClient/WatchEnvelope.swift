import FastJSON
import Foundation
import KubeModel

/// One line of a watch stream: `{"type": "ADDED", "object": {...}}`, decoded in one pass.
/// `BOOKMARK` objects carry only `metadata.resourceVersion`; `ERROR` objects are a `Status`.
public enum WatchEnvelope<Object: Decodable & Sendable>: Decodable, Sendable {
    case added(Object)
    case modified(Object)
    case deleted(Object)
    case bookmark(resourceVersion: String)
    case error(Status)
    /// An ADDED, MODIFIED or DELETED object that did not decode as `Object`: skipped and counted.
    case undecodable(UndecodableObject)

    enum CodingKeys: String, CodingKey { case type, object }

    private struct BookmarkObject: Decodable {
        struct Metadata: Decodable { var resourceVersion: String? }
        var metadata: Metadata?
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "ADDED", "MODIFIED", "DELETED":
            switch try container.decode(LenientElement<Object>.self, forKey: .object) {
            case .decoded(let object):
                self = type == "ADDED" ? .added(object) : type == "MODIFIED" ? .modified(object) : .deleted(object)
            case .undecodable(let object):
                self = .undecodable(object)
            }
        case "BOOKMARK":
            let bookmark = try container.decode(BookmarkObject.self, forKey: .object)
            guard let version = bookmark.metadata?.resourceVersion else {
                throw DecodingError.dataCorruptedError(
                    forKey: .object, in: container, debugDescription: "BOOKMARK without metadata.resourceVersion")
            }
            self = .bookmark(resourceVersion: version)
        case "ERROR": self = .error(try container.decode(Status.self, forKey: .object))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container,
                debugDescription: "unknown watch event type \"\(type)\" (expected ADDED, MODIFIED, DELETED, BOOKMARK or ERROR)")
        }
    }
}

/// Splits a byte stream into newline-terminated lines, buffering a partial line across chunks.
/// It works on bytes, so a chunk boundary inside a multi-byte UTF-8 character is harmless
/// (a newline byte never occurs inside one).
public struct LineSplitter: Sendable {
    private var pending = Data()
    /// Lines longer than this are an error (a broken stream would otherwise grow memory without bound).
    public let maximumLineLength: Int

    public init(maximumLineLength: Int = 64 << 20) {
        self.maximumLineLength = maximumLineLength
    }

    /// Appends a chunk and returns the complete lines in it (without `\n`, and without a trailing `\r`).
    /// Empty lines are skipped.
    public mutating func append(_ chunk: Data) throws -> [Data] {
        var lines: [Data] = []
        chunk.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count, let found = memchr(base + offset, 0x0A, raw.count - offset) {
                let newline = base.distance(to: UnsafeRawPointer(found))
                var line: Data
                if pending.isEmpty {
                    line = Data(bytes: base + offset, count: newline - offset)
                } else {
                    pending.append(base.advanced(by: offset).assumingMemoryBound(to: UInt8.self), count: newline - offset)
                    line = pending
                    pending = Data()
                }
                if line.last == 0x0D { line.removeLast() }
                if !line.isEmpty { lines.append(line) }
                offset = newline + 1
            }
            if offset < raw.count {
                pending.append(base.advanced(by: offset).assumingMemoryBound(to: UInt8.self), count: raw.count - offset)
            }
        }
        if pending.count > maximumLineLength {
            let length = pending.count
            pending = Data()
            throw WatchStreamError.lineTooLong(length)
        }
        return lines
    }

    /// The bytes after the last newline, when the stream ended without one.
    public mutating func finish() -> Data? {
        defer { pending = Data() }
        let rest = pending.last == 0x0D ? pending.dropLast() : pending
        return rest.isEmpty ? nil : Data(rest)
    }
}

/// A malformed watch stream.
public enum WatchStreamError: Error, Sendable, CustomStringConvertible {
    case lineTooLong(Int)
    case undecodableEvent(problem: String, excerpt: String)

    public var description: String {
        switch self {
        case .lineTooLong(let count):
            return "watch stream line exceeds the limit (\(count) bytes without a newline)"
        case .undecodableEvent(let problem, let excerpt):
            return "undecodable watch event: \(problem); line starts: \(excerpt)"
        }
    }
}

/// Turns chunks of a watch response into decoded events: line splitting, then JSON.
public struct WatchStreamDecoder<Object: Decodable & Sendable>: Sendable {
    private var splitter = LineSplitter()

    public init() {}

    /// Decodes every complete line in `chunk`; a partial last line waits for the next chunk.
    public mutating func decode(_ chunk: Data) throws -> [WatchEnvelope<Object>] {
        try splitter.append(chunk).map(Self.decodeLine)
    }

    /// Decodes a last line the stream did not terminate with a newline.
    public mutating func finish() throws -> [WatchEnvelope<Object>] {
        try splitter.finish().map { [try Self.decodeLine($0)] } ?? []
    }

    static func decodeLine(_ line: Data) throws -> WatchEnvelope<Object> {
        do {
            return try FastJSONDecoder().decode(WatchEnvelope<Object>.self, from: line)
        } catch {
            throw WatchStreamError.undecodableEvent(
                problem: RESTClient.describeDecodingError(error), excerpt: KubeAPIError.excerpt(of: line) ?? "")
        }
    }
}
