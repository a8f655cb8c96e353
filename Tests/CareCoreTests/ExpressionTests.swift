import Testing
@testable import CareCore

/// The expression language: grammar, precedence, values, errors, and evaluation on records.
@Suite struct ExpressionTests {
    static let record = #"""
    {"id":"a","birth_date":"1944-06-15","sex":"female","practice":"P1","death_date":null,
     "registration_start":"2001-01-01",
     "risk":{"as_of":"2026-04-01","efi":{"score":0.25,"deficits":9,"category":"moderate"},"hfrs":{"score":16.2,"band":"high"},
             "lace":{"score":null}},
     "encounters":[{"kind":"admission","method":"emergency","start":"2026-01-10"},
                   {"kind":"admission","method":"emergency","start":"2025-04-01"},
                   {"kind":"admission","method":"elective","start":"2025-12-01"},
                   {"kind":"ae","start":"2026-03-30"},
                   {"kind":"mdt-review","start":"2024-01-01"}],
     "events":[{"date":"2026-02-01","system":"snomed","code":"1912002"}]}
    """#.replacingOccurrences(of: "\n", with: "")

    func eval(_ text: String, asOf: String = "2026-04-01") throws -> ExpressionValue {
        let e = try Expression.parse(text)
        let scope = RecordScope(asOf: ISODate.parse(asOf)!)
        var bytes = Array(Self.record.utf8)
        return try bytes.withUnsafeMutableBufferPointer { buf in
            try scope.load(UnsafeBufferPointer(buf), validate: true)
            return e.evaluate(scope)
        }
    }

    func holds(_ text: String) throws -> Bool { try eval(text).isTrue }

    @Test(arguments: [
        ("risk.efi.category >= moderate", true),
        ("risk.efi.category > moderate", false),
        ("risk.hfrs.band = high and risk.hfrs.score > 15", true),
        ("risk.efi.category >= moderate and age >= 65 and not deceased", true),
        ("risk.hfrs.score > 15 or count(encounters where kind = \"admission\" and method = \"emergency\" in last 365d) >= 2", true),
        ("count(encounters where kind = \"admission\" and method = \"emergency\" in last 365d) = 2", true),   // 2025-04-01 is exactly 365 days before
        ("count(encounters where kind = 'admission' and method = 'emergency' in last 364d) = 1", true),
        ("count(encounters where kind = \"admission\") = 3", true),
        ("count(events in last 2m) = 1", true),
        ("count(care) = 0", true),
        ("age = 81 and age_band = \"80-84\"", true),
        ("registered and not deceased", true),
        ("risk.lace.score > 5", false),
        ("not (risk.lace.score > 5)", true),
        ("exists(risk.lace.score)", false),
        ("exists(risk.hfrs)", false),          // an object is not a value
        ("exists(risk.hfrs.band)", true),
        ("risk.nothing.here = null", true),
        ("practice = \"P1\" and sex != \"male\"", true),
        ("birth_date < 1950-01-01", true),
        ("birth_date + 80y <= 2026-04-01", true),
        ("2026-04-01 - birth_date > 29000", true),
        ("risk.efi.deficits + 1 = 10", true),
        ("-1 < 0", true),
        // Precedence: and binds tighter than or; not tighter than and.
        ("true or false and false", true),
        ("(true or false) and false", false),
        ("not false and false", false),
        ("not (false and false)", true),
    ])
    func evaluates(_ text: String, _ expected: Bool) throws {
        #expect(try holds(text) == expected, "\(text)")
    }

    @Test func categoryScales() {
        #expect(ExpressionValue.order(.string("severe"), .string("moderate")) == 1)
        #expect(ExpressionValue.order(.string("intermediate"), .string("low")) == 1)
        #expect(ExpressionValue.order(.string("high"), .string("moderate")) == 1)   // LACE bands
        #expect(ExpressionValue.order(.string("2025-01-02"), .date(ISODate.parse("2025-01-01")!)) == 1)
        #expect(ExpressionValue.order(.null, .number(1)) == nil)
    }

    @Test(arguments: [
        ("risk.efi.category >= ", 22, "ends too soon"),         // just past the end
        ("age >= 65 and and deceased", 15, "keyword 'and'"),
        ("age >= 65 deceased", 11, "after the expression"),
        ("count(encounters where kind = \"ae\" in 365d)", 39, "expected 'last'"),
        ("count(encounters in last 12x)", 26, "expected a duration"),
        ("(age > 65", 10, "')'"),
        ("age > 6.5.1", 7, "not a number"),
        ("name = \"unterminated", 8, "unterminated string"),
        ("age ~ 3", 5, "unexpected character"),
        ("birth_date < 2026-02-30", 14, "not a date"),
        ("risk..efi", 6, "field name after '.'"),
    ])
    func errorsPointAtTheColumn(_ text: String, _ column: Int, _ message: String) {
        do {
            _ = try Expression.parse(text)
            Issue.record("parsed: \(text)")
        } catch {
            #expect(error.column == column, "\(error)")
            #expect(error.message.contains(message), "\(error)")
            #expect(error.description.contains("\n  " + text + "\n  " + String(repeating: " ", count: column - 1) + "^"))
        }
    }

    @Test func durationsMoveOnTheCalendar() {
        let d = ISODate.parse("2026-03-31")!
        #expect(Duration(months: 1).moving(d, sign: -1) == ISODate.parse("2026-02-28")!)
        #expect(Duration(months: 12).moving(ISODate.parse("2024-02-29")!) == ISODate.parse("2025-02-28")!)
        #expect(Duration(days: 7).moving(d) == ISODate.parse("2026-04-07")!)
    }
}

extension String {
    func replacingOccurrences(of a: String, with b: String) -> String {
        split(separator: Character(a), omittingEmptySubsequences: false).joined(separator: b)
    }
}

@Suite struct RequiredStringsTests {
    @Test func onlyAnElementsOwnFieldsCount() throws {
        #expect(try Expression.parse(#"code = "X" or code = "Y""#).requiredStrings == ["X", "Y"])
        #expect(try Expression.parse(#"code = "X" and value > 3"#).requiredStrings == ["X"])
        #expect(try Expression.parse(#"code = "X" or value > 3"#).requiredStrings == nil)
        #expect(try Expression.parse(#"practice = "P1""#).requiredStrings == nil, "a record-level key")
        #expect(try Expression.parse(#"age_band = "80-84""#).requiredStrings == nil, "a derived field")
        #expect(try Expression.parse(#"trigger.kind = "ae""#).requiredStrings == nil, "not the element's")
        #expect(try Expression.parse(#"term = "say \"hi\"""#).requiredStrings == nil, "written escaped in JSON")
    }

    @Test func countSkipsAListThatCannotMatch() throws {
        let scope = RecordScope(asOf: ISODate.parse("2026-04-01")!)
        var bytes = Array(#"{"id":"a","practice":"P1","events":[{"code":"1"},{"code":"2"}]}"#.utf8)
        try bytes.withUnsafeMutableBufferPointer { buf in
            try scope.load(UnsafeBufferPointer(buf), validate: true)
            #expect(try Expression.parse(#"count(events where code = "2") = 1"#).holds(scope))
            #expect(try Expression.parse(#"count(events where code = "3") = 0"#).holds(scope))
            #expect(try Expression.parse(#"count(events where practice = "P1") = 2"#).holds(scope), "falls back to the record")
            #expect(!scope.mightContain("events", anyOf: ["3"]))
        }
    }
}

/// `code in codelist("name")`: membership, the code's own system, and the checker's resolution.
@Suite struct CodeListExpressionTests {
    static let record = #"{"id":"a","events":[{"date":"2026-01-01","system":"read2","code":"16D..."},{"date":"2026-02-01","system":"snomed","code":"1912002"},{"date":"2026-03-01","code":"XaB1x"}]}"#

    func count(_ filter: String, _ list: CodeList) throws -> Double {
        var library = CodeListLibrary()
        try library.add(list)
        let text = "count(events where \(filter))"
        let e = try ExpressionChecker(codeLists: library).checkValue(try Expression.parse(text), text: text)
        let scope = RecordScope(asOf: ISODate.parse("2026-04-01")!)
        var bytes = Array(Self.record.utf8)
        return try bytes.withUnsafeMutableBufferPointer { buf in
            try scope.load(UnsafeBufferPointer(buf), validate: true)
            guard case .number(let n) = e.evaluate(scope) else { return -1 }
            return n
        }
    }

    @Test func membershipHonoursTheSystem() throws {
        // A Read v2 list: the Read v2 entry and the entry of no system match; the same text in CTV3 would not.
        let read2 = CodeList(name: "falls", file: "t", codes: ["read2": ["16D...", "XaB1x"]])
        #expect(try count("code in codelist(\"falls\")", read2) == 2)
        let ctv3 = CodeList(name: "falls", file: "t", codes: ["ctv3": ["16D..."]])
        #expect(try count("code in codelist(\"falls\")", ctv3) == 0)
        // A list of no stated system matches whatever the entry says.
        let any = CodeList(name: "falls", file: "t", codes: ["": ["16D...", "1912002"]])
        #expect(try count("code in codelist(\"falls\")", any) == 2)
        #expect(try count("not (code in codelist(\"falls\"))", any) == 1)
    }

    @Test func theCheckerResolvesNamesAndRefusesWhatCannotBeOnAList() throws {
        let list = CodeList(name: "falls", file: "t", codes: ["snomed": ["1912002"]])
        #expect(throws: ExpressionError.self) { try count("date in codelist(\"falls\")", list) }
        #expect(throws: ExpressionError.self) { try count("code in codelist(\"nope\")", list) }
        #expect(throws: ExpressionError.self) { try Expression.parse("code in codelist(falls)") }
        // Unresolved (never checked), nothing is on the list.
        let raw = try Expression.parse("code in codelist(\"falls\")")
        #expect(raw.evaluate(ElementScope(element: .object([("code", .string("1912002"))]), record: RecordScope(asOf: ISODate.parse("2026-04-01")!))) == .bool(false))
    }
}
