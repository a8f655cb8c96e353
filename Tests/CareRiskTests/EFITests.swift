import Foundation
import Testing
@testable import CareRisk

/// eFI on hand-built people. One SNOMED code per deficit from the bundled starter list (the
/// published example codes), in deficit order.
@Suite struct EFITests {
    static let oneCodePerDeficit = [
        "21134002", "3978000", "3723001", "5370000", "1508000", "29738008", "4855003", "7956006", "60845006",
        "1912002", "47850008", "5913000", "6012004", "10633002", "48724000", "160689007", "1201005", "3006004",
        "1755008", "281004", "8510008", "14651005", "4223005", "3483000", "55382008", "160733006", "10713006",
        "324007", "3745000", "33553000", "3716002", "22220005", "11441004", "264008", "64379006",
    ]

    func person(deficits n: Int) -> TestPerson {
        var p = TestPerson()
        for code in Self.oneCodePerDeficit.prefix(n) { p.event("2019-05-01", "snomed", code) }
        return p
    }

    @Test(arguments: [(0, "fit", 0.0), (4, "fit", 0.111), (5, "mild", 0.139), (8, "mild", 0.222),
                      (9, "moderate", 0.25), (12, "moderate", 0.333), (13, "severe", 0.361), (35, "severe", 0.972)])
    func categoryBoundaries(deficits: Int, category: String, score: Double) throws {
        // Score = deficits / 36 to 3 places (4/36 = 0.111, 5/36 = 0.139, 13/36 = 0.361).
        let r = try risk(person(deficits: deficits), "efi")
        #expect(number(r["deficits"]) == Double(deficits))
        #expect(r["category"] as? String == category)
        #expect(number(r["score"]) == score)
        #expect((r["code_list"] as? String)?.hasPrefix("starter: 210 example codes") == true, "the score says the starter list is in use, and how to switch")
        #expect((r["code_list"] as? String)?.contains("risk-score --codelists DIR") == true)
    }

    @Test func eachDeficitCountsOnceWithItsEarliestCode() throws {
        var p = TestPerson()
        p.event("2020-01-01", "snomed", "161898004")          // falls (a second falls code)
        p.event("2018-03-01", "snomed", "1912002")            // falls, earlier: the reason shown
        p.event("2021-01-01", "read2", "16D..")               // falls again, Read v2 (with its padding dots)
        let r = try risk(p, "efi")
        #expect(number(r["deficits"]) == 1)
        let reason = try #require((r["reasons"] as? [[String: Any]])?.first)
        #expect(reason["deficit"] as? String == "falls")
        #expect(reason["code"] as? String == "1912002")
        #expect(reason["date"] as? String == "2018-03-01")
        #expect(reason["system"] as? String == "snomed")
    }

    @Test func readCodesMatchWithOrWithoutPaddingButKeepTheirCase() throws {
        var p = TestPerson()
        p.event("2019-01-01", "read2", "13O5")     // 13O5. Attendance allowance, dots dropped
        p.event("2019-01-01", "read2", "8htl.")    // 8HTl. is in the list; case matters in Read codes
        var r = try risk(p, "efi")
        #expect(reasonIDs(r, "deficit") == ["activity-limitation"])
        p.event("2019-01-01", "read2", "8HTl")
        r = try risk(p, "efi")
        #expect(reasonIDs(r, "deficit") == ["activity-limitation", "falls"])
    }

    @Test func codesAfterTheAsOfDateDoNotCount() throws {
        var p = TestPerson()
        p.event("2026-04-02", "snomed", "1912002")
        p.event("2026-04-01", "snomed", "6012004")
        let r = try risk(p, "efi")
        #expect(reasonIDs(r, "deficit") == ["hearing-loss"])
    }

    @Test func polypharmacyIsFiveDistinctDrugsInTwelveMonths() throws {
        var p = TestPerson()
        // Window 2025-04-01 … 2026-04-01.
        p.drug("2025-04-01", "1001")   // on the first day: counts
        p.drug("2025-06-01", "1002")
        p.drug("2025-07-01", "1002")   // same drug again: still one
        p.drug("2025-08-01", "1003")
        p.drug("2025-03-31", "1005")   // a day too early
        p.drug("2026-04-02", "1006")   // after as-of
        var r = try risk(p, "efi")
        #expect(number(r["deficits"]) == 0, "3 drugs")
        p.drug("2026-04-01", "1004")   // on the as-of date: counts → 4 drugs
        r = try risk(p, "efi")
        #expect(number(r["deficits"]) == 0, "4 drugs")
        p.event("2026-01-01", "emis-drug", "ABCD1")   // a drug by system, no kind: 5th
        r = try risk(p, "efi")
        #expect(reasonIDs(r, "deficit") == ["polypharmacy"])
        let note = try #require((r["reasons"] as? [[String: Any]])?.first?["note"] as? String)
        #expect(note.hasPrefix("5 distinct drugs from 2025-04-01 to 2026-04-01"))
    }

    @Test("other_codes match the code list (a Read v2 original under its SNOMED CT translation) but are never extra drugs")
    func otherCodes() throws {
        var p = TestPerson()
        // A local primary code, its falls code only among other_codes (as GP2GP and FHIR give them).
        p.events.append(#"{"date":"2019-05-01","kind":"observation","system":"local","code":"XYZ","other_codes":[{"system":"read2","code":"16D..","original":true}],"source":"gp2gp:test"}"#)
        var r = try risk(p, "efi")
        #expect(reasonIDs(r, "deficit") == ["falls"])
        let reason = try #require((r["reasons"] as? [[String: Any]])?.first)
        #expect(reason["system"] as? String == "read2" && reason["code"] as? String == "16D..")
        // Four drugs each with a translation: still four drugs, not eight.
        p = TestPerson()
        for (i, date) in ["2025-05-01", "2025-06-01", "2025-07-01", "2025-08-01"].enumerated() {
            p.events.append(#"{"date":"\#(date)","kind":"medication","system":"dmd","code":"100\#(i)","other_codes":[{"system":"emis-drug","code":"EMIS\#(i)"}],"source":"gp2gp:test"}"#)
        }
        r = try risk(p, "efi")
        #expect(number(r["deficits"]) == 0, "4 drugs")
    }

    @Test func valueRules() throws {
        func deficits(_ build: (inout TestPerson) -> Void) throws -> [String] {
            var p = TestPerson()
            build(&p)
            return reasonIDs(try risk(p, "efi"), "deficit")
        }
        // Barthel index (39F..) ≤ 18: activity limitation.
        #expect(try deficits { $0.event("2020-01-01", "read2", "39F..", value: "18") } == ["activity-limitation"])
        #expect(try deficits { $0.event("2020-01-01", "read2", "39F..", value: "19") } == [])
        // Haemoglobin: women < 11.5 g/dL, men < 13; g/L read as such.
        #expect(try deficits { $0.event("2020-01-01", "ctv3", "XE2m6", value: "11.4") } == ["anaemia"])
        #expect(try deficits { $0.event("2020-01-01", "ctv3", "XE2m6", value: "11.5") } == [])
        #expect(try deficits { $0.event("2020-01-01", "ctv3", "XE2m6", value: "110") } == ["anaemia"])
        #expect(try deficits { $0.sex = "male"; $0.event("2020-01-01", "read2", "423..", value: "12.9") } == ["anaemia"])
        #expect(try deficits { $0.sex = "male"; $0.event("2020-01-01", "read2", "423..", value: "13") } == [])
        // Any CHADS2 score recorded: atrial fibrillation. Falls count > 0. 6CIT ≥ 8. MUST ≥ 1.
        #expect(try deficits { $0.event("2020-01-01", "read2", "38DE.") } == ["atrial-fibrillation"])
        #expect(try deficits { $0.event("2020-01-01", "ctv3", "XaISO", value: "0") } == [])
        #expect(try deficits { $0.event("2020-01-01", "ctv3", "XaISO", value: "2") } == ["falls"])
        #expect(try deficits { $0.event("2020-01-01", "ctv3", "XaJLG", value: "8") } == ["cognitive-problems"])
        #expect(try deficits { $0.event("2020-01-01", "ctv3", "XaJv3", value: "0") } == [])
        #expect(try deficits { $0.event("2020-01-01", "read2", "687C.", value: "1") } == ["weight-loss"])
    }

    @Test func peopleUnder65AreFlagged() throws {
        var p = person(deficits: 6)
        p.birth = "1961-04-02"   // 64 on 2026-04-01
        let r = try risk(p, "efi")
        #expect(r["category"] as? String == "mild")
        #expect(r["in_population"] as? Bool == false)
    }

    @Test func localCodeListsReplaceTheStarterList() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "code,term\n999001,\"Local falls code, with a comma\"\n".write(toFile: dir + "/falls.snomed.csv", atomically: true, encoding: .utf8)
        try "code,term\n1Z1..,Chronic renal impairment\n".write(toFile: dir + "/ckd.csv", atomically: true, encoding: .utf8)
        var warnings: [String] = []
        let models = try ModelSet(ModelSet.parse("efi"), codelists: dir) { warnings.append($0) }
        var p = TestPerson()
        p.event("2019-01-01", "snomed", "999001")
        p.event("2019-01-01", "read2", "1Z1")
        p.event("2019-01-01", "snomed", "6012004")   // hearing loss in the starter list only
        let r = try risk(p, "efi", models: models)
        #expect(reasonIDs(r, "deficit") == ["ckd", "falls"])
        #expect((r["code_list"] as? String)?.hasPrefix("local:") == true)
        #expect(warnings.count == 1 && warnings[0].contains("33 eFI deficit"))

        try "code\nX\n".write(toFile: dir + "/fals.csv", atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) { try ModelSet(ModelSet.parse("efi"), codelists: dir) }
        try FileManager.default.removeItem(atPath: dir + "/fals.csv")
        try "code\nnot a code\n".write(toFile: dir + "/dizziness.snomed.csv", atomically: true, encoding: .utf8)
        do {
            _ = try ModelSet(ModelSet.parse("efi"), codelists: dir)
            Issue.record("a bad code was accepted")
        } catch {
            #expect("\(error)".contains("dizziness.snomed.csv:2"))
        }
    }

    /// A small folder laid out as a local clone of the published gm-sde code sets: every code of
    /// every file (Read v2, CTV3 and SNOMED CT; first lines of the published efi-falls,
    /// efi-activity-limitation and efi-anaemia files) scores its deficit; EMIS local codes, other
    /// code sets and later versions are not read.
    @Test("--codelists reads the gm-sde clinical-code-sets layout: every code of its lists is recognised")
    func gmsdeLayout() throws {
        let clone = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: clone) }
        let base = clone + "/shared/clinical-code-sets"
        let files: [(String, String, String)] = [
            ("patient/efi-falls/1", "efi-falls.readv2.txt", "16D..\tFalls\n8HTl.\tReferral to falls service\n"),
            ("patient/efi-falls/1", "efi-falls.ctv3.txt", "16D..\tFalls\nXaISO\tNumber of falls\n"),
            ("patient/efi-falls/1", "efi-falls.snomed.txt", "1912002\tFall (event)\n279992002\tRecurrent falls (finding)\n247541000000106\tReferral to falls service (procedure)"),
            ("patient/efi-falls/1", "efi-falls.emis.txt", "EMISNQFA1\tFalls\n"),
            ("patient/efi-activity-limitation/1", "efi-activity-limitation.readv2.txt", "13O5.\tAttendance allowance\r\n13VC.\tDisability\r\n"),
            ("patient/efi-activity-limitation/1", "efi-activity-limitation.snomed.txt", "514591000000108\tCompletion of DS1500 terminal illness medical report (procedure)\n"),
            ("conditions/efi-anaemia/1", "efi-anaemia.ctv3.txt", "145..\tH/O: blood disorder\nB9370\tRefractory anaemia\ni1...\tOral iron for iron-deficiency anaemias\n"),
            ("conditions/efi-anaemia/2", "efi-anaemia.ctv3.txt", "XE13c\tIron deficiency anaemia\n"),
            ("conditions/asthma/1", "asthma.snomed.txt", "195967001\tAsthma\n"),
        ]
        for (folder, name, text) in files {
            try FileManager.default.createDirectory(atPath: base + "/" + folder, withIntermediateDirectories: true)
            try text.write(toFile: base + "/" + folder + "/" + name, atomically: true, encoding: .utf8)
        }
        for path in [clone, base] {
            let models = try ModelSet(ModelSet.parse("efi"), codelists: path)
            #expect(models.efi?.codeCount == 13)
            #expect((models.efi?.codeList ?? "").hasPrefix("gm-sde:"))
            #expect(models.efi?.skipped.contains { $0.contains("EMIS") } == true)
            let expected: [(String, String, String)] = [
                ("read2", "16D..", "falls"), ("read2", "8HTl.", "falls"), ("ctv3", "XaISO", "falls"),
                ("snomed", "1912002", "falls"), ("snomed", "279992002", "falls"), ("snomed", "247541000000106", "falls"),
                ("read2", "13O5.", "activity-limitation"), ("read2", "13VC.", "activity-limitation"),
                ("snomed", "514591000000108", "activity-limitation"),
                ("ctv3", "145..", "anaemia"), ("ctv3", "B9370", "anaemia"), ("ctv3", "i1...", "anaemia"),
            ]
            for (system, code, deficit) in expected {
                var p = TestPerson()
                p.event("2019-01-01", system, code)
                #expect(reasonIDs(try risk(p, "efi", models: models), "deficit") == [deficit], "\(system) \(code)")
            }
            for (system, code) in [("emis", "EMISNQFA1"), ("ctv3", "XE13c"), ("snomed", "195967001"), ("snomed", "6012004")] {
                var p = TestPerson()
                p.event("2019-01-01", system, code)
                #expect(reasonIDs(try risk(p, "efi", models: models), "deficit").isEmpty, "\(code) is not read")
            }
        }
    }

    @Test func thirtySixDeficits() throws {
        let m = try EFIModel()
        #expect(m.deficits.count == 36)
        #expect(Set(m.deficits.map(\.slug)).count == 36)
        #expect(EFITests.oneCodePerDeficit.count == 35)   // all but polypharmacy
    }
}
