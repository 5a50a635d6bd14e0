import Foundation
import KubeModel
import LocalCluster
import TestSupport
import Testing

/// Runs the real kubectl (v1.32) against a LocalCluster, as a user would.
struct Kubectl {
    static let path = executablePath("kubectl")
    let dir: TempDir
    let kubeconfig: URL

    init(cluster: LocalCluster, dir: TempDir) async throws {
        self.dir = dir
        kubeconfig = dir.file("kubeconfig")
        try await cluster.writeKubeconfig(to: kubeconfig)
    }

    func start(_ arguments: [String]) throws -> SpawnedProcess {
        try SpawnedProcess.start([Self.path, "--kubeconfig", kubeconfig.path, "--cache-dir", dir.file("cache").path] + arguments,
                             logsIn: dir.url, environment: ["HOME": dir.url.path])
    }

    /// Runs kubectl to completion; fails the test with its output when it exits non-zero and `check` is set.
    @discardableResult
    func run(_ arguments: String..., check: Bool = true) async throws -> (status: Int32, out: String, err: String) {
        let child = try start(arguments)
        let status = try await child.wait()
        if check && status != 0 {
            throw TestFailure("kubectl \(arguments.joined(separator: " ")) exited \(status)\n\(child.stdout)\n\(child.stderr)")
        }
        return (status, child.stdout, child.stderr)
    }
}

let widgetCRDYAML = """
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: widgets.example.com
    spec:
      group: example.com
      scope: Namespaced
      names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wdg]}
      versions:
      - name: v1
        served: true
        storage: true
        subresources:
          status: {}
          scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
        additionalPrinterColumns:
        - {name: Color, type: string, jsonPath: .spec.color}
        - {name: Replicas, type: integer, jsonPath: .spec.replicas}
        - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
        schema:
          openAPIV3Schema:
            type: object
            description: A Widget is a thing for testing.
            properties:
              spec:
                type: object
                description: The desired widget.
                required: [color]
                properties:
                  color: {type: string, enum: [red, green, blue], description: The colour of the widget.}
                  replicas: {type: integer, minimum: 0, default: 1}
                  servingPort: {type: integer, maximum: 65535}
              status:
                type: object
                properties:
                  replicas: {type: integer}

    """

func widgetYAML(color: String, port: Int = 8080) -> String {
    """
    apiVersion: example.com/v1
    kind: Widget
    metadata:
      name: w1
    spec:
      color: \(color)
      servingPort: \(port)

    """
}

/// The text with every run of spaces shortened to one (kubectl aligns columns with spaces).
func collapsingSpaces(_ text: String) -> String {
    text.replacingOccurrences(of: " +", with: " ", options: .regularExpression)
}

@Suite("kubectl against LocalCluster")
struct KubectlTests {
    @Test("CRD and custom object: apply, get (table, yaml, watch), describe, scale, explain, api-resources, delete")
    func customResourceWorkflow() async throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try await withCluster { cluster, api in
            let kubectl = try await Kubectl(cluster: cluster, dir: dir)
            let crd = try dir.write("crd.yaml", widgetCRDYAML)
            #expect(try await kubectl.run("apply", "-f", crd.path).out.contains("customresourcedefinition.apiextensions.k8s.io/widgets.example.com created"))
            try await kubectl.run("wait", "--for=condition=Established", "crd/widgets.example.com", "--timeout=60s")

            let widget = try dir.write("w.yaml", widgetYAML(color: "red"))
            #expect(try await kubectl.run("apply", "-f", widget.path).out.contains("widget.example.com/w1 created"))
            let table = try await kubectl.run("get", "widgets").out
            let lines = table.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
            #expect(lines.first == ["NAME", "COLOR", "REPLICAS", "AGE"])
            #expect(Array(lines.dropFirst().first?.prefix(3) ?? []) == ["w1", "red", "1"])

            let watch = try kubectl.start(["get", "wdg", "-w"])
            defer { watch.killNow() }
            _ = try await watch.waitForOutput { $0.contains("red") }

            _ = try dir.write("w.yaml", widgetYAML(color: "blue"))
            #expect(try await kubectl.run("apply", "-f", widget.path).out.contains("widget.example.com/w1 configured"))
            let watched = try await watch.waitForOutput { $0.contains("blue") }
            #expect(watched.split(separator: "\n").filter { $0.hasPrefix("NAME") }.count == 1, "one header line")
            watch.killNow()

            let yaml = try await kubectl.run("get", "widget", "w1", "-o", "yaml").out
            #expect(yaml.contains("color: blue"))
            #expect(yaml.contains("generation: 2"))
            #expect(yaml.contains("kubectl.kubernetes.io/last-applied-configuration"))

            let invalid = try dir.write("bad.yaml", widgetYAML(color: "red", port: 70000))
            let rejected = try await kubectl.run("apply", "-f", invalid.path, check: false)
            #expect(rejected.status != 0)
            #expect(rejected.err.contains("spec.servingPort: Invalid value: 70000: spec.servingPort in body should be less than or equal to 65535"))

            #expect(try await kubectl.run("scale", "widget", "w1", "--replicas=3").out.contains("scaled"))
            #expect(try await kubectl.run("get", "widget", "w1", "-o", "jsonpath={.spec.replicas}").out == "3")

            let live = try await api.get("/apis/example.com/v1/namespaces/default/widgets/w1").body
            _ = try await api.post("/api/v1/namespaces/default/events", [
                "metadata": ["name": "w1.event"], "type": "Normal", "reason": "Polished", "message": "the widget shines",
                "involvedObject": ["apiVersion": "example.com/v1", "kind": "Widget", "name": "w1", "namespace": "default",
                                   "uid": live[path: ["metadata", "uid"]] ?? ""],
                "source": ["component": "widget-controller"], "count": 1,
                "firstTimestamp": .string(Date().formatted(.iso8601)), "lastTimestamp": .string(Date().formatted(.iso8601)),
            ])
            let described = collapsingSpaces(try await kubectl.run("describe", "widget", "w1").out)
            #expect(described.contains("Normal Polished"))
            #expect(described.contains("the widget shines"))
            #expect(described.contains("Name: w1"))
            #expect(described.contains("Color: blue"))
            #expect(described.contains("Events:"))

            let explained = try await kubectl.run("explain", "widgets.spec").out
            #expect(explained.contains("The desired widget."))
            #expect(explained.contains("color\t<string> -required-"))
            #expect(explained.contains("The colour of the widget."))

            let resources = try await kubectl.run("api-resources").out
            let widgetRow = resources.split(separator: "\n").first { $0.hasPrefix("widgets ") }
            #expect(widgetRow.map { $0.split(separator: " ", omittingEmptySubsequences: true) } == ["widgets", "wdg", "example.com/v1", "true", "Widget"])

            #expect(try await kubectl.run("delete", "widget", "w1").out.contains("widget.example.com \"w1\" deleted"))
            let empty = try await kubectl.run("get", "widgets")
            #expect(empty.err.contains("No resources found in default namespace."))
            try await kubectl.run("delete", "-f", crd.path)
            #expect(!(try await kubectl.run("api-resources").out.contains("widgets")))
        }
    }

    @Test("apply a Deployment and a Service twice (strategic merge), get, describe, rollout status, delete")
    func deploymentAndServiceApply() async throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let options = LocalClusterOptions(deploymentSimulation: DeploymentSimulationOptions(delay: .milliseconds(50)))
        try await withCluster(options) { cluster, api in
            try await cluster.addDemoNodes()  // pods run only on nodes that can take them, as on a real cluster
            let kubectl = try await Kubectl(cluster: cluster, dir: dir)
            func manifest(image: String, envB: String, withMetrics: Bool) -> String {
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, labels: {app: web}}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - name: web
                        image: \(image)
                        ports: [{containerPort: 80}]
                        env: [{name: A, value: "1"}, {name: B, value: "\(envB)"}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  selector: {app: web}
                  ports:
                  - {name: http, port: 80, targetPort: 80}
                \(withMetrics ? "  - {name: metrics, port: 9090}" : "")

                """
            }
            let file = try dir.write("app.yaml", manifest(image: "nginx:1.25", envB: "2", withMetrics: true))
            let created = try await kubectl.run("apply", "-f", file.path).out
            #expect(created.contains("deployment.apps/web created"))
            #expect(created.contains("service/web created"))
            _ = try dir.write("app.yaml", manifest(image: "nginx:1.26", envB: "3", withMetrics: false))
            let configured = try await kubectl.run("apply", "-f", file.path).out
            #expect(configured.contains("deployment.apps/web configured"))
            #expect(configured.contains("service/web configured"))

            let live = try await api.get("/apis/apps/v1/namespaces/default/deployments/web").body
            let container = live[path: ["spec", "template", "spec", "containers"]]?[0]
            #expect(container?["image"] == "nginx:1.26")
            #expect(container?["env"] == [["name": "A", "value": "1"], ["name": "B", "value": "3"]])
            #expect(live[path: ["metadata", "generation"]] == 2)
            let service = try await api.get("/api/v1/namespaces/default/services/web").body
            #expect(service[path: ["spec", "ports"]]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["http"],
                    "the port removed from the manifest is removed by the three-way merge")
            #expect(await cluster.writeCount(verb: "patch", resource: "deployments") == 1)

            try await kubectl.run("rollout", "status", "deployment/web", "--timeout=60s")
            let deployments = try await kubectl.run("get", "deployments").out
            #expect(deployments.contains("web    2/2     2            2"))
            let describe = collapsingSpaces(try await kubectl.run("describe", "deployment", "web").out)
            #expect(describe.contains("Image: nginx:1.26"))
            #expect(describe.contains("2 desired | 2 updated | 2 total | 2 available | 0 unavailable"))
            #expect(try await kubectl.run("get", "pods").out.contains("Running"))
            try await kubectl.run("delete", "-f", file.path)
            #expect(try await api.get("/apis/apps/v1/namespaces/default/deployments/web").status == 404)
            #expect(try await kubectl.run("get", "pods").err.contains("No resources found"))
        }
    }

    @Test("kubectl create namespace/configmap/secret/deployment and expose (protobuf bodies), label, get -l, delete namespace")
    func typedGenerators() async throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try await withCluster { cluster, api in
            let kubectl = try await Kubectl(cluster: cluster, dir: dir)
            #expect(try await kubectl.run("create", "namespace", "team").out.contains("namespace/team created"))
            try await kubectl.run("create", "configmap", "cfg", "-n", "team", "--from-literal=a=1", "--from-literal=b=two")
            try await kubectl.run("create", "secret", "generic", "s1", "-n", "team", "--from-literal=p=x")
            let configMap = try await api.get("/api/v1/namespaces/team/configmaps/cfg").body
            #expect(configMap["data"] == ["a": "1", "b": "two"])
            let secret = try await api.get("/api/v1/namespaces/team/secrets/s1").body
            #expect(secret[path: ["data", "p"]] == .string(Data("x".utf8).base64EncodedString()))
            try await kubectl.run("label", "configmap", "cfg", "-n", "team", "tier=web")
            #expect(try await kubectl.run("get", "cm", "-n", "team", "-l", "tier=web", "-o", "name").out == "configmap/cfg\n")
            try await kubectl.run("create", "deployment", "web", "-n", "team", "--image=nginx:1.25", "--port=80", "--replicas=2")
            let deployment = try await api.get("/apis/apps/v1/namespaces/team/deployments/web").body
            #expect(deployment[path: ["spec", "replicas"]] == 2)
            #expect(deployment[path: ["spec", "selector"]] == ["matchLabels": ["app": "web"]])
            #expect(deployment[path: ["spec", "template", "spec", "containers"]] == [
                ["name": "nginx", "image": "nginx:1.25", "ports": [["containerPort": 80, "protocol": "TCP"]], "resources": [:],
                 "imagePullPolicy": "IfNotPresent", "terminationMessagePath": "/dev/termination-log",
                 "terminationMessagePolicy": "File"],
            ], "the server defaults containers as kube-apiserver 1.25 does")
            try await kubectl.run("expose", "deployment", "web", "-n", "team", "--port=80", "--target-port=8080")
            let service = try await api.get("/api/v1/namespaces/team/services/web").body
            #expect(service[path: ["spec", "ports"]] == [["port": 80, "protocol": "TCP", "targetPort": 8080]])
            #expect(service[path: ["spec", "selector"]] == ["app": "web"])
            #expect(try await kubectl.run("auth", "can-i", "create", "deployments", "-n", "team").out == "yes\n")
            try await kubectl.run("delete", "namespace", "team")
            #expect(try await api.get("/api/v1/namespaces/team/configmaps/cfg").status == 404)
        }
    }

    /// The installation as the README gives it: the CRD (under kubectl's strict validation),
    /// namespace, RBAC and the operator's Deployment, in one `kubectl apply -k deploy/`.
    @Test("kubectl apply -k deploy/ installs the operator")
    func applyKustomizeInstallsTheOperator() async throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let deploy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("deploy")
        try await withCluster { cluster, _ in
            let kubectl = try await Kubectl(cluster: cluster, dir: dir)
            let out = try await kubectl.run("apply", "-k", deploy.path).out
            for object in ["customresourcedefinition.apiextensions.k8s.io/inferencemodels.ai.kubeedge.io created",
                           "clusterrole.rbac.authorization.k8s.io/model-operator created",
                           "deployment.apps/model-operator created"] {
                #expect(out.contains(object), "\(out)")
            }
            try await kubectl.run("wait", "--for=condition=Established", "crd/inferencemodels.ai.kubeedge.io", "--timeout=60s")
        }
    }

    @Test("server-side apply with kubectl creates and updates")
    func serverSideApply() async throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try await withCluster { cluster, api in
            let kubectl = try await Kubectl(cluster: cluster, dir: dir)
            let file = try dir.write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: \"1\"}\n")
            #expect(try await kubectl.run("apply", "--server-side", "-f", file.path).out.contains("serverside-applied"))
            _ = try dir.write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: \"2\"}\n")
            try await kubectl.run("apply", "--server-side", "-f", file.path)
            #expect(try await api.get("/api/v1/namespaces/default/configmaps/settings").body[path: ["data", "a"]] == "2")
        }
    }
}
