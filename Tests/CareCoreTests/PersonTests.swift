import Testing
@testable import CareCore

@Suite("Person record (schema 1)")
struct PersonTests {
    /// The example record of DESIGN.md §2, with its nulls.
    static let designExample = #"""
    {"id":"9434765919","nhs_number":"9434765919","birth_date":"1941-03-02","sex":"female","death_date":null,"practice":"H85001","team":"Kingston North PCN","lsoa":"E01002900","sources":["gp:H85001","apc:RAX","asc:LA314"],"events":[{"date":"2025-01-14","system":"snomed","code":"49436004","value":null,"unit":null,"source":"gp:H85001"}],"encounters":[{"kind":"admission","start":"2025-02-01","end":"2025-02-05","method":"emergency","diagnoses":[{"system":"icd10","code":"J18.9"}],"destination":"usual-residence","source":"apc:RAX"},{"kind":"ae","start":"2025-06-10","end":"2025-06-10","source":"ecds:RAX"}],"care":[{"kind":"reablement","start":"2025-02-05","end":"2025-03-12","source":"asc:LA314"},{"kind":"residential","start":"2025-09-01","permanent":true,"source":"asc:LA314"}]}
    """#

    @Test("reads the DESIGN.md example")
    func designExample() throws {
        let p = try Person(json: Self.designExample)
        #expect(p.id == "9434765919")
        #expect(p.birthDate == ISODate(year: 1941, month: 3, day: 2))
        #expect(p.deathDate == nil)
        #expect(p.sources == ["gp:H85001", "apc:RAX", "asc:LA314"])
        #expect(p.events.count == 1 && p.events[0].value == nil && p.events[0].code == "49436004")
        #expect(p.encounters.map(\.kind) == ["admission", "ae"])
        #expect(p.encounters[0].diagnoses == [Code(system: "icd10", code: "J18.9")])
        #expect(p.care[1].permanent == true)
    }

    @Test("writes and reads back every field, unknown keys kept byte for byte")
    func roundTrip() throws {
        var p = Person(id: "9990000018", nhsNumber: "9990000018", birthDate: ISODate(year: 1950, month: 6), sex: "male",
                       deathDate: ISODate(year: 2025, month: 12, day: 31), practice: "ZZ0001", team: "North PCN", lsoa: "E01001000",
                       registrationStart: ISODate(year: 2000, month: 1, day: 1), registrationEnd: nil,
                       sources: ["apc:x", "gp:x"])
        p.events = [Event(date: ISODate(year: 2024, month: 1, day: 2), end: ISODate(year: 2024, month: 2, day: 1), kind: "medication",
                          system: "dmd", code: "322236009", value: nil, unit: nil, term: "Paracetamol \"500mg\"", source: "gp:x"),
                    Event(date: ISODate(year: 2024, month: 3, day: 4), system: "snomed", code: "271649006", value: "135.50", unit: "mm[Hg]", source: "gp:x"),
                    Event(date: ISODate(year: 2009), kind: "problem", system: "snomed", code: "59621000", source: "gp2gp:x",
                          otherCodes: [Code(system: "read2", code: "G20..00", original: true), Code(system: "ctv3", code: "XE0Ub")],
                          status: "inactive", significance: "minor", dateFrom: "composition")]
        p.encounters = [Encounter(kind: "admission", start: ISODate(year: 2024, month: 5, day: 1), end: ISODate(year: 2024, month: 5, day: 9),
                                  method: "emergency", admissionMethod: "2A", diagnoses: [Code(system: "icd10", code: "J189")],
                                  procedures: [Code(system: "opcs4", code: "X292")], destination: "care-home", dischargeDestination: "54",
                                  code: Code(system: "snomed", code: "183452005"), source: "apc:x")]
        p.care = [CareEpisode(kind: "reablement", start: ISODate(year: 2024, month: 5, day: 9), end: nil, permanent: nil,
                              route: "discharge-from-hospital", source: "asc:x")]
        p.conflicts = [Conflict(field: "sex", kept: "male", keptSource: "gp:x", other: "female", otherSource: "apc:x")]
        p.extra = [("risk", Array(#"{"efi": {"score" : 0.25}}"#.utf8))]
        let line = p.jsonLine
        #expect(line.last == 0x0A)
        let back = try line.dropLast().withUnsafeBufferPointer { try Person(jsonLine: $0) }
        #expect(back == p)
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.hasPrefix(#"{"id":"9990000018","nhs_number":"9990000018","birth_date":"1950-06","sex":"male""#))
        #expect(text.contains(#""value":135.50,"#))
        #expect(text.contains(#"{"date":"2009","kind":"problem","system":"snomed","code":"59621000","other_codes":[{"system":"read2","code":"G20..00","original":true},{"system":"ctv3","code":"XE0Ub"}],"status":"inactive","significance":"minor","date_from":"composition","source":"gp2gp:x"}"#))
        #expect(text.hasSuffix(#""risk":{"efi": {"score" : 0.25}}}"# + "\n"))
    }

    @Test("bad fields are errors naming the field")
    func badFields() {
        for (text, field) in [(#"{"sources":[]}"#, "id"), (#"{"id":"1","birth_date":"1950-13-01"}"#, "birth_date"),
                              (#"{"id":"1","events":[{"date":"2020-01-01","system":"snomed","source":"x"}]}"#, "code"),
                              (#"{"id":"1","sources":"gp"}"#, "sources")] {
            #expect {
                try Person(json: text)
            } throws: { error in
                (error as? JSONError)?.message.contains(field) == true
            }
        }
    }
}

@Suite("Dates")
struct ISODateTests {
    @Test("parses every accepted form", arguments: [
        ("2024-02-29", "2024-02-29"), ("1941-03", "1941-03"), ("1941", "1941"), ("2019-02-17T10:22:03Z", "2019-02-17"),
        ("20240102", "2024-01-02"), ("02/01/2024", "2024-01-02"), (" 2024-01-02 ", "2024-01-02"), ("2000-02-29", "2000-02-29"),
    ])
    func parse(_ text: String, _ expected: String) {
        #expect(ISODate.parse(text)?.description == expected)
    }

    @Test("rejects impossible or malformed dates", arguments: [
        "2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "24-01-01", "2024/01/02", "", "yesterday", "1799-01-01", "2024-1-2",
    ])
    func reject(_ text: String) {
        #expect(ISODate.parse(text) == nil)
    }

    @Test("day numbers round-trip across centuries")
    func dayNumbers() {
        #expect(ISODate(year: 1970, month: 1, day: 1).dayNumber == 0)
        #expect(ISODate(year: 2000, month: 3, day: 1).dayNumber == 11017)
        for day in stride(from: -80000, through: 80000, by: 97) {
            #expect(ISODate(dayNumber: day).dayNumber == day)
        }
        #expect(ISODate(year: 2024, month: 2, day: 28).adding(days: 1) == ISODate(year: 2024, month: 2, day: 29))
    }

    @Test("age counts whole years, birthday included")
    func age() {
        let birth = ISODate(year: 1941, month: 3, day: 2)
        #expect(birth.age(on: ISODate(year: 2026, month: 3, day: 1)) == 84)
        #expect(birth.age(on: ISODate(year: 2026, month: 3, day: 2)) == 85)
    }
}

@Suite("NHS numbers")
struct NHSNumberTests {
    @Test("valid numbers (Modulus 11 and issued or test ranges)", arguments: ["9434765919", "9465700193", "9442964410", "9990000018", "9990000026", "943 476 5919", "943-476-5919", "4010232137"])
    func valid(_ n: String) {
        #expect(NHSNumber.isValid(n))
    }

    @Test("invalid numbers and why", arguments: [
        ("1234567890", NHSNumber.Problem.checkDigit),     // check digit would be 10
        ("9690937287", .checkDigit), ("9388098431", .checkDigit), ("9434765918", .checkDigit),
        ("943476591", .notTenDigits), ("94347659190", .notTenDigits), ("94347659I9", .notTenDigits), ("", .notTenDigits),
        ("0000000000", .notIssuedRange), ("5000000005", .notIssuedRange), ("2101850000", .checkDigit),
    ])
    func invalid(_ n: String, _ problem: NHSNumber.Problem) {
        #expect(NHSNumber.validate(n) == .failure(problem))
    }

    @Test("normalises spaces and dashes")
    func normalise() {
        #expect(NHSNumber.validate("943 476 5919") == .success("9434765919"))
    }

    @Test("the 999 test range is recognised")
    func testRange() {
        #expect(NHSNumber.isTestRange("9990000018"))
        #expect(!NHSNumber.isTestRange("9434765919"))
        #expect(!NHSNumber.isTestRange("999000001"))
    }

    @Test("check digit helper agrees with validation")
    func checkDigit() {
        #expect(NHSNumber.checkDigit(for: [9, 4, 3, 4, 7, 6, 5, 9, 1]) == 9)
        #expect(NHSNumber.checkDigit(for: [1, 2, 3, 4, 5, 6, 7, 8, 9]) == nil)
    }
}

@Suite("Masking")
struct MaskTests {
    @Test("identifier fields are withheld, others shown")
    func mask() {
        #expect(Mask.value(field: "nhs_number", "9434765919") == "<withheld: 10 characters>")
        #expect(Mask.value(field: "BIRTHDATE", "1941-03-02") == "<withheld: 10 characters>")
        #expect(Mask.value(field: "date", "2023-02-30") == "2023-02-30")
        #expect(Mask.value(field: "code", String(repeating: "x", count: 50)).count == 41)
    }

    @Test("one masking path for any input text: NHS numbers (also spaced), dates, control characters, length", arguments: [
        ("9990054851, 1949-02-09, female", "<NHS number>, <date>, female"),
        ("999 005 4851 born 09/02/1949", "<NHS number> born <date>"),
        ("999-005-4851;19490209", "<NHS number>;<date>"),
        ("patient_1949-02-09.xml", "patient_<date>.xml"),
        ("a\nforged: read 0 records\u{1B}[2J", "a\\u{a}forged: read 0 records\\u{1b}[2J"),
        ("code 73211009, 1234567890, 2023-02-30", "code 73211009, 1234567890, 2023-02-30"),   // not an NHS number, not a real day
    ])
    func text(_ input: String, _ expected: String) {
        #expect(Mask.text(input) == expected)
    }

    @Test("masked text is cut to its limit")
    func limit() {
        #expect(Mask.text(String(repeating: "x", count: 500)).count == 201)
        #expect(Mask.path(String(repeating: "x", count: 500)).count == 500)
    }

    @Test("valid NHS numbers in file names are masked; other digit runs are not")
    func paths() {
        #expect(Mask.path("extracts/9465700193_Birdi.xml") == "extracts/<NHS number>_Birdi.xml")
        #expect(Mask.path("a/1234567890.xml") == "a/1234567890.xml")          // fails Modulus 11: not an NHS number
        #expect(Mask.path("b/99900000180.xml") == "b/99900000180.xml")        // eleven digits
        #expect(Mask.path("9990000018-9990000026") == "<NHS number>-<NHS number>")
    }
}
