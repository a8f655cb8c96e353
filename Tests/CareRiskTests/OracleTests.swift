import Foundation
import Testing
@testable import CareRisk
import CareCore

/// Cross-check against an independent implementation: comorbidipy 0.8.0's Charlson, Elixhauser
/// and HFRS for 400 generated people (Tests/Fixtures/risk/comorbidipy-0.8.0.csv, made by
/// make_oracle.py beside it). Each person's codes go into one admission inside every window.
@Suite struct OracleTests {
    @Test func agreesWithComorbidipy() throws {
        let path = Paths.fixtures + "/risk/comorbidipy-0.8.0.csv"
        let table = try CSVTable(name: path, text: try String(contentsOfFile: path, encoding: .utf8))
        let models = try ModelSet(ModelSet.parse("hfrs,charlson,elixhauser"))
        let original = try ModelSet(ModelSet.parse("charlson:charlson1987"))
        let ids = try table.values("id"), codes = try table.values("codes")
        let quan = try table.values("charlson_quan"), aids = try table.values("aids"), c1987 = try table.values("charlson_1987")
        let vw = try table.values("elixhauser_vw"), hfrs = try table.values("hfrs"), repeats = try table.values("hfrs_repeats")
        #expect(ids.count == 400)
        var affectedByAIDS = 0, affectedByRepeats = 0
        for i in ids.indices {
            var p = TestPerson()
            p.id = ids[i]
            p.admission("2025-06-01", "2025-06-05", codes[i].split(separator: " ").map(String.init))
            let record = try scoredRecord(p, models: models)
            let risk = try #require(record["risk"] as? [String: Any])
            let charlson = number((risk["charlson"] as? [String: Any])?["score"])
            // comorbidipy 0.8.0 weighs AIDS 2 in Quan 2011; Quan 2011 says 4.
            let aidsFix = aids[i] == "1" ? 2 : 0
            affectedByAIDS += aidsFix > 0 ? 1 : 0
            #expect(charlson == Double(Int(quan[i])! + aidsFix), "\(ids[i]) charlson \(codes[i])")
            #expect(number((risk["elixhauser"] as? [String: Any])?["score"]) == Double(vw[i]), "\(ids[i]) elixhauser \(codes[i])")
            // comorbidipy 0.8.0 scores an HFRS category once per distinct code; Gilbert 2018 once.
            let hfrsTenths = ModelTables.tenths(hfrs[i])! - ModelTables.tenths(repeats[i])!
            affectedByRepeats += repeats[i] == "0.0" ? 0 : 1
            #expect(number((risk["hfrs"] as? [String: Any])?["score"]) == Double(hfrsTenths) / 10, "\(ids[i]) hfrs \(codes[i])")
            let r1987 = try #require((try scoredRecord(p, models: original)["risk"] as? [String: Any])?["charlson"] as? [String: Any])
            #expect(number(r1987["score"]) == Double(c1987[i]), "\(ids[i]) charlson1987 \(codes[i])")
        }
        #expect(affectedByAIDS > 0, "the fixture exercises the AIDS difference")
        #expect(affectedByRepeats > 0 && affectedByRepeats < 20, "the fixture exercises the HFRS repeat difference")
    }
}
