import Foundation
import Testing
@testable import CareCore
@testable import CareRisk

/// The record path: everything passes through, an old `risk` is replaced, bad lines are
/// rejected with their line number, and the output does not depend on the number of threads.
@Suite struct RecordPathTests {
    func run(_ input: String, threads: Int = 2, format: RiskOptions.Format = .jsonl, explain: Set<String>? = nil,
             batchLines: Int? = nil) throws -> (output: String, diagnostics: Diagnostics, rejects: String) {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try input.write(toFile: dir + "/in.jsonl", atomically: true, encoding: .utf8)
        let diagnostics = try Diagnostics(program: "risk-score", unit: "people", quiet: true, rejectsPath: dir + "/rejects.jsonl")
        var options = RiskOptions(asOf: ISODate.parse("2026-04-01")!)
        options.threads = threads
        options.format = format
        options.explain = explain
        var out: [UInt8] = []
        try RiskRun.run(input: InputFile(path: dir + "/in.jsonl"), models: ModelSet(), options: options, diagnostics: diagnostics) {
            out += $0
        }
        try diagnostics.finish()
        let rejects = (try? String(contentsOfFile: dir + "/rejects.jsonl", encoding: .utf8)) ?? ""
        return (String(decoding: out, as: UTF8.self), diagnostics, rejects)
    }

    @Test func otherKeysPassThroughByteForByte() throws {
        var p = TestPerson()
        p.extra = #", "care" : [ {"kind":"reablement","start":"2025-01-01"} ] ,"x":{"nested":[1,2.50,"é\u00e9"]}"#
        p.admission("2025-01-10", "2025-01-20", ["F00"])
        let line = p.line
        let out = try run(line + "\n").output
        #expect(out.hasPrefix(String(line.dropLast())) && out.hasSuffix("}}\n"))
        #expect(out.contains(#""x":{"nested":[1,2.50,"é\u00e9"]}"#))
    }

    @Test func anEarlierRiskIsReplacedInPlace() throws {
        let line = #"{"id":"a","risk":{"stale":true},"sex":"male"}"#
        let out = try run(line + "\n").output
        #expect(!out.contains("stale"))
        #expect(out.hasPrefix(#"{"id":"a","risk":{"as_of":"2026-04-01","efi":"#))
        #expect(out.hasSuffix(#","sex":"male"}"# + "\n"))
    }

    @Test func badLinesAreRejectedWithTheirLineNumbers() throws {
        let good = TestPerson().line
        let input = [good, "{\"id\":\"b\",", "", "[1,2]", #"{"sex":"female"}"#, #"{"id":"c","events":{"not":"an array"}}"#, good].joined(separator: "\n") + "\n"
        let r = try run(input)
        #expect(r.diagnostics.read == 7)
        #expect(r.diagnostics.emitted == 2)
        #expect(r.diagnostics.filtered == ["blank line": 1])
        #expect(r.diagnostics.rejected == ["invalid JSON": 3, "missing id": 1])
        let lines = r.rejects.split(separator: "\n").map { String($0) }
        #expect(lines.count == 4)
        #expect(lines[0].contains("\"line\":2"))
        #expect(lines[3].contains("\"line\":6"))
        #expect(!r.rejects.contains("9990000018"), "no identifiers in rejects")
    }

    /// `count` people p0, p1, … born 1930 to 1989, each given more by `build`, as input lines.
    func people(_ count: Int, _ build: (Int, inout TestPerson) -> Void) -> String {
        (0..<count).map { i in
            var p = TestPerson()
            p.id = "p\(i)"
            p.birth = "19\(30 + i % 60)-01-01"
            build(i, &p)
            return p.line + "\n"
        }.joined()
    }

    @Test func sameOutputWhateverTheThreadsAndBatches() throws {
        let input = people(3000) { i, p in
            if i % 3 == 0 { p.admission("2025-0\(1 + i % 9)-10", "2025-0\(1 + i % 9)-20", ["F00", "I50", "C78"].suffix(1 + i % 3).map { $0 }) }
            if i % 5 == 0 { p.event("2020-01-01", "snomed", "1912002") }
        }
        let one = try run(input, threads: 1).output
        let three = try run(input, threads: 3).output
        #expect(one == three)
        #expect(one.split(separator: "\n").count == 3000)
        let ids = one.split(separator: "\n").prefix(3).map { $0.prefix(13) }
        #expect(ids == [#"{"id":"p0","b"#, #"{"id":"p1","b"#, #"{"id":"p2","b"#])
    }

    @Test func explainWritesTextForTheAskedPeopleOnly() throws {
        var a = TestPerson()
        a.id = "asked"
        a.admission("2026-03-20", "2026-03-27", ["F00.1", "I50"])
        a.event("2019-01-01", "snomed", "1912002")
        var b = TestPerson()
        b.id = "other"
        let r = try run(a.line + "\n" + b.line + "\n", explain: ["asked"])
        #expect(r.diagnostics.emitted == 1)
        #expect(r.diagnostics.filtered == ["not asked for by --explain": 1])
        #expect(r.output.hasPrefix("asked  age 85  female  (as of 2026-04-01)\n"))
        #expect(r.output.contains("  HFRS: 7.1 intermediate  [Gilbert 2018; 2024-04-01 to 2026-04-01]"))
        #expect(r.output.contains("    + F00  Dementia in Alzheimer's disease  7.1 pts  icd10 F00.1 on 2026-03-20 (apc:test)"))
        #expect(r.output.contains("    + falls  Falls  snomed 1912002 on 2019-01-01 (gp:test)"))
        #expect(r.output.contains("  LACE: 13 high"))   // L 5 + A 3 + C 5 (CHF 2 + dementia 3) + E 0
        #expect(!r.output.contains("other"))
    }

    @Test func riskAndCSVFormatsGiveTheSameScores() throws {
        let input = people(200) { i, p in
            // ICD-10 in events too: the skimmed events must still be read for them.
            if i % 4 == 0 { p.event("2025-01-01", "icd10", "F00.1") }
            if i % 3 == 0 { p.admission("2026-03-01", "2026-03-0\(1 + i % 9)", ["I50", "C78"]) }
            if i % 5 == 0 { p.event("2020-01-01", "snomed", "1912002") }
            p.extra = #","care":[{"kind":"reablement","note":"skimmed, \\ not read"}]"#
        }
        let full = try run(input).output.split(separator: "\n")
        let riskOnly = try run(input, format: .risk).output.split(separator: "\n")
        #expect(riskOnly.count == 200)
        for (a, b) in zip(full, riskOnly) {
            let x = try JSONSerialization.jsonObject(with: Data(a.utf8)) as! [String: Any]
            let y = try JSONSerialization.jsonObject(with: Data(b.utf8)) as! [String: Any]
            #expect(y.keys.sorted() == ["id", "risk"])
            #expect(NSDictionary(dictionary: x["risk"] as! [String: Any]).isEqual(to: y["risk"] as! [String: Any]))
        }
        let csv = try run(input, format: .csv).output.split(separator: "\n").map(String.init)
        #expect(csv[0] == "id,efi_score,efi_deficits,efi_category,efi_in_population,hfrs_score,hfrs_band,hfrs_in_population,charlson_score,charlson_conditions,elixhauser_score,elixhauser_conditions,lace_score,lace_band,lace_in_population")
        // p0: born 1930 (96), F00 event (HFRS 7.1, Charlson dementia 2), I50 + C78 admission
        // (Charlson CHF 2 + metastatic 6 = 10; Elixhauser CHF 7 + metastatic 12 = 19), a fall
        // (1 deficit). LACE: 2026-03-01 → 03-01, LOS 0 → 0; emergency 3; C: CHF 2 + dementia 3
        // + metastatic 6 = 11 → 5; E 0: 8, moderate; discharged 31 days before as-of: not in population.
        #expect(csv[1] == "p0,0.028,1,fit,true,7.1,intermediate,true,10,3,19,2,8,moderate,false")
        #expect(csv.count == 201)
    }

    @Test func theFastFormatsStillRejectBrokenLines() throws {
        let input = #"{"id":"a","events":[{"code":"x"}"# + "\n" + #"{"id":"b","care":[1,2}"# + "\n" + TestPerson().line + "\n"
        let r = try run(input, format: .csv)
        #expect(r.diagnostics.rejected == ["invalid JSON": 2])
        #expect(r.diagnostics.emitted == 1)
    }
}

@Suite struct EventKeyTests {
    @Test func keyWordsSpellTheirKeys() {
        typealias K = PersonFacts.EventKey
        #expect(K.code4 == K.word("code") && K.date4 == K.word("date") && K.kind4 == K.word("kind"))
        #expect(K.valu4 == K.word("valu") && K.syst4 == K.word("syst") && K.sour4 == K.word("sour"))
    }
}
