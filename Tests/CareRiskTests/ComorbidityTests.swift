import Testing
@testable import CareRisk

/// Charlson and Elixhauser on hand-built people. Conditions from Quan 2005 (prefix match on the
/// ICD-10 code without its dot); weights from Quan 2011 / Charlson 1987 / van Walraven 2009.
@Suite struct CharlsonTests {
    func charlson(_ codes: [String], variant: String? = nil, start: String = "2025-01-10") throws -> [String: Any] {
        var p = TestPerson()
        p.admission(start, "2025-01-20", codes)
        let models = try ModelSet(ModelSet.parse(variant.map { "charlson:\($0)" } ?? "charlson"))
        return try risk(p, "charlson", models: models)
    }

    func points(_ r: [String: Any]) -> [String: Int] {
        var out: [String: Int] = [:]
        for reason in (r["reasons"] as? [[String: Any]]) ?? [] {
            out[reason["condition"] as! String] = Int(number(reason["points"])!)
        }
        return out
    }

    @Test func quan2011Weights() throws {
        // I50.9 → chf (2); J44.9 → copd (1); I21.0 → ami (0 in Quan 2011): total 3.
        let r = try charlson(["I50.9", "J449", "i210"])
        #expect(number(r["score"]) == 3)
        #expect(r["variant"] as? String == "quan2011")
        #expect(points(r) == ["chf": 2, "copd": 1, "ami": 0])
        #expect(number(r["conditions"]) == 3)
    }

    @Test func charlson1987Weights() throws {
        // Same codes, Charlson 1987: chf 1 + copd 1 + ami 1 = 3; B20 → aids 6: total 9.
        let r = try charlson(["I50.9", "J449", "I210", "B20"], variant: "charlson1987")
        #expect(number(r["score"]) == 9)
        #expect(points(r)["aids"] == 6)
    }

    @Test func aidsIsFourInQuan2011() throws {
        // comorbidipy 0.8.0 scores 2 here (a known bug); Quan 2011 Table 2 gives 4.
        #expect(number(try charlson(["B24"])["score"]) == 4)
    }

    @Test(arguments: [
        // (codes, quan2011, charlson1987) worked by hand:
        (["E119", "E112"], 1, 2),   // diab superseded by diabwc: 0 + diabwc (Quan 1, Charlson 2)
        (["C18", "C787"], 6, 6),    // canc superseded by metacanc: 0 + 6
        (["K700", "K704"], 4, 3),   // mld superseded by msld: 0 + msld (Quan 4, Charlson 3)
        (["E119"], 0, 1),           // diab alone: Quan 0, Charlson 1
        (["C18"], 2, 2),            // canc alone: 2
    ])
    func hierarchy(codes: [String], quan: Int, original: Int) throws {
        let q = try charlson(codes)
        #expect(number(q["score"]) == Double(quan))
        let c = try charlson(codes, variant: "charlson1987")
        #expect(number(c["score"]) == Double(original))
        let superseded = (q["reasons"] as? [[String: Any]] ?? []).filter { ($0["note"] as? String)?.contains("superseded") == true }
        #expect(superseded.count == (codes.count == 2 ? 1 : 0))
    }

    @Test func lookbackWindowEdges() throws {
        // Default 5 years to 2026-04-01: from 2021-04-01 inclusive.
        #expect(number(try charlson(["I50"], start: "2021-04-01")["score"]) == 2)
        #expect(number(try charlson(["I50"], start: "2021-03-31")["score"]) == 0)
        var p = TestPerson()
        p.admission("2023-03-31", "2023-04-02", ["I50"])
        let three = try ModelSet(ModelSet.parse("charlson"), lookbackYears: 3)
        #expect(number(try risk(p, "charlson", models: three)["score"]) == 0)   // from 2023-04-01
        let four = try ModelSet(ModelSet.parse("charlson"), lookbackYears: 4)
        #expect(number(try risk(p, "charlson", models: four)["score"]) == 2)
    }

    @Test func tableShape() throws {
        let c = try ComorbidityIndex.charlson()
        #expect(c.conditions.count == 17)
        // Quan 2011's maximum is 24: every condition, less the milder forms the hierarchy zeroes
        // (mild liver 2, diabetes 0, cancer 2 of the 28 in all).
        #expect(c.conditions.map(\.weight).reduce(0, +) == 28)
        #expect(c.conditions.filter { $0.supersededBy == nil }.map(\.weight).reduce(0, +) == 24)
    }
}

@Suite struct ElixhauserTests {
    func elixhauser(_ codes: [String]) throws -> [String: Any] {
        var p = TestPerson()
        p.admission("2025-01-10", "2025-01-20", codes)
        return try risk(p, "elixhauser")
    }

    @Test(arguments: [
        (["I50"], 7),                   // chf 7
        (["I10", "I11"], 0),            // hypunc superseded by hypc (both 0)
        (["C18", "C78"], 12),           // solidtum (4) superseded by metacanc 12
        (["C18"], 4),                   // solidtum 4
        (["E66", "F11"], -11),          // obesity -4, drug abuse -7: scores can be negative
        (["K70", "N18", "I48"], 21),    // ld 11 + rf 5 + carit 5
        (["B20"], 0),                   // aids 0 in van Walraven
    ])
    func vanWalravenWeights(codes: [String], score: Int) throws {
        let r = try elixhauser(codes)
        #expect(number(r["score"]) == Double(score))
        #expect(r["variant"] as? String == "van-walraven")
    }

    @Test func thirtyOneGroups() throws {
        #expect(try ComorbidityIndex.elixhauser().conditions.count == 31)
    }

    @Test func unknownVariantsAreUsageErrors() throws {
        #expect(throws: (any Error).self) { try ModelSet(ModelSet.parse("charlson:deyo")) }
        #expect(throws: (any Error).self) { try ModelSet(ModelSet.parse("elixhauser:ahrq")) }
        #expect(throws: (any Error).self) { try ModelSet.parse("charlson,charlson:charlson1987") }
        #expect(throws: (any Error).self) { try ModelSet.parse("frailty") }
    }
}
