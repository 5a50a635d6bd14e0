import Foundation
import KubeModel
@testable import LocalCluster
import Testing

@Suite("Pure cores: selectors, patches, CEL, JSONPath, durations")
struct PureCoreTests {
    @Test("label selectors parse and match")
    func labelSelector() throws {
        let selector = try LabelSelector(parsing: "app=web, tier in (a, b),!legacy")
        #expect(selector.matches(["app": "web", "tier": "b"]))
        #expect(!selector.matches(["app": "web", "tier": "c"]))
        #expect(!selector.matches(["app": "web", "tier": "a", "legacy": "1"]))
        #expect(LabelSelector(structured: ["matchLabels": ["app": "web"]]).text == "app=web")
    }

    @Test("strategic merge keeps unmatched list elements and applies $retainKeys and $deleteFromPrimitiveList")
    func strategicDirectives() throws {
        let original: JSONValue = ["spec": ["strategy": ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": 1]]],
                                   "metadata": ["finalizers": ["a", "b"]]]
        let patch: JSONValue = [
            "spec": ["strategy": ["$retainKeys": ["type"], "type": "Recreate"]],
            "metadata": ["$deleteFromPrimitiveList/finalizers": ["a"]],
        ]
        let merged = try StrategicMergePatch.apply(patch, to: original)
        #expect(merged[path: ["spec", "strategy"]] == ["type": "Recreate"])
        #expect(merged[path: ["metadata", "finalizers"]] == ["b"])
    }

    @Test("JSON patch move, copy and remove")
    func jsonPatch() throws {
        let result = try JSONPatch.apply([
            ["op": "copy", "from": "/a", "path": "/b"], ["op": "move", "from": "/a", "path": "/c"],
            ["op": "remove", "path": "/list/0"],
        ], to: ["a": 1, "list": [1, 2]])
        #expect(result == ["b": 1, "c": 1, "list": [2]])
        #expect(throws: APIError.self) { try JSONPatch.apply([["op": "remove", "path": "/missing"]], to: [:]) }
    }

    @Test("CEL subset evaluates and rejects what it does not support")
    func cel() throws {
        let object: JSONValue = ["x": 3, "name": "abc", "items": [["v": 1], ["v": 2]], "tags": ["a"]]
        func eval(_ text: String) throws -> JSONValue { try CELExpression(parsing: text).evaluate(self: object, oldSelf: nil) }
        #expect(try eval("has(self.x) && !has(self.y)") == true)
        #expect(try eval("size(self.name) > 0 && self.name.startsWith('a')") == true)
        #expect(try eval("self.items.exists(i, i.v == 2) || false") == true)
        #expect(try eval("self.items.all(i, i.v > 1)") == false)
        #expect(try eval("self.x * 2 + 1 == 7 ? 'yes' : 'no'") == "yes")
        #expect(try eval("'a' in self.tags") == true)
        #expect(try eval("self.items.map(i, i.v)") == [1, 2])
        #expect(throws: CELError.self) { try CELExpression(parsing: "self.name.lowerAscii() == 'abc'") }
        #expect(throws: CELError.self) { try eval("self.missing == 1") }
    }

    @Test("list-type map and set reject duplicates; has() treats null as absent")
    func listTypes() throws {
        let schema: JSONValue = ["type": "object", "properties": [
            "versions": ["type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["version"],
                         "items": ["type": "object", "properties": ["version": ["type": "string"], "url": ["type": "string"]]]],
            "tags": ["type": "array", "x-kubernetes-list-type": "set", "items": ["type": "string"]],
        ]]
        let validator = SchemaValidator(schema: schema, logger: nil)
        let errors = validator.validate(["versions": [["version": "1", "url": "a"], ["version": "1", "url": "b"]],
                                         "tags": ["x", "y", "x"]], old: nil).map(\.description)
        #expect(errors == ["tags[2]: Duplicate value: \"x\"", "versions[1]: Duplicate value: {\"version\":\"1\"}"])
        #expect(try CELExpression(parsing: "has(self.a)").evaluate(self: ["a": .null], oldSelf: nil) == false)
    }

    @Test("printer-column JSONPath supports fields, indexes, wildcards and equality filters")
    func jsonPath() {
        let object: JSONValue = ["status": ["conditions": [["type": "Ready", "status": "True"], ["type": "X", "status": "False"]]],
                                 "spec": ["containers": [["image": "a"], ["image": "b"]]]]
        #expect(SimpleJSONPath.text(".status.conditions[?(@.type==\"Ready\")].status", in: object) == "True")
        #expect(SimpleJSONPath.text(".spec.containers[*].image", in: object) == "a,b")
        #expect(SimpleJSONPath.text("{.spec.containers[1].image}", in: object) == "b")
        #expect(SimpleJSONPath.text(".spec.missing", in: object) == nil)
    }

    @Test("ages print like kubectl")
    func humanDuration() {
        #expect(HumanDuration.text(5) == "5s")
        #expect(HumanDuration.text(185) == "3m5s")
        #expect(HumanDuration.text(3600 * 5 + 60 * 7) == "5h7m")
        #expect(HumanDuration.text(86400 * 3 + 3600 * 2) == "3d2h")
    }
}
