import Testing
@testable import CareCore

@Suite("JSON scanner and tree")
struct JSONScannerTests {
    func validate(_ text: String) -> JSONError? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { b -> JSONError? in
            do { try JSONScanner.validate(b); return nil } catch { return error as? JSONError }
        }
    }

    @Test("accepts valid documents", arguments: [
        #"{}"#, #"[]"#, #"{"a":1}"#, #" { "a" : [ 1 , 2.5 , -3e10 , 0 , -0.0 , 1E+2 ] } "#,
        #"{"s":"caf\u00e9 \"quoted\" \\ \/ \b\f\n\r\t"}"#, #""\ud83d\ude00""#, #"[true,false,null]"#,
        #"{"nested":{"deeper":[{"x":[[[]]]}]}}"#, "\"Södertälje — ✓\"", #"-0"#, #"123456789012345678901234567890"#,
        #"1.7e308"#, #"0.000001e-400"#, #"0e999999"#,
    ])
    func valid(_ text: String) {
        #expect(validate(text) == nil)
    }

    @Test("rejects malformed documents with the offending byte", arguments: [
        (#"{"a":1,}"#, 7, "expected a key string"),
        (#"{"a" 1}"#, 5, "expected ':'"),
        (#"[1,2"#, 4, "unexpected end"),
        (#"{"a":01}"#, 5, "leading zero"),
        (#"{"a":1.}"#, 7, "digit expected after '.'"),
        (#"{"a":1e}"#, 7, "digit expected in exponent"),
        (#"{"a":tru}"#, 5, "literal"),
        (#""abc"#, 0, "unterminated string"),
        (#""\x""#, 1, "invalid escape"),
        (#""\u12G4""#, 1, #"invalid \u escape"#),
        ("\"a\u{01}b\"", 2, "control character"),
        (#"{"a":1} x"#, 8, "unexpected data after the value"),
        (#"{'a':1}"#, 1, "expected a key string"),
        ("", 0, "unexpected end of input"),
        (#"[1 2]"#, 3, "expected ']'"),
        (#"NaN"#, 0, "unexpected"),
        (#"[1e309]"#, 1, "number out of range"),
        (#"[-0.5e310]"#, 1, "number out of range"),
        (#"[18e307]"#, 1, "number out of range"),
    ])
    func invalid(_ text: String, _ offset: Int, _ message: String) throws {
        let error = try #require(validate(text))
        #expect(error.offset == offset, "\(error)")
        #expect(error.message.contains(message), "\(error)")
    }

    @Test("rejects invalid UTF-8 inside strings")
    func invalidUTF8() throws {
        for bad: [UInt8] in [[0x22, 0xC3, 0x28, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22]] {
            let error = bad.withUnsafeBufferPointer { b -> JSONError? in
                do { try JSONScanner.validate(b); return nil } catch { return error as? JSONError }
            }
            #expect(error?.message == "invalid UTF-8 in string")
        }
    }

    @Test("limits nesting depth")
    func depth() throws {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(validate(deep)?.message.contains("nesting deeper") == true)
        let ok = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(validate(ok) == nil)
    }

    @Test("decodes escapes and surrogate pairs")
    func decode() throws {
        let v = try JSONValue(parsing: #"{"s":"a\"b\\c\nd\u00e9\ud83d\ude00\/"}"#)
        #expect(v["s"]?.stringValue == "a\"b\\c\nd\u{e9}\u{1F600}/")
        // A lone surrogate is no character (RFC 8259 §8.2): refused, not turned into U+FFFD, so
        // no two readers can disagree about the text.
        for lone in [#""\ud800x""#, #""\udc00""#, #""\ud800\u0041""#] {
            #expect(throws: JSONError.self) { try JSONValue(parsing: lone) }
        }
    }

    @Test("tree keeps key order and number text; writing it back gives the same text")
    func roundTrip() throws {
        let text = #"{"b":1.50,"a":[true,null,"x"],"c":{"z":-2e3}}"#
        let v = try JSONValue(parsing: text)
        #expect(v.objectValue?.map(\.0) == ["b", "a", "c"])
        #expect(v.jsonText == text)
    }
}

@Suite("JSON writer")
struct JSONWriterTests {
    @Test("escapes what JSON requires and nothing else")
    func escaping() throws {
        var w = JSONWriter()
        w.string("tab\there \"q\" back\\slash nl\n cr\r bell\u{07} é ✓ 😀 /")
        let text = String(decoding: w.bytes, as: UTF8.self)
        #expect(text == #""tab\there \"q\" back\\slash nl\n cr\r bell\u0007 é ✓ 😀 /""#)
        // And the scanner reads it back to the same string.
        #expect(try JSONValue(parsing: text).stringValue == "tab\there \"q\" back\\slash nl\n cr\r bell\u{07} é ✓ 😀 /")
    }

    @Test("replaces invalid UTF-8 with U+FFFD and counts it")
    func invalidUTF8() throws {
        var w = JSONWriter()
        w.string(bytes: [0x61, 0xE9, 0x62, 0xC3, 0xA9] as [UInt8])   // "a", Latin-1 é, "b", UTF-8 é
        #expect(String(decoding: w.bytes, as: UTF8.self) == "\"a\u{FFFD}bé\"")
        #expect(w.replacedInvalidUTF8 == 1)
    }

    @Test("integers and doubles", arguments: [
        (0.0, "0"), (72.0, "72"), (-3.0, "-3"), (27.5, "27.5"), (0.1, "0.1"), (1e20, "1e+20"), (Double.nan, "null"),
    ])
    func numbers(_ value: Double, _ expected: String) {
        var w = JSONWriter()
        w.double(value)
        #expect(String(decoding: w.bytes, as: UTF8.self) == expected)
    }

    @Test("int covers the whole range")
    func ints() {
        for v in [0, 7, -7, 10, 1234567890, Int.max, Int.min + 1] {
            var w = JSONWriter()
            w.int(v)
            #expect(String(decoding: w.bytes, as: UTF8.self) == String(v))
        }
    }
}

@Suite("JSON object view")
struct JSONObjectViewTests {
    @Test("reads members and keeps unknown keys byte for byte when a key is added or replaced")
    func splice() throws {
        let line = #"{"id":"1", "unknown" : {"kept": [1, 2.50, "x"]},"risk":{"old":true}}"#
        let bytes = Array(line.utf8)
        try bytes.withUnsafeBufferPointer { b in
            let o = try JSONObjectView(b)
            #expect(o.keys == ["id", "unknown", "risk"])
            #expect(try o.string("id") == "1")
            var w = JSONWriter()
            let new = Array(#"{"new":1}"#.utf8)
            new.withUnsafeBufferPointer { o.write(replacing: "risk", with: $0, to: &w) }
            #expect(String(decoding: w.bytes, as: UTF8.self) == #"{"id":"1","unknown" : {"kept": [1, 2.50, "x"]},"risk":{"new":1}}"#)
            var w2 = JSONWriter()
            new.withUnsafeBufferPointer { o.write(replacing: "pathways", with: $0, to: &w2) }
            #expect(String(decoding: w2.bytes, as: UTF8.self).hasSuffix(#","risk":{"old":true},"pathways":{"new":1}}"#))
        }
    }

    @Test("type errors name the key")
    func typeErrors() throws {
        let bytes = Array(#"{"id":5,"n":"x","b":1}"#.utf8)
        try bytes.withUnsafeBufferPointer { b in
            let o = try JSONObjectView(b)
            #expect(throws: JSONError.self) { try o.string("id") }
            #expect(throws: JSONError.self) { try o.number("n") }
            #expect(throws: JSONError.self) { try o.bool("b") }
            #expect(try o.string("absent") == nil)
        }
    }

    @Test("a line that is not one object is an error")
    func notObject() {
        for text in ["[1]", "", "  ", #"{"a":1}{"b":2}"#, "\"s\""] {
            let bytes = Array(text.utf8)
            let failed = bytes.withUnsafeBufferPointer { b -> Bool in (try? JSONObjectView(b)) == nil }
            #expect(failed, "\(text)")
        }
    }
}
