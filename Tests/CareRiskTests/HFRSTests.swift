import Testing
@testable import CareRisk

/// HFRS on hand-built people. Points from Gilbert 2018 (Sources/CareRisk/Tables/hfrs.csv);
/// as-of 2026-04-01 throughout, so the window is 2024-04-01 … 2026-04-01 inclusive.
@Suite struct HFRSTests {
    @Test func sumsCategoriesOnceInTenths() throws {
        // F00 7.1 + G81 4.4 = 11.5 (intermediate). F00.1 and f009 are the same category F00:
        // counted once. I10X is not an HFRS category: 0.
        var p = TestPerson()
        p.admission("2025-01-10", "2025-01-20", ["F00.1", "G81", "I10X"])
        p.admission("2025-06-01", "2025-06-03", ["f009"])
        let r = try risk(p, "hfrs")
        #expect(number(r["score"]) == 11.5)
        #expect(r["band"] as? String == "intermediate")
        #expect(reasonIDs(r, "category") == ["F00", "G81"])
        let f00 = try #require((r["reasons"] as? [[String: Any]])?.first)
        #expect(f00["code"] as? String == "F00.1", "the earliest code behind the category, as received")
        #expect(f00["date"] as? String == "2025-01-10")
        #expect(number(f00["points"]) == 7.1)
    }

    @Test(arguments: [
        // (codes, expected score, band) — sums worked by hand from the table.
        (["B95", "F05"], 4.9, "low"),                    // 1.7 + 3.2
        (["B96", "F03"], 5.0, "intermediate"),           // 2.9 + 2.1: 5.0 is intermediate
        (["A04", "F00", "F05", "R29"], 15.0, "intermediate"), // 1.1 + 7.1 + 3.2 + 3.6: 15.0 is intermediate
        (["F00", "G81", "R29"], 15.1, "high"),           // 7.1 + 4.4 + 3.6
        ([], 0.0, "low"),
    ])
    func bands(codes: [String], score: Double, band: String) throws {
        var p = TestPerson()
        p.admission("2025-05-01", "2025-05-02", codes)
        let r = try risk(p, "hfrs")
        #expect(number(r["score"]) == score)
        #expect(r["band"] as? String == band)
    }

    @Test func windowIsTwoYearsToTheDay() throws {
        var p = TestPerson()
        p.admission("2024-04-01", "2024-04-05", ["F00"])   // exactly two years before: counts
        p.admission("2024-03-31", "2024-04-02", ["G81"])   // one day earlier: does not
        p.admission("2026-04-02", "2026-04-03", ["R29"])   // after the as-of date: does not
        p.admission("2026-04-01", "2026-04-03", ["W19"])   // on the as-of date: counts
        let r = try risk(p, "hfrs")
        #expect(number(r["score"]) == 10.3)   // 7.1 + 3.2
        let window = try #require(r["window"] as? [String: Any])
        #expect(window["from"] as? String == "2024-04-01")
        #expect(window["to"] as? String == "2026-04-01")
    }

    @Test func icd10EventsCountButOtherEncountersDoNot() throws {
        var p = TestPerson()
        p.event("2025-02-01", "icd10", "R29.6")
        p.encounters.append(#"{"kind":"outpatient","start":"2025-02-01","diagnoses":[{"system":"icd10","code":"F00"}]}"#)
        let r = try risk(p, "hfrs")
        #expect(number(r["score"]) == 3.6)
    }

    @Test func peopleUnder75AreScoredAndFlagged() throws {
        var p = TestPerson()
        p.birth = "1951-04-02"   // 74 on 2026-04-01
        p.admission("2025-05-01", "2025-05-02", ["F00"])
        var r = try risk(p, "hfrs")
        #expect(number(r["score"]) == 7.1)
        #expect(r["in_population"] as? Bool == false)
        #expect((r["population_note"] as? String)?.contains("75") == true)
        p.birth = "1951-04-01"   // 75 on the day
        r = try risk(p, "hfrs")
        #expect(r["in_population"] as? Bool == true)
        #expect(r["population_note"] == nil)
        p.birth = nil
        r = try risk(p, "hfrs")
        #expect(r["in_population"] == nil)
    }

    @Test func tableHasThePublishedTotals() throws {
        let t = ModelTables.hfrs()
        let tenths = try t.values("points").map { try #require(ModelTables.tenths($0)) }
        #expect(tenths.count == 109)
        #expect(tenths.reduce(0, +) == 1732)   // 173.2 points
    }
}
