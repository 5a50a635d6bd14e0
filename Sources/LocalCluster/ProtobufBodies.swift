import Foundation
import KubeClient

/// Decodes the Kubernetes protobuf envelope (`k8s\0` + runtime.Unknown) for the few kinds kubectl's
/// typed generators create with protobuf bodies and that carry only simple fields: Namespace,
/// ConfigMap, Secret and ServiceAccount (`kubectl create namespace|configmap|secret|serviceaccount`).
/// Other kinds are rejected with 415 and a hint to use `kubectl apply -f`.
enum ProtobufBodies {
    static let magic: [UInt8] = [0x6b, 0x38, 0x73, 0x00]

    static func decode(_ data: Data) -> JSONValue? {
        let bytes = [UInt8](data)
        guard bytes.count > 4, Array(bytes.prefix(4)) == magic,
              let envelope = ProtobufMessage(bytes: Array(bytes.dropFirst(4))),
              let typeMeta = envelope.message(1), let raw = envelope.message(2) else { return nil }
        let apiVersion = typeMeta.string(1) ?? ""
        let kind = typeMeta.string(2) ?? ""
        var object: JSONValue = ["apiVersion": .string(apiVersion), "kind": .string(kind)]
        object["metadata"] = raw.message(1).map(objectMeta) ?? .object([:])
        switch (apiVersion, kind) {
        case ("v1", "Namespace"):
            if let finalizers = raw.message(2)?.strings(1), !finalizers.isEmpty {
                object["spec"] = ["finalizers": .array(finalizers.map(JSONValue.string))]
            }
        case ("v1", "ConfigMap"):
            let data = raw.stringMap(2)
            if !data.isEmpty { object["data"] = .object(data.mapValues(JSONValue.string)) }
            let binary = raw.bytesMap(3)
            if !binary.isEmpty { object["binaryData"] = .object(binary.mapValues { .string($0.base64EncodedString()) }) }
            if let immutable = raw.varint(4) { object["immutable"] = .bool(immutable != 0) }
        case ("v1", "Secret"):
            let data = raw.bytesMap(2)
            if !data.isEmpty { object["data"] = .object(data.mapValues { .string($0.base64EncodedString()) }) }
            if let type = raw.string(3) { object["type"] = .string(type) }
            let stringData = raw.stringMap(4)
            if !stringData.isEmpty { object["stringData"] = .object(stringData.mapValues(JSONValue.string)) }
        case ("v1", "ServiceAccount"):
            break
        default:
            return nil
        }
        return object
    }

    private static func objectMeta(_ meta: ProtobufMessage) -> JSONValue {
        var result: [String: JSONValue] = [:]
        for (field, key) in [(1, "name"), (2, "generateName"), (3, "namespace"), (6, "resourceVersion")] {
            if let value = meta.string(field), !value.isEmpty { result[key] = .string(value) }
        }
        let labels = meta.stringMap(11)
        if !labels.isEmpty { result["labels"] = .object(labels.mapValues(JSONValue.string)) }
        let annotations = meta.stringMap(12)
        if !annotations.isEmpty { result["annotations"] = .object(annotations.mapValues(JSONValue.string)) }
        let finalizers = meta.strings(14)
        if !finalizers.isEmpty { result["finalizers"] = .array(finalizers.map(JSONValue.string)) }
        return .object(result)
    }
}

/// A parsed protobuf message: its fields by number (varints and length-delimited bytes).
struct ProtobufMessage {
    private var varints: [Int: [UInt64]] = [:]
    private var lengthDelimited: [Int: [[UInt8]]] = [:]

    init?(bytes: [UInt8]) {
        var index = 0
        func readVarint() -> UInt64? {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while index < bytes.count, shift < 64 {
                let byte = bytes[index]
                index += 1
                result |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 { return result }
                shift += 7
            }
            return nil
        }
        while index < bytes.count {
            guard let key = readVarint() else { return nil }
            let field = Int(key >> 3)
            switch key & 7 {
            case 0:
                guard let value = readVarint() else { return nil }
                varints[field, default: []].append(value)
            case 1:
                index += 8
            case 2:
                guard let length = readVarint(), index + Int(length) <= bytes.count else { return nil }
                lengthDelimited[field, default: []].append(Array(bytes[index..<index + Int(length)]))
                index += Int(length)
            case 5:
                index += 4
            default:
                return nil
            }
        }
        if index > bytes.count { return nil }
    }

    func varint(_ field: Int) -> UInt64? { varints[field]?.last }
    func string(_ field: Int) -> String? { lengthDelimited[field]?.last.map { String(decoding: $0, as: UTF8.self) } }
    func strings(_ field: Int) -> [String] { (lengthDelimited[field] ?? []).map { String(decoding: $0, as: UTF8.self) } }
    func message(_ field: Int) -> ProtobufMessage? { lengthDelimited[field]?.last.flatMap { ProtobufMessage(bytes: $0) } }

    /// A `map<string, string>` field (repeated entries with key = 1, value = 2).
    func stringMap(_ field: Int) -> [String: String] {
        var map: [String: String] = [:]
        for entry in (lengthDelimited[field] ?? []).compactMap({ ProtobufMessage(bytes: $0) }) {
            if let key = entry.string(1) { map[key] = entry.string(2) ?? "" }
        }
        return map
    }

    /// A `map<string, bytes>` field.
    func bytesMap(_ field: Int) -> [String: Data] {
        var map: [String: Data] = [:]
        for entry in (lengthDelimited[field] ?? []).compactMap({ ProtobufMessage(bytes: $0) }) {
            if let key = entry.string(1) { map[key] = Data(entry.lengthDelimited[2]?.last ?? []) }
        }
        return map
    }
}
