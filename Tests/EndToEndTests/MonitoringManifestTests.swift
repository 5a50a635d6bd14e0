import Foundation
import KubeClient
import KubeModel
import Testing

/// deploy/manifests/monitoring/: the Grafana dashboard, the PrometheusRule and the ServiceMonitor
/// parse, and every metric they query is one the operator registers, so no panel or alert
/// points at a metric that does not exist.
@Suite("Monitoring manifests")
struct MonitoringManifestTests {
    static let folder = "deploy/manifests/monitoring"

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: E2EHarness.repository.appendingPathComponent(relativePath), encoding: .utf8)
    }

    static func yaml(_ relativePath: String) throws -> [JSONValue] {
        try YAML.parseDocuments(text(relativePath))
    }

    static func dashboard() throws -> JSONValue {
        try JSONValue.parse(text("\(folder)/model-operator-dashboard.json"))
    }

    /// Every metric family the Sources register (`Counter(label: "…")`, `Gauge`, `Timer`, …, or a
    /// `static let name = "…"` label constant); a Timer is a histogram, exposed with `_bucket`,
    /// `_sum` and `_count` (so is a label constant ending in `_seconds`).
    static func registeredMetrics() throws -> Set<String> {
        let sources = E2EHarness.repository.appendingPathComponent("Sources")
        let pattern = try NSRegularExpression(
            pattern: #"\b(Counter|FloatingPointCounter|Gauge|Timer|Recorder|Meter)\(\s*label:\s*"([a-zA-Z_:][a-zA-Z0-9_:]*)""#)
        let constant = try NSRegularExpression(
            pattern: #"static let \w+ = "((?:rest_client|workqueue|controller_runtime|leader_election|model_operator)_[a-z0-9_]+)""#)
        var names: Set<String> = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift" else { continue }
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let kind = Range(match.range(at: 1), in: text), let name = Range(match.range(at: 2), in: text)
                else { continue }
                let family = String(text[name])
                names.insert(family)
                if text[kind] == "Timer" || text[kind] == "Recorder" {
                    for suffix in ["_bucket", "_sum", "_count"] { names.insert(family + suffix) }
                }
            }
            for match in constant.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let name = Range(match.range(at: 1), in: text) else { continue }
                let family = String(text[name])
                names.insert(family)
                if family.hasSuffix("_seconds") {
                    for suffix in ["_bucket", "_sum", "_count"] { names.insert(family + suffix) }
                }
            }
        }
        return names
    }

    /// The operator's metric names a PromQL expression uses (the project's and the client-go /
    /// controller-runtime families it exposes).
    static func metricNames(in expression: String) -> Set<String> {
        let prefixes = ["controller_runtime_", "workqueue_", "leader_election_", "rest_client_", "model_operator_"]
        var names: Set<String> = []
        var token = ""
        for character in expression + " " {
            if character.isLetter || character.isNumber || character == "_" || character == ":" {
                token.append(character)
                continue
            }
            if prefixes.contains(where: token.hasPrefix) { names.insert(token) }
            token = ""
        }
        return names
    }

    /// Every `expr` of the dashboard's panels.
    static func dashboardExpressions(_ dashboard: JSONValue) -> [String] {
        (dashboard["panels"]?.arrayValue ?? []).flatMap { panel in
            (panel["targets"]?.arrayValue ?? []).compactMap { $0["expr"]?.stringValue }
        }
    }

    @Test("The dashboard and the alerts query only metrics the operator registers")
    func metricsExist() throws {
        let registered = try Self.registeredMetrics()
        #expect(registered.contains("controller_runtime_reconcile_total"))
        #expect(registered.contains("model_operator_models"))

        let rules = try #require(Self.yaml("\(Self.folder)/prometheusrule.yaml").first)
        let ruleExpressions = (rules[path: ["spec", "groups"]]?.arrayValue ?? []).flatMap { group in
            (group["rules"]?.arrayValue ?? []).compactMap { $0["expr"]?.stringValue }
        }
        let expressions = Self.dashboardExpressions(try Self.dashboard()) + ruleExpressions
        #expect(expressions.count >= 20)
        for expression in expressions {
            let used = Self.metricNames(in: expression)
            #expect(!used.isEmpty, "no operator metric in \(expression)")
            let missing = used.subtracting(registered)
            #expect(missing.isEmpty, "\(missing.sorted()) in \(expression) is not a metric the operator registers")
        }
    }

    @Test("The dashboard graphs reconciles, the work queue, leadership, conditions, verification, placement, downloads")
    func dashboardCoversTheIssue() throws {
        let dashboard = try Self.dashboard()
        #expect(dashboard["uid"] == "model-operator")
        let panels = dashboard["panels"]?.arrayValue ?? []
        let ids = panels.compactMap { $0["id"]?.intValue }
        #expect(ids.count == panels.count && Set(ids).count == ids.count, "every panel needs a unique id")
        let used = Self.dashboardExpressions(dashboard).reduce(into: Set<String>()) { $0.formUnion(Self.metricNames(in: $1)) }
        for family in ["controller_runtime_reconcile_total", "controller_runtime_reconcile_errors_total",
                       "controller_runtime_reconcile_time_seconds_bucket", "workqueue_depth", "workqueue_adds_total",
                       "workqueue_queue_duration_seconds_bucket", "leader_election_master_status", "model_operator_models",
                       "model_operator_verification_failures_total", "model_operator_unplaced_models",
                       "model_operator_download_bytes_total", "rest_client_requests_total"] {
            #expect(used.contains(family), "the dashboard does not graph \(family)")
        }
        let quantiles = Self.dashboardExpressions(dashboard).filter {
            $0.contains("controller_runtime_reconcile_time_seconds_bucket")
        }
        #expect(quantiles.contains { $0.contains("histogram_quantile(0.5") })
        #expect(quantiles.contains { $0.contains("histogram_quantile(0.99") })
    }

    @Test("The PrometheusRule alerts on reconcile errors, unplaced models, verification failures and no leader")
    func alerts() throws {
        let rule = try #require(Self.yaml("\(Self.folder)/prometheusrule.yaml").first)
        #expect(rule["apiVersion"] == "monitoring.coreos.com/v1")
        #expect(rule["kind"] == "PrometheusRule")
        let alerts = (rule[path: ["spec", "groups"]]?.arrayValue ?? []).flatMap { $0["rules"]?.arrayValue ?? [] }
        func alert(_ name: String) -> JSONValue? { alerts.first { $0["alert"]?.stringValue == name } }
        let noLeader = try #require(alert("ModelOperatorNoLeader"))
        #expect(noLeader["expr"]?.stringValue?.contains("sum(leader_election_master_status") == true)
        #expect(noLeader["for"] != nil)
        #expect(alert("ModelOperatorReconcileErrors")?["expr"]?.stringValue?.contains("controller_runtime_reconcile_errors_total") == true)
        #expect(alert("ModelOperatorUnplacedModels")?["expr"]?.stringValue?.contains("model_operator_unplaced_models") == true)
        #expect(alert("ModelOperatorVerificationFailures")?["expr"]?.stringValue?
            .contains("model_operator_verification_failures_total") == true)
        for rule in alerts {
            #expect(rule[path: ["labels", "severity"]] != nil, "\(rule["alert"]?.stringValue ?? "?") has no severity")
            #expect(rule[path: ["annotations", "summary"]] != nil, "\(rule["alert"]?.stringValue ?? "?") has no summary")
        }
    }

    @Test("The ServiceMonitor selects the metrics Service's port; the folder has its own kustomization")
    func serviceMonitorAndKustomization() throws {
        let monitor = try #require(Self.yaml("\(Self.folder)/servicemonitor.yaml").first)
        let service = try #require(Self.yaml("deploy/manifests/service.yaml").first)
        #expect(monitor["kind"] == "ServiceMonitor")
        let selector = monitor[path: ["spec", "selector", "matchLabels"]]?.objectValue ?? [:]
        let labels = service[path: ["metadata", "labels"]]?.objectValue ?? [:]
        #expect(!selector.isEmpty && selector.allSatisfy { labels[$0.key] == $0.value })
        let ports = service[path: ["spec", "ports"]]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        let endpoints = monitor[path: ["spec", "endpoints"]]?.arrayValue ?? []
        #expect(!endpoints.isEmpty)
        for endpoint in endpoints {
            #expect(ports.contains(endpoint["port"]?.stringValue ?? ""), "ServiceMonitor port is not one of \(ports)")
        }

        let kustomization = try #require(Self.yaml("\(Self.folder)/kustomization.yaml").first)
        let resources = kustomization["resources"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(Set(resources) == ["servicemonitor.yaml", "prometheusrule.yaml"])
        let generated = kustomization["configMapGenerator"]?.arrayValue?.flatMap { $0["files"]?.arrayValue ?? [] }
            .compactMap(\.stringValue) ?? []
        #expect(generated == ["model-operator-dashboard.json"])
        // Not in the default install: prometheus-operator's CRDs may be absent.
        let defaults = try #require(Self.yaml("deploy/manifests/kustomization.yaml").first)
        #expect(!(defaults["resources"]?.arrayValue?.compactMap(\.stringValue) ?? []).contains { $0.contains("monitoring") })
    }
}
