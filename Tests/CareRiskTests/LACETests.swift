import Foundation
import Testing
@testable import CareCore
@testable import CareRisk

/// LACE on hand-built people (van Walraven 2010 points: Sources/CareRisk/Tables/lace-points.csv).
@Suite struct LACETests {
    func components(_ r: [String: Any]) -> [String: Int] {
        var out: [String: Int] = [:]
        for reason in (r["reasons"] as? [[String: Any]]) ?? [] {
            if let c = reason["component"] as? String { out[c] = Int(number(reason["points"])!) }
        }
        return out
    }

    @Test func workedExample() throws {
        // Emergency admission 2026-03-20 → 2026-03-27: LOS 7 days → L 5; acute → A 3.
        // Conditions: I50 (CHF, LACE 2) + C78 (metastatic, LACE 6) = 8 Charlson points → C 5.
        // A&E: 2026-03-20 (led to the admission: not counted), 2026-01-10, 2025-12-01,
        // 2025-09-20 (exactly 6 months before: counts), 2025-09-19 (too early) → 3 visits → E 3.
        // Total 5 + 3 + 5 + 3 = 16: high. Discharged 5 days before as-of: in population.
        var p = TestPerson()
        p.admission("2026-03-20", "2026-03-27", emergency: true, ["I50.0", "C78.0"])
        for d in ["2026-03-20", "2026-01-10", "2025-12-01", "2025-09-20", "2025-09-19"] { p.ae(d) }
        let r = try risk(p, "lace")
        #expect(number(r["score"]) == 16)
        #expect(r["band"] as? String == "high")
        #expect(components(r) == ["L": 5, "A": 3, "C": 5, "E": 3])
        #expect(number(r["length_of_stay_days"]) == 7)
        #expect(number(r["ae_visits_6_months"]) == 3)
        #expect(number(r["charlson_points"]) == 8)
        #expect(r["in_population"] as? Bool == true)
        let index = try #require(r["index_admission"] as? [String: Any])
        #expect(index["start"] as? String == "2026-03-20")
    }

    @Test(arguments: [(0, 0), (1, 1), (3, 3), (4, 4), (6, 4), (7, 5), (13, 5), (14, 7), (40, 7)])
    func lengthOfStayPoints(days: Int, points: Int) throws {
        var p = TestPerson()
        let start = ISODateText.minus(days, from: "2026-03-30")
        p.admission(start, "2026-03-30", emergency: false)
        let r = try risk(p, "lace")
        #expect(components(r)["L"] == points)
        #expect(components(r)["A"] == 0)
        #expect(number(r["score"]) == Double(points))
    }

    @Test func electiveAdmissionKeepsItsSameDayAttendance() throws {
        // Not an emergency: no attendance "led to" it, so the one on the day counts. 1 → E 1.
        var p = TestPerson()
        p.admission("2026-03-20", "2026-03-21", emergency: false)
        p.ae("2026-03-20")
        #expect(components(try risk(p, "lace"))["E"] == 1)
    }

    @Test func charlsonPointsAndHierarchy() throws {
        // diabetes (1) superseded by diabetes with end-organ damage (2); + dementia 3 = 5 → C 5 (≥ 4).
        var p = TestPerson()
        p.admission("2026-03-20", "2026-03-21", emergency: false, ["E119", "E112", "F03"])
        let r = try risk(p, "lace")
        #expect(number(r["charlson_points"]) == 5)
        #expect(components(r)["C"] == 5)
        // Mild (2) superseded by moderate/severe liver disease (4): 4 → C 5. Renal (rend) is 4 too.
        var q = TestPerson()
        q.admission("2026-03-20", "2026-03-21", emergency: false, ["K700"])
        #expect(number(try risk(q, "lace")["charlson_points"]) == 2)
        q.admission("2026-01-01", "2026-01-02", emergency: false, ["N18"])
        #expect(number(try risk(q, "lace")["charlson_points"]) == 6)
    }

    @Test func indexIsTheLatestDischargeAndOldOnesAreFlagged() throws {
        var p = TestPerson()
        p.admission("2025-06-01", "2025-06-10")
        p.admission("2026-02-01", "2026-03-01")   // latest discharge: 31 days before as-of
        p.admission("2026-03-30", nil)           // still in hospital: not a discharge
        var r = try risk(p, "lace")
        #expect(number(r["length_of_stay_days"]) == 28)
        #expect(r["in_population"] as? Bool == false)
        r = try risk(p, "lace", asOf: "2026-03-31")   // 30 days: in population
        #expect(r["in_population"] as? Bool == true)
    }

    @Test func noDischargeMeansNoScore() throws {
        let r = try risk(TestPerson(), "lace")
        #expect(r["score"] is NSNull)
        #expect(r["in_population"] as? Bool == false)
        #expect((r["population_note"] as? String)?.contains("no discharge") == true)
    }
}

/// Date arithmetic for test fixtures.
enum ISODateText {
    static func minus(_ days: Int, from: String) -> String {
        ISODate.parse(from)!.adding(days: -days).description
    }
}
