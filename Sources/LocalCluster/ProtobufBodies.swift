import Foundation
import KubeModel

/// Decodes the Kubernetes protobuf envelope (`k8s\0` + runtime.Unknown) for the kinds kubectl's
/// typed generators create with protobuf bodies: Namespace, ConfigMap, Secret and ServiceAccount
/// (`kubectl create namespace|configmap|secret|serviceaccount`), and the fields of Deployment and
/// Service that `kubectl create deployment` and `kubectl expose` / `kubectl create service` set.
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
        case ("apps/v1", "Deployment"):
            if let spec = raw.message(2) { object["spec"] = ProtobufSchema.decode(spec, ProtobufSchema.deploymentSpec) }
        case ("authorization.k8s.io/v1", "SelfSubjectAccessReview"):
            if let spec = raw.message(2) { object["spec"] = ProtobufSchema.decode(spec, ProtobufSchema.accessReviewSpec) }
        case ("v1", "Service"):
            if let spec = raw.message(2) { object["spec"] = ProtobufSchema.decode(spec, ProtobufSchema.serviceSpec) }
        default:
            return nil
        }
        return object
    }

    static func objectMeta(_ meta: ProtobufMessage) -> JSONValue {
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
    func messages(_ field: Int) -> [ProtobufMessage] {
        (lengthDelimited[field] ?? []).compactMap { ProtobufMessage(bytes: $0) }
    }
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

/// Field-number maps of the Kubernetes messages `kubectl create deployment` and `kubectl expose` fill in
/// (from k8s.io/api's generated.proto); unknown fields are skipped.
enum ProtobufSchema {
    indirect enum Field {
        case string(String)
        case int(String)
        case bool(String)
        case strings(String)
        case stringMap(String)
        case intOrString(String)
        case message(String, [Int: Field])
        case messages(String, [Int: Field])
        case objectMeta(String)
    }

    static func decode(_ message: ProtobufMessage, _ schema: [Int: Field]) -> JSONValue {
        var result: [String: JSONValue] = [:]
        for (number, field) in schema {
            switch field {
            // Go's protobuf writes zero values of non-pointer fields; JSON (omitempty) leaves them out.
            case .string(let name):
                if let value = message.string(number), !value.isEmpty { result[name] = .string(value) }
            case .int(let name):
                if let value = message.varint(number), value != 0 || pointerInts.contains(name) {
                    result[name] = .int(Int64(Int32(truncatingIfNeeded: value)))
                }
            case .bool(let name):
                if let value = message.varint(number), value != 0 { result[name] = .bool(true) }
            case .strings(let name):
                let values = message.strings(number)
                if !values.isEmpty { result[name] = .array(values.map(JSONValue.string)) }
            case .stringMap(let name):
                let map = message.stringMap(number)
                if !map.isEmpty { result[name] = .object(map.mapValues(JSONValue.string)) }
            case .intOrString(let name):
                if let value = message.message(number) {
                    result[name] = value.varint(1) == 1 ? .string(value.string(3) ?? "")
                        : .int(Int64(Int32(truncatingIfNeeded: value.varint(2) ?? 0)))
                }
            case .message(let name, let inner):
                if let value = message.message(number) { result[name] = decode(value, inner) }
            case .messages(let name, let inner):
                let values = message.messages(number)
                if !values.isEmpty { result[name] = .array(values.map { decode($0, inner) }) }
            case .objectMeta(let name):
                if let value = message.message(number) { result[name] = ProtobufBodies.objectMeta(value) }
            }
        }
        return .object(result)
    }

    /// Optional (pointer) integer fields, whose zero is meaningful.
    static let pointerInts: Set<String> = ["replicas", "revisionHistoryLimit", "progressDeadlineSeconds"]

    static let labelSelector: [Int: Field] = [1: .stringMap("matchLabels")]
    static let containerPort: [Int: Field] = [
        1: .string("name"), 2: .int("hostPort"), 3: .int("containerPort"), 4: .string("protocol"), 5: .string("hostIP"),
    ]
    static let envVar: [Int: Field] = [1: .string("name"), 2: .string("value")]
    static let resources: [Int: Field] = [:]
    static let container: [Int: Field] = [
        1: .string("name"), 2: .string("image"), 3: .strings("command"), 4: .strings("args"), 5: .string("workingDir"),
        6: .messages("ports", containerPort), 7: .messages("env", envVar), 8: .message("resources", resources),
        14: .string("imagePullPolicy"),
    ]
    static let podSpec: [Int: Field] = [
        2: .messages("containers", container), 3: .string("restartPolicy"), 7: .stringMap("nodeSelector"),
        8: .string("serviceAccountName"), 10: .string("nodeName"), 20: .messages("initContainers", container),
    ]
    static let podTemplate: [Int: Field] = [1: .objectMeta("metadata"), 2: .message("spec", podSpec)]
    static let deploymentSpec: [Int: Field] = [
        1: .int("replicas"), 2: .message("selector", labelSelector), 3: .message("template", podTemplate),
        5: .int("minReadySeconds"), 6: .int("revisionHistoryLimit"), 7: .bool("paused"),
        9: .int("progressDeadlineSeconds"),
    ]
    static let accessReviewSpec: [Int: Field] = [
        1: .message("resourceAttributes", [
            1: .string("namespace"), 2: .string("verb"), 3: .string("group"), 4: .string("version"),
            5: .string("resource"), 6: .string("subresource"), 7: .string("name"),
        ]),
        2: .message("nonResourceAttributes", [1: .string("path"), 2: .string("verb")]),
    ]
    static let servicePort: [Int: Field] = [
        1: .string("name"), 2: .string("protocol"), 3: .int("port"), 4: .intOrString("targetPort"), 5: .int("nodePort"),
    ]
    static let serviceSpec: [Int: Field] = [
        1: .messages("ports", servicePort), 2: .stringMap("selector"), 3: .string("clusterIP"), 4: .string("type"),
        5: .strings("externalIPs"), 7: .string("sessionAffinity"),
    ]
}
