import FastJSON
import Foundation
import Testing

/// Values decode exactly as with Foundation's JSONDecoder.
@Suite struct ValueTests {
    @Test func aRichDocumentDecodesToTheSameValue() throws {
        let data = Data(sampleDocument.utf8)
        #expect(expectSameDecoding(Sample.self, data))
        let sample = try FastJSONDecoder().decode(Sample.self, from: data)
        #expect(sample.name == "model-é\n \"q\" / 🚀 ✓")
        #expect(sample.big == Int64.min && sample.unsigned == UInt.max && sample.small == -128)
        #expect(sample.ratio == 0.001 && sample.single == 3.25)
        #expect(sample.labels == ["app.kubernetes.io/name": "m1", "tier": "edge"], "the first of duplicate keys wins")
        #expect(sample.port == .text("http") && sample.kind == .edge)
        #expect(sample.tree == .object(["i": .int(3), "d": .double(2.5), "e": .int(1000), "s": .string("x"), "n": .null,
                                        "b": .bool(false), "a": .array([.int(1), .string("2"), .array([.int(3)])]),
                                        "o": .object([:])]))
    }

    static let numbers = [
        "0", "-0", "7", "-7", "01", "-01", "00", "1.", ".5", "-.5", "-", "1e5", "1E+5", "1e-5", "1.0", "2.5", "1e2", "100e-2",
        "0e0", "0.0", "1e-400", "1e400", "-1e400", "1ee5", "1e", "1e+", "1.5.5", "1-2", "1+2", "2.-5", "1.e5", "0x10",
        "127", "128", "-128", "-129", "255", "256", "2147483647", "2147483648", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "18446744073709551615",
        "18446744073709551616", "9007199254740993", "9007199254740993.0", "9007199254740993.5", "9.223372036854776e+18",
        "123456789012345678901234567890", "0.1", "0.30000000000000004", "4.9e-324", "2e-324", "1e-324", "1.7976931348623157e308",
        "1.8e308", "3.4028235e38", "3.5e38", "1e-46", "0.000", "-0.0e-5", "0.0e-5", "0e-7", "0e7", "-0e-1", "0.00e-15", "0.0000e-5", "0e+1", "-0.0", "00e1", "12345678901234567890e-10", "1e19", "1.5e1",
    ]

    @Test(arguments: numbers)
    func numbersDecodeAsFoundationDecodesThem(text: String) {
        let json = #"{"v":\#(text)}"#
        expectSameDecoding(Box<Int>.self, json)
        expectSameDecoding(Box<Int64>.self, json)
        expectSameDecoding(Box<Int32>.self, json)
        expectSameDecoding(Box<Int8>.self, json)
        expectSameDecoding(Box<UInt8>.self, json)
        expectSameDecoding(Box<UInt>.self, json)
        expectSameDecoding(Box<UInt64>.self, json)
        expectSameDecoding(Box<Double>.self, json)
        expectSameDecoding(Box<Float>.self, json)
        expectSameDecoding(Box<Tree>.self, json)
        expectSameDecoding(Box<IntOrText>.self, json)
        expectSameDecoding(Box<String>.self, json)
        expectSameDecoding(Box<Bool>.self, json)
        expectSameDecoding(Box<[String: Int]>.self, #"{"v":{"k":\#(text)}}"#)
        expectSameDecoding(Box<[Int64]>.self, #"{"v":[\#(text)]}"#)
    }

    static let strings = [
        #""""#, #""plain""#, #""é✓🚀""#, #""\n\t\r\b\f\/\\\"""#, #""\u0041\u00e9\u2713""#, #""\ud83d\ude80""#,
        #""\uD83D\uDE80""#, #""\u0000""#, #""\ud83d""#, #""\ud83dx""#, #""\ud83d\u0041""#, #""\ude80""#, #""\ud83d\\ude80""#,
        #""\x""#, #""\u12g4""#, #""\u-123""#, #""\U0041""#, #""a\u0009b""#, "\"tab\there\"", "\"nul\u{0}\"", "\"\u{1F}\"",
        "\"\u{7F}\"", #""\'""#, #""\a""#, #""ends with backslash\\""#,
    ]

    @Test(arguments: strings)
    func stringsDecodeAsFoundationDecodesThem(text: String) {
        expectSameDecoding(Box<String>.self, #"{"v":\#(text)}"#)
        expectSameDecoding(Box<Tree>.self, #"{"v":\#(text)}"#)
        expectSameDecoding(Box<[String: String]>.self, #"{"v":{\#(text):"x"}}"#, "as a key")
        expectSameDecoding(Box<Int>.self, #"{\#(text):1,"v":2}"#, "as an unread key")
        expectSameDecoding(Box<Int>.self, #"{"x":\#(text),"v":2}"#, "as an unread value")
    }

    static let invalidUTF8: [[UInt8]] = [
        [0xFF], [0xC3], [0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80],
        [0xE2, 0x82, 0x5C, 0x6E, 0xAC], [0xF0, 0x9F, 0x9A, 0x80], [0xC3, 0xA9],
    ]

    @Test(arguments: invalidUTF8)
    func bytesThatAreNotUTF8AreRefusedOnlyWhereRead(bytes: [UInt8]) {
        func document(_ prefix: String, _ suffix: String) -> Data { Data(prefix.utf8) + Data(bytes) + Data(suffix.utf8) }
        expectSameDecoding(Box<String>.self, document(#"{"v":""#, #""}"#))
        expectSameDecoding(Box<String>.self, document(#"{"v":"a\n"#, #"b"}"#), "after an escape")
        expectSameDecoding(Box<Int>.self, document(#"{"x":""#, #"","v":1}"#), "in an unread value")
        expectSameDecoding(Box<Int>.self, document(#"{""#, #"":0,"v":1}"#), "in a key")
        expectSameDecoding(Box<[String: Int]>.self, document(#"{"v":{""#, #"":0}}"#), "in a map key")
        expectSameDecoding(Box<Int>.self, document(#"{"x":{""#, #"":0},"v":1}"#), "in a key of an unread object")
    }

    @Test func foundationsOwnTypesDecodeTheSame() {
        expectSameDecoding(Special.self, #"{"data":"aGVsbG8=","url":"https://example.com/a?b=c","date":12.5,"decimal":12.345}"#)
        expectSameDecoding(Special.self, #"{"data":"not base64!"}"#)
        expectSameDecoding(Special.self, #"{"data":[1,2]}"#)
        expectSameDecoding(Special.self, #"{"url":""}"#)
        expectSameDecoding(Special.self, #"{"url":5}"#)
        expectSameDecoding(Special.self, #"{"date":"2024-01-01"}"#)
        expectSameDecoding(Special.self, #"{"decimal":"1.5"}"#)
        expectSameDecoding(Special.self, #"{"decimal":1e400}"#)
        expectSameDecoding(Special.self, #"{"decimal":01}"#)
        expectSameDecoding(Special.self, #"{"data":null,"url":null,"date":null,"decimal":null}"#)
        expectSameDecoding(Box<Data>.self, #"{"v":null}"#)
        expectSameDecoding(Box<Decimal>.self, #"{"v":null}"#)
    }

    @Test func typeErrorsHaveFoundationsKindAndPath() {
        expectSameDecoding(Sample.self, #"{"name":1,"count":1}"#)
        expectSameDecoding(Sample.self, #"{"name":null,"count":1}"#)
        expectSameDecoding(Sample.self, #"{"count":1}"#)
        expectSameDecoding(Sample.self, #"{"name":"n","count":"1"}"#)
        expectSameDecoding(Sample.self, #"{"name":"n","count":1,"flag":null}"#)
        expectSameDecoding(Sample.self, #"{"name":"n","count":1,"flag":1}"#)
        expectSameDecoding(Sample.self, #"{"name":"n","count":1,"items":[{"id":1},{"note":"x"}]}"#)
        expectSameDecoding(Sample.self, #"{"name":"n","count":1,"items":[{"id":1},null]}"#)
        expectSameDecoding(Sample.self, #"{"name":"n","count":1,"items":{"id":1}}"#)
        expectSameDecoding(Sample.self, #"{"name":"n","count":1,"labels":[]}"#)
        expectSameDecoding(Sample.self, #"{"name":"n","count":1,"labels":{"a":1}}"#)
        expectSameDecoding(Sample.self, #"{"name":"n","count":1,"matrix":[[1],[2,"x"]]}"#)
        expectSameDecoding(Sample.self, #"{"name":"n","count":1,"kind":"fog"}"#)
        expectSameDecoding(Sample.self, #"{"name":"n","count":1,"port":true}"#)
        expectSameDecoding(Sample.self, #"{"name":"n","count":1,"nested":"x"}"#)
        expectSameDecoding(Sample.self, #"{"name":"n","count":1,"nested":null,"tree":null}"#)
        expectSameDecoding(Sample.self, #"[]"#)
        expectSameDecoding(Sample.self, #"null"#)
        expectSameDecoding([Sample].self, #"{}"#)
        expectSameDecoding([Sample].self, #"null"#)
        expectSameDecoding([String: Int].self, #"[1]"#)
        expectSameDecoding([String: Int].self, #"null"#)
    }
}
