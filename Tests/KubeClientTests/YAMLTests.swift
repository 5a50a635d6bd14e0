import Foundation
import Testing
@testable import KubeClient
import KubeModel

@Suite struct YAMLTests {
    @Test func blueprintExampleParsesWithNullImageAndStringVersions() throws {
        let text = """
        apiVersion: ai.kubeedge.io/v1alpha1
        kind: InferenceModel
        metadata:
          name: facialexpression
        spec:
          modelName: facialexpression
          deployToLayer: edge
          image:
          nodeSelector:
            kubernetes.io/hostname: precision-5820
          manifest:
            - version: '3'
              downloadURL: http://192.168.1.13/model_emotion_3.tar.gz
            - version: '4'
          servingPort: 8080
          replicas: 1
        """
        let doc = try YAML.parse(text)
        #expect(doc[path: ["spec", "image"]] == .null)
        #expect(doc[path: ["spec", "servingPort"]] == .int(8080))
        #expect(doc[path: ["spec", "nodeSelector", "kubernetes.io/hostname"]] == "precision-5820")
        #expect(doc[path: ["spec", "manifest"]]?[0]?["version"] == .string("3"))
        #expect(doc[path: ["spec", "manifest"]]?[1]?["version"] == .string("4"))
    }

    @Test func multipleDocumentsSkipEmptyOnes() throws {
        let docs = try YAML.parseDocuments("---\na: 1\n---\n---\nb: [x, 2, 2.5, true, ~, \"7\"]\n")
        #expect(docs.count == 2)
        #expect(docs[0] == ["a": 1])
        #expect(docs[1] == ["b": ["x", 2, 2.5, true, nil, "7"]])
    }

    @Test func coreSchemaScalars() throws {
        let doc = try YAML.parse("""
        hex: 0x1F
        octal: 0o17
        neg: -12
        exp: 1e3
        word: yes
        version: 1.10
        quoted: "1.10"
        tagged: !!str 42
        block: |
          line one
          line two
        after: 1
        """)
        #expect(doc["hex"] == .int(31))
        #expect(doc["octal"] == .int(15))
        #expect(doc["neg"] == .int(-12))
        #expect(doc["exp"] == .double(1000))
        #expect(doc["word"] == "yes")
        #expect(doc["version"] == .double(1.1))
        #expect(doc["quoted"] == "1.10")
        #expect(doc["tagged"] == "42")
        #expect(doc["block"] == "line one\nline two\n")
    }

    @Test func anchorsAliasesAndMergeKeys() throws {
        let doc = try YAML.parse("""
        base: &base {cpu: 1, memory: 2Gi}
        copy: *base
        merged:
          <<: *base
          cpu: 2
        """)
        #expect(doc["copy"] == ["cpu": 1, "memory": "2Gi"])
        #expect(doc["merged"] == ["cpu": 2, "memory": "2Gi"])
    }

    @Test func syntaxErrorsNameTheLine() {
        #expect {
            try YAML.parseDocuments("a: 1\nb: [unclosed\nc: 2\n")
        } throws: { error in
            guard let yamlError = error as? YAMLError else { return false }
            return yamlError.line >= 2 && yamlError.description.contains("line")
        }
    }
}

@Suite struct YAMLEmitterTests {
    @Test func emittedYAMLReadsBackAsTheSameValues() throws {
        let documents: [JSONValue] = [
            ["apiVersion": "apps/v1", "kind": "Deployment",
             "metadata": ["name": "m", "labels": ["version": "4", "flag": "true", "empty": ""]],
             "spec": ["replicas": 3, "ratio": 0.5, "args": ["--port=8080", "line one\nline two\n"], "none": nil,
                      "emptyList": [], "emptyMap": [:]]],
            ["kind": "Service", "spec": ["ports": [["port": 8080]]]],
        ]
        let text = try YAML.emit(documents)
        #expect(try YAML.parseDocuments(text) == documents)
        #expect(text.contains("replicas: 3"))
        #expect(text.contains("version: \"4\""))
    }
}
