import Foundation
import KubeModel
@testable import LocalCluster
import Testing

/// Server-side defaulting against the recorded kube-apiserver 1.25 fixtures, field by field.
@Suite("Conformance: server-side defaults of Deployments, ReplicaSets, Pods and Services")
struct ConformanceDefaultingTests {
    /// The raw (undefaulted) pod template the fixtures' Deployment was created from.
    static func rawTemplate() throws -> JSONValue {
        try #require(try Fixture.load("deployment-create").requestBody?[path: ["spec", "template"]])
    }

    @Test("deployment-create and deployment-get: the answer is the fixture's, field by field, except assigned metadata")
    func deploymentDefaults() async throws {
        try await withCluster { _, api in
            let create = try Fixture.load("deployment-create")
            let created = try await api.replay(create)
            #expect(created.status == create.status)
            // progressDeadlineSeconds, revisionHistoryLimit, strategy, template creationTimestamp: null, container
            // imagePullPolicy, terminationMessagePath/Policy, port protocol, probe timings, resources: {} on the
            // init container, dnsPolicy, restartPolicy, schedulerName, securityContext, terminationGracePeriodSeconds,
            // quantities 1000m -> 1, 0.5 -> 500m, 1024Mi -> 1Gi, and status: {}.
            expectSameJSON(created.body.removing(assignedMetadata), create.body.removing(assignedMetadata), "created Deployment")
            let get = try Fixture.load("deployment-get")
            let fetched = try await api.replay(get)
            #expect(fetched.status == 200)
            expectSameJSON(fetched.body.removing(assignedMetadata), get.body.removing(assignedMetadata), "read Deployment")
            #expect(fetched.body == created.body)
        }
    }

    @Test("service-create and service-get: defaults and allocations (difference, named: the cluster IP is random)")
    func serviceDefaults() async throws {
        try await withCluster { _, api in
            let create = try Fixture.load("service-create")
            let created = try await api.replay(create)
            #expect(created.status == 201)
            let allocated: [[String]] = [["spec", "clusterIP"], ["spec", "clusterIPs"]]
            expectSameJSON(created.body.removing(assignedMetadata + allocated), create.body.removing(assignedMetadata + allocated),
                           "created Service")
            // Difference: LocalCluster picks a random 10.96.x.y (the real server allocates from its service CIDR).
            let clusterIP = try #require(created.body[path: ["spec", "clusterIP"]]?.stringValue)
            #expect(clusterIP.hasPrefix("10.96."))
            #expect(created.body[path: ["spec", "clusterIPs"]] == [.string(clusterIP)])
            let get = try Fixture.load("service-get")
            let fetched = try await api.replay(get)
            expectSameJSON(fetched.body.removing(assignedMetadata + allocated), get.body.removing(assignedMetadata + allocated),
                           "read Service")
            var updated = fetched.body
            updated[path: ["spec", "clusterIP"]] = nil
            updated[path: ["spec", "clusterIPs"]] = nil
            let put = try await api.raw("PUT", "/api/v1/namespaces/fixtures/services/m1", body: updated)
            #expect(put.body[path: ["spec", "clusterIP"]]?.stringValue == clusterIP, "an update keeps the allocated IP")
        }
    }

    @Test("a Pod gets the pod defaults and admission additions of pod-list (difference, named: no scheduler, no kubelet)")
    func podDefaults() async throws {
        try await withCluster { _, api in
            let template = try Self.rawTemplate()
            let response = try await api.raw("POST", "/api/v1/namespaces/fixtures/pods", body: [
                "apiVersion": "v1", "kind": "Pod",
                "metadata": ["name": "p1", "labels": template[path: ["metadata", "labels"]] ?? [:]],
                "spec": template["spec"] ?? [:],
            ])
            #expect(response.status == 201)
            let recorded = try #require(try Fixture.load("pod-list").body["items"]?[0])
            // Differences: nodeName is the scheduler's (LocalCluster schedules only simulated pods), and the
            // token volume's name ends in five random characters on both servers.
            let ours = Self.normalizingTokenVolume(response.body["spec"] ?? .null).removing([["nodeName"]])
            let theirs = Self.normalizingTokenVolume(recorded["spec"] ?? .null).removing([["nodeName"]])
            // enableServiceLinks, preemptionPolicy, priority, serviceAccount(Name), the projected token volume and
            // its mounts, and the not-ready/unreachable tolerations of 300 s.
            expectSameJSON(ours, theirs, "Pod spec")
            #expect(response.body[path: ["status", "qosClass"]] == recorded[path: ["status", "qosClass"]])
            #expect(response.body[path: ["status", "phase"]] == "Pending")
            let volumeName = try #require(response.body[path: ["spec", "volumes"]]?[1]?["name"]?.stringValue)
            #expect(volumeName.hasPrefix("kube-api-access-") && volumeName.count == "kube-api-access-".count + 5)
        }
    }

    @Test("a Pod that already tolerates not-ready nodes keeps its toleration; QoS classes follow requests and limits")
    func podTolerationsAndQoS() async throws {
        try await withCluster { _, api in
            let pod: (String, JSONValue, [JSONValue]) async throws -> JSONValue = { name, resources, tolerations in
                try await api.raw("POST", "/api/v1/namespaces/default/pods", body: [
                    "metadata": ["name": .string(name)],
                    "spec": ["containers": [["name": "c", "image": "busybox:1", "resources": resources]],
                             "tolerations": .array(tolerations)],
                ]).body
            }
            let tolerant = try await pod("tolerant", [:], [["key": "node.kubernetes.io/not-ready", "operator": "Exists",
                                                            "effect": "NoExecute", "tolerationSeconds": 10]])
            #expect(tolerant[path: ["spec", "tolerations"]] == [
                ["key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 10],
                ["key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300],
            ])
            #expect(tolerant[path: ["status", "qosClass"]] == "BestEffort")
            let guaranteed = try await pod("guaranteed", ["limits": ["cpu": "1", "memory": "1Gi"]], [])
            #expect(guaranteed[path: ["spec", "containers"]]?[0]?[path: ["resources", "requests"]] == ["cpu": "1", "memory": "1Gi"],
                    "a pod's requests default to its limits")
            #expect(guaranteed[path: ["status", "qosClass"]] == "Guaranteed")
        }
    }

    @Test("a ReplicaSet gets the defaults of replicaset-list")
    func replicaSetDefaults() async throws {
        try await withCluster { _, api in
            let recorded = try #require(try Fixture.load("replicaset-list").body["items"]?[0])
            var template = try Self.rawTemplate()
            template[path: ["metadata", "labels"]] = recorded[path: ["spec", "template", "metadata", "labels"]]
            let response = try await api.raw("POST", "/apis/apps/v1/namespaces/fixtures/replicasets", body: [
                "apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": ["name": "m1-795bfc8949"],
                "spec": ["replicas": 2, "selector": recorded[path: ["spec", "selector"]] ?? [:], "template": template],
            ])
            #expect(response.status == 201)
            expectSameJSON(response.body["spec"] ?? .null, recorded["spec"] ?? .null, "ReplicaSet spec")
            #expect(response.body["status"] == ["replicas": 0], "a new ReplicaSet's status, as its Go type serializes it")
        }
    }

    @Test("imagePullPolicy: Always for :latest or no tag, IfNotPresent for another tag or a digest")
    func imagePullPolicy() async throws {
        try await withCluster { _, api in
            let images = ["nginx", "nginx:latest", "reg.example:5000/app", "reg.example:5000/app:1.2",
                          "app@sha256:0a188063cbda26c51072be2495fbe308d7cb913c5186a940ad90e865a736ce04"]
            let containers: [JSONValue] = images.enumerated().map { ["name": .string("c\($0.offset)"), "image": .string($0.element)] }
            let pod = try await api.raw("POST", "/api/v1/namespaces/default/pods", body: [
                "metadata": ["name": "pull"], "spec": ["containers": .array(containers)],
            ]).body
            let policies = (pod[path: ["spec", "containers"]]?.arrayValue ?? []).map { $0["imagePullPolicy"]?.stringValue ?? "" }
            #expect(policies == ["Always", "Always", "Always", "IfNotPresent", "IfNotPresent"])
        }
    }

    @Test("quantities come back in canonical form; a malformed one is a 400 with the real server's message")
    func quantities() async throws {
        let canonical = ["1000m": "1", "0.5": "500m", "1024Mi": "1Gi", "1.5Gi": "1536Mi", "100M": "100M", "2000": "2k",
                         "1e3": "1e3", "0.1": "100m", "512": "512", "0": "0"]
        for (written, stored) in canonical {
            #expect(Quantity.canonicalSpelling(of: written) == stored, "\(written)")
        }
        #expect(Quantity.canonicalSpelling(of: "lots") == nil)
        try await withCluster { _, api in
            var body = try #require(try Fixture.load("deployment-create").requestBody)
            body[path: ["metadata", "name"]] = "bad-quantity"
            var containers = body[path: ["spec", "template", "spec", "containers"]]?.arrayValue ?? []
            containers[0][path: ["resources", "limits", "memory"]] = "lots"
            body[path: ["spec", "template", "spec", "containers"]] = .array(containers)
            let response = try await api.raw("POST", "/apis/apps/v1/namespaces/fixtures/deployments", body: body)
            #expect(response.status == 400)
            #expect(response.body["message"] == .string("Deployment in version \"v1\" cannot be handled as a Deployment: "
                + "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"))
        }
    }

    @Test("strategy defaults: Recreate gets no rollingUpdate; a partial rollingUpdate is completed with 25%")
    func strategyDefaults() async throws {
        try await withCluster { _, api in
            var recreate = deployment("recreate")
            recreate[path: ["spec", "strategy"]] = ["type": "Recreate"]
            let created = try await api.post("/apis/apps/v1/namespaces/default/deployments", recreate).body
            #expect(created[path: ["spec", "strategy"]] == ["type": "Recreate"])
            var partial = deployment("partial")
            partial[path: ["spec", "strategy"]] = ["rollingUpdate": ["maxSurge": 2]]
            let completed = try await api.post("/apis/apps/v1/namespaces/default/deployments", partial).body
            #expect(completed[path: ["spec", "strategy"]] == ["type": "RollingUpdate",
                                                             "rollingUpdate": ["maxSurge": 2, "maxUnavailable": "25%"]])
        }
    }

    @Test("a NodePort Service gets node ports and traffic policies; updates keep the node ports")
    func nodePortService() async throws {
        try await withCluster { _, api in
            let created = try await api.post("/api/v1/namespaces/default/services", [
                "metadata": ["name": "np"],
                "spec": ["type": "NodePort", "selector": ["a": "b"], "ports": [["port": 80]]],
            ]).body
            let nodePort = try #require(created[path: ["spec", "ports"]]?[0]?["nodePort"]?.intValue)
            #expect((30000...32767).contains(nodePort))
            #expect(created[path: ["spec", "externalTrafficPolicy"]] == "Cluster")
            #expect(created[path: ["spec", "internalTrafficPolicy"]] == "Cluster")
            var update = created
            update[path: ["spec", "ports"]] = [["port": 80, "protocol": "TCP", "targetPort": 80]]
            let updated = try await api.put("/api/v1/namespaces/default/services/np", update).body
            #expect(updated[path: ["spec", "ports"]]?[0]?["nodePort"]?.intValue == nodePort)
        }
    }

    @Test("difference, named: uid, resourceVersion and timestamps differ in value only, not in format")
    func assignedMetadataFormats() async throws {
        let recorded = try Fixture.load("deployment-create").body
        try await withCluster { _, api in
            let ours = try await api.replay(try Fixture.load("deployment-create")).body
            for object in [recorded, ours] {
                let uid = try #require(object[path: ["metadata", "uid"]]?.stringValue)
                #expect(uid.count == 36 && uid == uid.lowercased() && UUID(uuidString: uid) != nil, "uid \(uid)")
                let rv = try #require(object[path: ["metadata", "resourceVersion"]]?.stringValue)
                #expect(Int64(rv) != nil, "resourceVersion \(rv) is a decimal string")
                for time in [object[path: ["metadata", "creationTimestamp"]],
                             object[path: ["metadata", "managedFields"]]?[0]?["time"]] {
                    let text = try #require(time?.stringValue)
                    #expect(text.count == 20 && text.hasSuffix("Z") && Timestamp.parse(text) != nil, "RFC 3339 seconds: \(text)")
                }
            }
            // The values differ: LocalCluster's own uids, its own counter (from 1000) and its clock.
            #expect(ours[path: ["metadata", "uid"]] != recorded[path: ["metadata", "uid"]])
        }
    }

    /// Renames `kube-api-access-xxxxx` (volume and mounts) to `kube-api-access`.
    static func normalizingTokenVolume(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text) where text.hasPrefix("kube-api-access-"): return "kube-api-access"
        case .object(let members): return .object(members.mapValues(normalizingTokenVolume))
        case .array(let elements): return .array(elements.map(normalizingTokenVolume))
        default: return value
        }
    }
}
