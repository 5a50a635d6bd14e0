import Foundation
import Testing
@testable import KubeModel

@Suite struct JSONValueTests {
    @Test func integersStayIntegers() throws {
        let value = try JSONValue.parse(#"{"replicas": 3, "ratio": 0.5, "name": "x", "on": true, "gone": null}"#)
        #expect(value["replicas"] == .int(3))
        #expect(value["ratio"] == .double(0.5))
        #expect(value["on"] == .bool(true))
        #expect(value["gone"] == .null)
        #expect(value.jsonString == #"{"gone":null,"name":"x","on":true,"ratio":0.5,"replicas":3}"#)
    }

    @Test func mergePatchFollowsRFC7386() throws {
        let target: JSONValue = ["a": "b", "c": ["d": "e", "f": "g"]]
        let patch: JSONValue = ["a": "z", "c": ["f": nil]]
        #expect(target.applyingMergePatch(patch) == ["a": "z", "c": ["d": "e"]])
    }

    @Test func pathSubscriptCreatesIntermediateObjects() {
        var value: JSONValue = [:]
        value[path: ["status", "url"]] = "http://x"
        #expect(value[path: ["status", "url"]]?.stringValue == "http://x")
    }
}
