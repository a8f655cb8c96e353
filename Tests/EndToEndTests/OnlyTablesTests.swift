import Foundation
import Testing

/// `ingest-gp --only`: read only the tables a question needs; the records say which they hold,
/// and programs that need the others refuse them rather than read an absence as a fact.
@Suite("ingest-gp --only")
struct OnlyTablesTests {
    static let ics = ["examples/data/ics/gp", "examples/data/ics/hospital", "examples/data/ics/council"]

    @Test("--only apcs gives the HFRS list of the whole extract, from records that say what they hold")
    func hospitalQuestion() throws {
        let dir = try temporaryFolder()
        let whole = try Programs.run("ingest-gp", Self.ics + ["-q", "-o", dir + "/whole.jsonl"])
        let only = try Programs.run("ingest-gp", Self.ics + ["--only", "apcs", "-o", dir + "/only.jsonl"])
        #expect(whole.status == 0 && only.status == 0, "\(only.stderr)")
        #expect(only.stderr.contains("not read (--only): clinical_events.csv, medications.csv"))
        let lines = try String(contentsOfFile: dir + "/only.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 300)
        #expect(lines.allSatisfy { $0.contains(#""tables_read":["patients","apcs"],"events":[]"#) && !$0.contains(#""care":[{"#) })
        #expect(lines.contains { $0.contains(#""kind":"admission""#) } && !lines.contains { $0.contains(#""kind":"ae""#) })
        // The same HFRS for everyone, so the same list.
        var lists: [String] = []
        for name in ["whole", "only"] {
            let scored = try Programs.run("risk-score", [dir + "/\(name).jsonl", "--models", "hfrs", "--as-of", "2026-04-01", "-q", "-o", dir + "/\(name)-hfrs.jsonl"])
            #expect(scored.status == 0, "\(scored.stderr)")
            let list = try Programs.run("mdt-list", [dir + "/\(name)-hfrs.jsonl", "--as-of", "2026-04-01", "--where", "age >= 65",
                                                     "--rank-by", "risk.hfrs.score", "--top", "5", "--format", "csv", "-q"])
            #expect(list.status == 0, "\(list.stderr)")
            // Who is listed where, in what order (the recent-activity column differs: no A&E read).
            lists.append(list.out.split(separator: "\n").map { $0.split(separator: ",").prefix(5).joined(separator: ",") }.joined(separator: "\n"))
        }
        #expect(lists[0] == lists[1] && lists[0].split(separator: "\n").count == 37, "\(lists[0])\n---\n\(lists[1])")
        // Without --only, no record says tables_read: the output is as it always was.
        #expect(try !String(contentsOfFile: dir + "/whole.jsonl", encoding: .utf8).contains("tables_read"))
    }

    @Test("programs that need a table left out refuse the records, naming it")
    func refusals() throws {
        let dir = try temporaryFolder()
        #expect(try Programs.run("ingest-gp", Self.ics + ["--only", "hospital", "-q", "-o", dir + "/only.jsonl"]).status == 0)
        let efi = try Programs.run("risk-score", [dir + "/only.jsonl", "--as-of", "2026-04-01"])
        #expect(efi.status == 65 && efi.out.isEmpty && efi.stderr.contains("eFI needs clinical_events, medications"), "\(efi.stderr)")
        let lace = try Programs.run("risk-score", [dir + "/only.jsonl", "--models", "lace,hfrs", "--as-of", "2026-04-01", "-q"])
        #expect(lace.status == 0, "LACE reads apcs and ec, both in --only hospital: \(lace.stderr)")
        for (program, args) in [("pathway-audit", ["--pathways", "examples/pathways"]), ("outcome-report", []), ("risk-model", [])] {
            let r = try Programs.run(program, [dir + "/only.jsonl", "--as-of", "2026-04-01"] + args)
            #expect(r.status == 65 && r.stderr.contains("\(program) needs clinical_events"), "\(program): \(r.stderr)")
        }
        for bad in [["--only", "frogs"], ["--only", "patients"]] {
            #expect(try Programs.run("ingest-gp", Self.ics + bad).status == 64)
        }
        let xml = try Programs.run("ingest-gp", ["gp2gp:examples/data/gp2gp", "--only", "apcs", "--demographics", "examples/data/gp2gp-demographics.csv"])
        #expect(xml.status == 64 && xml.stderr.contains("--only chooses tables of CSV table folders"), "\(xml.stderr)")
    }
}
