import Foundation
import KubeModel
import Logging
import Testing
@testable import Controller

@Suite struct StructuredLogHandlerTests {
    let time = Date(timeIntervalSince1970: 1_800_000_000)
    let fields = ["namespace": "vision", "name": "facial edge", "error": "say \"no\""]

    @Test func jsonLinesParseWithTheObjectOnEveryLine() throws {
        let line = StructuredLogHandler.line(format: .json, time: time, level: .info, label: "model-operator",
                                             message: "reconciled", fields: fields)
        let value = try JSONValue.parse(line)
        #expect(value["msg"] == "reconciled" && value["level"] == "info")
        #expect(value["namespace"] == "vision" && value["name"] == "facial edge")
        #expect(value["error"] == "say \"no\"")
        #expect(value["ts"] == "2027-01-15T08:00:00.000Z")
    }

    @Test func logfmtQuotesValuesWithSpacesAndQuotes() {
        let line = StructuredLogHandler.line(format: .logfmt, time: time, level: .warning, label: "model-operator",
                                             message: "reconcile failed", fields: fields)
        #expect(line == #"ts=2027-01-15T08:00:00.000Z level=warning logger=model-operator msg="reconcile failed" error="say \"no\"" name="facial edge" namespace=vision"#)
    }
}
