import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KubeModel
@testable import LocalCluster
import TestSupport
import Testing

/// Runs `body` against a fresh cluster and always stops it.
func withCluster<T>(_ options: LocalClusterOptions = LocalClusterOptions(),
                    _ body: (LocalCluster, APIClient) async throws -> T) async throws -> T {
    let cluster = try await LocalCluster.start(options)
    do {
        let result = try await body(cluster, APIClient(baseURL: cluster.baseURL))
        await cluster.stop()
        return result
    } catch {
        await cluster.stop()
        throw error
    }
}

/// A response as the tests see it.
struct APIResponse {
    var status: Int
    var body: JSONValue
    var text: String
}

/// Raw HTTP against the cluster through URLSession.
struct APIClient {
    let baseURL: URL
    var token: String?

    init(baseURL: URL, token: String? = nil) {
        self.baseURL = baseURL
        self.token = token
    }

    func request(_ method: String, _ path: String, body: JSONValue? = nil, contentType: String = "application/json",
                 accept: String = "application/json", headers: [String: String] = [:]) async throws -> APIResponse {
        try await send(method, path, data: try body?.jsonData(), contentType: contentType, accept: accept, headers: headers)
    }

    func send(_ method: String, _ path: String, data: Data?, contentType: String = "application/json",
              accept: String = "application/json", headers: [String: String] = [:]) async throws -> APIResponse {
        guard let url = URL(string: baseURL.absoluteString + path) else { throw TestFailure("bad path \(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.setValue(accept, forHTTPHeaderField: "Accept")
        if let data {
            request.httpBody = data
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.timeoutInterval = 60
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let text = String(decoding: data, as: UTF8.self)
        return APIResponse(status: status, body: (try? JSONValue.parse(data)) ?? .null, text: text)
    }

    func get(_ path: String) async throws -> APIResponse { try await request("GET", path) }
    func post(_ path: String, _ body: JSONValue) async throws -> APIResponse { try await request("POST", path, body: body) }
    func put(_ path: String, _ body: JSONValue) async throws -> APIResponse { try await request("PUT", path, body: body) }
    func delete(_ path: String, _ body: JSONValue? = nil) async throws -> APIResponse {
        try await request("DELETE", path, body: body)
    }
    func patch(_ path: String, _ body: JSONValue, type: String = "application/merge-patch+json") async throws
        -> APIResponse
    {
        try await request("PATCH", path, body: body, contentType: type)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The full path of `tool` on `PATH` (falling back to /usr/bin), so tests run wherever kubectl and curl are installed.
func executablePath(_ tool: String) -> String {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
    for directory in path.split(separator: ":") {
        let candidate = "\(directory)/\(tool)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return "/usr/bin/\(tool)"
}

/// A watch read through `curl -N`: the newline-delimited events seen so far.
struct CurlWatch {
    let child: SpawnedProcess

    init(_ url: String, in dir: TempDir, token: String? = nil) throws {
        var arguments = ["-sS", "-N", url]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        child = try SpawnedProcess.start([executablePath("curl")] + arguments, logsIn: dir.url)
    }

    /// The complete (newline-terminated) events so far.
    var events: [JSONValue] {
        let output = child.stdout
        let complete = output.hasSuffix("\n") ? output : String(output[..<(output.lastIndex(of: "\n") ?? output.startIndex)])
        return complete.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
    }

    func waitForEvents(count: Int, timeout: Duration = .seconds(60)) async throws -> [JSONValue] {
        _ = try await child.waitForOutput(timeout: timeout) { output in
            output.filter { $0 == "\n" }.count >= count  // complete lines only
        }
        return events
    }

    func stop() { child.killNow() }
}

func configMap(_ name: String, labels: [String: String] = [:], data: [String: String] = [:]) -> JSONValue {
    [
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": ["name": .string(name), "labels": .object(labels.mapValues(JSONValue.string))],
        "data": .object(data.mapValues(JSONValue.string)),
    ]
}

func deployment(_ name: String, replicas: Int64 = 1, image: String = "nginx:1.25") -> JSONValue {
    [
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": ["name": .string(name), "labels": ["app": .string(name)]],
        "spec": [
            "replicas": .int(replicas),
            "selector": ["matchLabels": ["app": .string(name)]],
            "template": [
                "metadata": ["labels": ["app": .string(name)]],
                "spec": ["containers": [["name": "main", "image": .string(image)]]],
            ],
        ],
    ]
}
