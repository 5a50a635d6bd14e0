import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KubeClient
import KubeModel
@testable import LocalCluster
import Testing

/// One exchange recorded from a real kube-apiserver 1.25 in `../shared/fixtures/kube-apiserver-1.25/`
/// (relative to the repository root): the request sent and the response received.
struct Fixture {
    let name: String
    let method: String
    let path: String
    let requestBody: JSONValue?
    let contentType: String?
    let status: Int
    let headers: [String: String]
    let body: JSONValue

    /// The fixtures directory, found from this file: `<repo>/Tests/LocalClusterTests/` -> `<repo>/../shared/...`.
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/fixtures/kube-apiserver-1.25").standardizedFileURL

    /// The repository root (for the CRD in `deploy/crds/`).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func load(_ name: String) throws -> Fixture {
        let data = try Data(contentsOf: directory.appendingPathComponent("\(name).json"))
        let json = try JSONValue.parse(data)
        let request = json["request"] ?? .object([:])
        let body = request["body"]
        return Fixture(
            name: name, method: request["method"]?.stringValue ?? "GET", path: request["path"]?.stringValue ?? "/",
            requestBody: body?.isNull == true ? nil : body, contentType: request["contentType"]?.stringValue,
            status: Int(json["status"]?.intValue ?? 0),
            headers: (json["headers"]?.objectValue ?? [:]).compactMapValues(\.stringValue),
            body: json["body"] ?? .null)
    }

    /// The events of a recorded watch stream (`NAME.watch.jsonl`).
    static func watchEvents(_ name: String) throws -> [JSONValue] {
        let text = try String(contentsOf: directory.appendingPathComponent("\(name).watch.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONValue.parse(String($0)) }
    }

    /// The InferenceModel CRD of this repository, as `kubectl apply` would send it.
    static func inferenceModelCRD() throws -> JSONValue {
        let url = repositoryRoot.appendingPathComponent("deploy/crds/ai.kubeedge.io_inferencemodels.yaml")
        return try YAML.parse(try String(contentsOf: url, encoding: .utf8))
    }
}

/// A response with its headers (a repeated header's values joined with ", ").
struct RecordedResponse {
    var status: Int
    var body: JSONValue
    var text: String
    var headers: [String: String]
}

extension APIClient {
    /// Sends a fixture's request (optionally with another path or body) the way the recording client did:
    /// `Python-urllib` as User-Agent, the recorded content type.
    func replay(_ fixture: Fixture, path: String? = nil, body: JSONValue?? = nil, token: String? = nil,
                userAgent: String = "Python-urllib/3.10") async throws -> RecordedResponse {
        try await raw(fixture.method, path ?? fixture.path, body: body ?? fixture.requestBody,
                      contentType: fixture.contentType ?? "application/json", token: token, userAgent: userAgent)
    }

    func raw(_ method: String, _ path: String, body: JSONValue? = nil, contentType: String = "application/json",
             token: String? = nil, userAgent: String = "Python-urllib/3.10") async throws -> RecordedResponse {
        guard let url = URL(string: baseURL.absoluteString + path) else { throw TestFailure("bad path \(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.setValue(userAgent, forHTTPHeaderField: "User-Agent")
        if let body {
            request.httpBody = try body.jsonData()
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        if let token = token ?? self.token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        request.timeoutInterval = 60
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        var headers: [String: String] = [:]
        for (name, value) in http?.allHeaderFields ?? [:] {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        let text = String(decoding: data, as: UTF8.self)
        return RecordedResponse(status: http?.statusCode ?? 0, body: (try? JSONValue.parse(data)) ?? .null, text: text,
                                headers: headers)
    }
}

extension JSONValue {
    /// A copy without the values at `paths` (paths through lists apply to every element: `["items", "*", "x"]`).
    func removing(_ paths: [[String]]) -> JSONValue {
        var result = self
        for path in paths { result = result.removing(path: path[...]) }
        return result
    }

    private func removing(path: ArraySlice<String>) -> JSONValue {
        guard let first = path.first else { return self }
        if first == "*", case .array(let elements) = self {
            return .array(elements.map { $0.removing(path: path.dropFirst()) })
        }
        guard case .object(var members) = self else { return self }
        if path.count == 1 {
            members[first] = nil
        } else if let child = members[first] {
            members[first] = child.removing(path: path.dropFirst())
        }
        return .object(members)
    }
}

/// Human-readable differences between two JSON values (empty when equal), for test messages.
func jsonDifferences(_ actual: JSONValue, _ expected: JSONValue, path: String = "") -> [String] {
    switch (actual, expected) {
    case (.object(let a), .object(let b)):
        var result: [String] = []
        for key in Set(a.keys).union(b.keys).sorted() {
            let child = path + "." + key
            switch (a[key], b[key]) {
            case (nil, let value?): result.append("\(child): missing (real server: \(value.jsonString))")
            case (let value?, nil): result.append("\(child): \(value.jsonString) (real server: absent)")
            case (let left?, let right?): result += jsonDifferences(left, right, path: child)
            default: break
            }
        }
        return result
    case (.array(let a), .array(let b)) where a.count == b.count:
        return zip(a, b).enumerated().flatMap { index, pair in jsonDifferences(pair.0, pair.1, path: "\(path)[\(index)]") }
    default:
        return actual == expected ? [] : ["\(path.isEmpty ? "." : path): \(actual.jsonString) (real server: \(expected.jsonString))"]
    }
}

/// Expects `actual` to equal `expected`, reporting each difference.
func expectSameJSON(_ actual: JSONValue, _ expected: JSONValue, _ what: String,
                    sourceLocation: SourceLocation = #_sourceLocation) {
    let differences = jsonDifferences(actual, expected)
    let report = "\(what) differs from kube-apiserver 1.25:\n" + differences.joined(separator: "\n")
    #expect(differences.isEmpty, Comment(rawValue: report), sourceLocation: sourceLocation)
}

/// Object metadata a real server and LocalCluster necessarily assign differently (identity, clock, counter).
let assignedMetadata: [[String]] = [
    ["metadata", "uid"], ["metadata", "resourceVersion"], ["metadata", "creationTimestamp"], ["metadata", "managedFields"],
]
