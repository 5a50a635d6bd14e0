import Foundation
import Testing
@testable import KubeModel

@Suite struct QuantityTests {
    @Test(arguments: [
        ("500m", 500, 1), ("2", 2000, 2), ("1.5", 1500, 2), ("0.1", 100, 1), ("100M", 100_000_000_000, 100_000_000),
        ("2Gi", 2_147_483_648_000, 2_147_483_648), ("1Ki", 1_024_000, 1024), ("1e3", 1_000_000, 1000),
        ("5E-3", 5, 1), ("250u", 1, 1), ("1.0001", 1001, 2), ("+3k", 3_000_000, 3000), ("-1", -1000, -1),
        ("0", 0, 0), ("12n", 1, 1),
    ] as [(String, Int64, Int64)])
    func parsesMilliAndWholeValues(text: String, milli: Int64, whole: Int64) throws {
        let quantity = try Quantity(parsing: text)
        #expect(quantity.milliValue == milli)
        #expect(quantity.value == whole)
        #expect(quantity.description == text)
    }

    @Test(arguments: ["", "m", "1.2.3", "5Gb", "1e", "abc", "1 Gi", "--1", "1e3.5"])
    func rejectsMalformedText(text: String) {
        #expect(throws: QuantityError.self) { try Quantity(parsing: text) }
    }

    @Test func errorsSayWhatIsWrong() {
        do {
            _ = try Quantity(parsing: "5Gb")
            Issue.record("5Gb parsed")
        } catch {
            #expect("\(error)".contains("unknown suffix \"Gb\""))
            #expect("\(error)".contains("2Gi"))
        }
    }

    @Test func comparesByValueAcrossNotations() throws {
        #expect(try Quantity(parsing: "1") == Quantity(parsing: "1000m"))
        #expect(try Quantity(parsing: "1k") == Quantity(parsing: "1e3"))
        #expect(try Quantity(parsing: "1Gi") > Quantity(parsing: "1G"))
        #expect(try Quantity(parsing: "500m") < Quantity(parsing: "0.6"))
        let set: Set<Quantity> = [try Quantity(parsing: "1"), try Quantity(parsing: "1000m")]
        #expect(set.count == 1)
    }

    @Test func equalQuantitiesHashAlikeAndDifferentOnesApart() throws {
        let spellings: [[String]] = [
            ["1", "1000m", "1e0", "0.001k", "1.000", "1000000000n"],
            ["0.5", "500m", "5e-1", "500000u"],
            ["1Gi", "1073741824", "1024Mi", "1048576Ki"],
            ["0", "0m", "-0", "0Gi"],
            ["-1500m", "-1.5"],
            ["12345678901234567890", "12345678901234567890000m"],  // Beyond a double's exact integers.
        ]
        for group in spellings {
            let hashes = Set(try group.map { try Quantity(parsing: $0).hashValue })
            #expect(hashes.count == 1, "\(group)")
        }
        #expect(Quantity(milli: 1000).hashValue == (try Quantity(parsing: "1")).hashValue)
        #expect((try Quantity(parsing: "250m") * 4).hashValue == (try Quantity(parsing: "1")).hashValue)
        let distinct = try ["1", "1001m", "-1", "2", "1Gi", "1G", "12345678901234567891", "12345678901234567890"]
            .map { try Quantity(parsing: $0) }
        #expect(Set(distinct.map(\.hashValue)).count == distinct.count)
    }

    @Test func formatsCanonically() throws {
        #expect(Quantity(milli: 1500).description == "1500m")
        #expect(Quantity(milli: 2000).description == "2")
        #expect(Quantity(2 << 30, binary: true).description == "2Gi")
        #expect(Quantity(1536 << 20, binary: true).description == "1536Mi")
        #expect(Quantity(1000, binary: true).description == "1000")
        #expect(Quantity(3000).description == "3k")
        #expect(try Quantity(parsing: "0.5").canonical == "500m")
        #expect(try Quantity(parsing: "1e3").canonical == "1e3")
        #expect((try Quantity(parsing: "1Gi") + Quantity(parsing: "512Mi")).description == "1536Mi")
        #expect((try Quantity(parsing: "1") - Quantity(parsing: "250m")).description == "750m")
    }

    @Test func encodesAsWrittenAndDecodesNumbers() throws {
        let resources = try JSONValue.parse(#"{"cpu": "250m", "memory": 1048576, "gpu": 1.5}"#)
            .decode(as: [String: Quantity].self)
        #expect(resources["memory"]?.value == 1_048_576)
        #expect(resources["gpu"]?.milliValue == 1500)
        #expect(try wireJSON(resources)["cpu"] == "250m")
        #expect(throws: DecodingError.self) { try JSONValue.parse(#"{"cpu": "lots"}"#).decode(as: [String: Quantity].self) }
    }
}
