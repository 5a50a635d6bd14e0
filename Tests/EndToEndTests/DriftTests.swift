import Foundation
import KubeClient
import Testing

/// Hand edits of what the operator owns are reverted, through the real kubectl: the Service's
/// ports, selector and type, and fields added to the pod template.
@Suite struct DriftTests {
    @Test func aHandEditedServiceIsRestored() async throws {
        try await E2EHarness.run { harness in
            try await harness.apply(harness.modelYAML(name: "svc-drift", replicas: 1))
            _ = try await harness.waitUntilDeployed("svc-drift", version: "1")

            let port = try await harness.kubectl(["patch", "service", "svc-drift", "--type", "json", "-p",
                                                  #"[{"op":"replace","path":"/spec/ports/0/port","value":9999}]"#])
            #expect(port.status == 0, "\(port.err)")
            try await eventually("Service port restored") {
                try await harness.getJSON(["service", "svc-drift"])[path: ["spec", "ports"]]?[0]?["port"] == 8080
        }
        let selector = try await harness.kubectl(["patch", "service", "svc-drift", "--type", "merge", "-p",
                                                  #"{"spec":{"selector":{"ai.kubeedge.io/inferencemodel":"someone-else"}}}"#])
        #expect(selector.status == 0, "\(selector.err)")
        try await eventually("Service selector restored") {
            try await harness.getJSON(["service", "svc-drift"])[path: ["spec", "selector", "ai.kubeedge.io/inferencemodel"]]
                == "svc-drift"
        }
        let type = try await harness.kubectl(["patch", "service", "svc-drift", "--type", "merge", "-p",
                                              #"{"spec":{"type":"NodePort"}}"#])
        #expect(type.status == 0, "\(type.err)")
        try await eventually("Service type restored") {
            try await harness.getJSON(["service", "svc-drift"])[path: ["spec", "type"]] == "ClusterIP"
        }
        }
    }

    @Test func fieldsAddedToThePodTemplateAreRemoved() async throws {
        try await E2EHarness.run { harness in
            try await harness.apply(harness.modelYAML(name: "tpl-drift", replicas: 1))
            _ = try await harness.waitUntilDeployed("tpl-drift", version: "1")

            let edit = try await harness.kubectl(["patch", "deployment", "tpl-drift", "--type", "merge", "-p",
                                                  #"{"spec":{"template":{"spec":{"hostNetwork":true,"nodeSelector":{"disk":"ssd"}}}}}"#])
            #expect(edit.status == 0, "\(edit.err)")
            try await eventually("pod template restored") {
                let spec = try await harness.getJSON(["deployment", "tpl-drift"])[path: ["spec", "template", "spec"]]
                return spec?["hostNetwork"] == nil && spec?[path: ["nodeSelector", "disk"]] == nil
        }
        }
    }
}
