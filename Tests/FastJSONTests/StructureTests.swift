import FastJSON
import Foundation
import Testing

/// Documents are accepted and refused exactly where Foundation's JSONDecoder accepts and refuses them.
@Suite struct StructureTests {
    static let documents = [
        "", " ", "{", "}", "[", "]", "{}", "[]", "null", "nul", "nulll", "true", "tru", "false", "fals", "1", "-", "\"a\"",
        "\"a", "{\"v\":1}", " {\"v\":1} ", "\t\r\n{\"v\":1}\n", "{\"v\":1}x", "{\"v\":1}}", "{\"v\":1,}", "{\"v\":1,,}",
        "{,\"v\":1}", "{\"v\" 1}", "{\"v\":}", "{\"v\":1 \"w\":2}", "{v:1}", "{'v':1}", "{\"v\":[1,]}", "{\"v\":[,1]}",
        "{\"v\":[1,,2]}", "{\"v\":[1 2]}", "[1,]", "[1,] ", "{\"v\":1}\u{0}", "\u{FEFF}{\"v\":1}", "{\"v\":\"\\u12\"}",
        "{\"v\":\"\\u12\"\"}", "{\"v\":\"\\", "{\"v\":\"\\u", "{\"v\":1}//", "/*c*/{\"v\":1}", "{\"v\":NaN}",
        "{\"v\":Infinity}", "{\"v\":+1}", "{\"v\":1}\u{00A0}", "{\"v\" : 1 , \"w\" : [ ] }", "{\"v\":1,\"v\":2}",
        "{\"w\":1,\"v\":2,\"v\":\"x\"}", "{\"v\":1,\"v\":\"x\"}", "{\"\":1,\"v\":2}",
    ]

    @Test(arguments: documents)
    func documentsAreAcceptedAndRefusedAsByFoundation(text: String) {
        expectSameDecoding(Box<Int>.self, text)
        expectSameDecoding(Tree.self, text)
        expectSameDecoding([String: Tree].self, text)
    }

    @Test func aUTF8ByteOrderMarkIsSkippedAndUTF16IsRead() {
        expectSameDecoding(Box<String>.self, Data([0xEF, 0xBB, 0xBF]) + Data(#"{"v":"bom"}"#.utf8))
        let utf16 = #"{"v":"sixteen ✓"}"#
        expectSameDecoding(Box<String>.self, Data([0xFF, 0xFE]) + (utf16.data(using: .utf16LittleEndian) ?? Data()))
        expectSameDecoding(Box<String>.self, utf16.data(using: .utf16BigEndian) ?? Data())
        expectSameDecoding(Box<String>.self, utf16.data(using: .utf32LittleEndian) ?? Data())
        expectSameDecoding(Int.self, Data([0x37, 0x00]))
    }

    @Test(arguments: [511, 512, 513])
    func nestingIsLimitedAsInFoundation(depth: Int) {
        let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        expectSameDecoding(Tree.self, arrays)
        let objects = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
        expectSameDecoding(Tree.self, objects)
        expectSameDecoding(Box<Int>.self, #"{"v":1,"deep":\#(arrays)}"#)
    }

    // The long loops yield now and then: on two cores a test that keeps a thread of the shared
    // pool for seconds starves the suites that wait on timers.
    @Test func everyTruncationOfADocumentIsRefusedAsByFoundation() async {
        let document = Array(sampleDocument.utf8)
        for length in 0..<document.count {
            expectSameDecoding(Sample.self, Data(document[..<length]), "(the first \(length) bytes)")
            await Task.yield()
        }
    }

    /// Each byte replaced by each of these, and each byte dropped.
    static let replacements = Array(#"{}[],:"\ 0-+.eEtfnu1/x"#.utf8) + [0x00, 0x0A, 0x1F, 0x80, 0xC3, 0xFF]

    @Test func everyOneByteChangeOfADocumentDecodesAsWithFoundation() async {
        let document = Array(sampleDocument.utf8)
        var decoded = 0
        for index in document.indices {
            for byte in Self.replacements where byte != document[index] {
                var changed = document
                changed[index] = byte
                if expectSameDecoding(Sample.self, Data(changed), "(byte \(index) set to \(byte))") { decoded += 1 }
            }
            var shorter = document
            shorter.remove(at: index)
            expectSameDecoding(Sample.self, Data(shorter), "(byte \(index) removed)")
            await Task.yield()
        }
        // Many changes land in strings or unread fields and still decode: both paths were exercised.
        #expect(decoded > document.count)
    }

    @Test func objectsWithManyMembersLookUpTheFirstOfDuplicateKeys() {
        let members = (0..<100).map { #""k\#($0 % 60)":\#($0)"# }.joined(separator: ",")
        expectSameDecoding([String: Int].self, "{\(members)}")
        expectSameDecoding(Box<Int>.self, #"{\#(members),"v":1,"v":2}"#)
        expectSameDecoding(Box<Int>.self, #"{\#(members),"\u0076":3,"v":1}"#)
        expectSameDecoding(Box<Int>.self, #"{"\u0076":3,"v":1}"#)
        expectSameDecoding(Box<Int>.self, #"{"v":1,"\u0076":3}"#)
    }

    @Test func aSyntaxErrorNamesWhereItIs() throws {
        let text = "{\n  \"v\": 1,\n  \"w\": [1 2]\n}"
        do {
            _ = try FastJSONDecoder().decode(Box<Int>.self, from: Data(text.utf8))
            Issue.record("decoded malformed JSON")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.debugDescription.contains("line 3, column 11"), "\(context.debugDescription)")
            #expect(context.debugDescription.contains("unexpected character '2' in array"), "\(context.debugDescription)")
            #expect(context.underlyingError is JSONSyntaxError)
        }
    }

    @Test func aMalformedValueNamesItsPathAndTheProblem() throws {
        do {
            _ = try FastJSONDecoder().decode(Sample.self, from: Data(#"{"name":"n","count":1,"items":[{"id":1},{"id":01}]}"#.utf8))
            Issue.record("decoded a number with a leading zero")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(pathText(context.codingPath) == ".items[1].id")
            #expect(context.debugDescription == "01 is not a valid JSON number")
        }
        do {
            _ = try FastJSONDecoder().decode(Box<Int>.self, from: Data(#"{"v":9.3e18}"#.utf8))
            Issue.record("decoded a number that does not fit")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.debugDescription == "Number 9.3e18 is not representable as Int")
        }
    }
}
