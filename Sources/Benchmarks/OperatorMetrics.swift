import DemoSupport
import Foundation

/// One scrape of the operator's /metrics (Prometheus text format), read for the figures the
/// benchmarks print: API requests by method and code (`rest_client_requests_total`, whose labels
/// are code, method and host: no resource), writes by method and resource
/// (`kube_client_writes_total`) and reconciles (`controller_runtime_reconcile_total`).
struct OperatorMetrics: Sendable {
    /// One sample: its labels and value.
    struct Sample: Sendable {
        var labels: [String: String]
        var value: Double
    }

    /// Samples by metric name.
    let samples: [String: [Sample]]

    static let writeMethods: Set<String> = ["POST", "PUT", "PATCH", "DELETE"]

    /// Fetches http://127.0.0.1:`port`/metrics with curl.
    static func scrape(port: Int) async throws -> OperatorMetrics {
        let output = try await ChildProcess.run(["curl", "-sf", "http://127.0.0.1:\(port)/metrics"])
        guard output.status == 0 else { throw BenchmarkFailure("metrics not served on port \(port) (curl status \(output.status))") }
        return OperatorMetrics(text: output.stdout)
    }

    init(text: String) {
        var samples: [String: [Sample]] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            let series = line[..<space]
            if let open = series.firstIndex(of: "{"), series.hasSuffix("}") {
                let name = String(series[..<open])
                let labels = Self.labels(series[series.index(after: open)..<series.index(before: series.endIndex)])
                samples[name, default: []].append(Sample(labels: labels, value: value))
            } else {
                samples[String(series), default: []].append(Sample(labels: [:], value: value))
            }
        }
        self.samples = samples
    }

    /// `rest_client_requests_total` of the write methods, by "METHOD" (2xx answers) or
    /// "METHOD code" (anything else, `<error>` when no answer came).
    var writeRequests: [String: Int] {
        var writes: [String: Int] = [:]
        for sample in samples["rest_client_requests_total"] ?? [] {
            guard let method = sample.labels["method"], Self.writeMethods.contains(method) else { continue }
            let code = sample.labels["code"] ?? ""
            let key = code.hasPrefix("2") ? method : "\(method) \(code)"
            writes[key, default: 0] += Int(sample.value)
        }
        return writes
    }

    /// `kube_client_writes_total` by "METHOD resource" (2xx answers) or "METHOD resource code".
    var writesByResource: [String: Int] {
        var writes: [String: Int] = [:]
        for sample in samples["kube_client_writes_total"] ?? [] {
            let method = sample.labels["method"] ?? "", resource = sample.labels["resource"] ?? ""
            let code = sample.labels["code"] ?? ""
            let key = code.hasPrefix("2") ? "\(method) \(resource)" : "\(method) \(resource) \(code)"
            writes[key, default: 0] += Int(sample.value)
        }
        return writes
    }

    /// Every write request, whatever its answer.
    var totalWrites: Int { writeRequests.values.reduce(0, +) }

    /// `controller_runtime_reconcile_total`, summed over results.
    var reconciles: Int {
        (samples["controller_runtime_reconcile_total"] ?? []).reduce(0) { $0 + Int($1.value) }
    }

    /// Parses `key="value",key2="value2"` (values may hold escaped quotes and commas).
    private static func labels(_ text: Substring) -> [String: String] {
        var labels: [String: String] = [:]
        var index = text.startIndex
        while index < text.endIndex {
            guard let equals = text[index...].firstIndex(of: "=") else { break }
            let key = text[index..<equals].trimmingCharacters(in: CharacterSet(charactersIn: ", "))
            var cursor = text.index(after: equals)
            guard cursor < text.endIndex, text[cursor] == "\"" else { break }
            cursor = text.index(after: cursor)
            var value = ""
            while cursor < text.endIndex, text[cursor] != "\"" {
                if text[cursor] == "\\", text.index(after: cursor) < text.endIndex {
                    cursor = text.index(after: cursor)
                    value.append(text[cursor] == "n" ? "\n" : text[cursor])
                } else {
                    value.append(text[cursor])
                }
                cursor = text.index(after: cursor)
            }
            labels[key] = value
            index = cursor < text.endIndex ? text.index(after: cursor) : cursor
        }
        return labels
    }
}
