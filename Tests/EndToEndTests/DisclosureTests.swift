import Foundation
import Testing

/// Disclosure control reaches every number a reader can recover: the monthly series behind
/// the SPC charts are shown by month only when no month holds a count from 1 to 4, by quarter
/// when no quarter does, and otherwise not at all (the report says which and why).
@Suite("disclosure control in the series")
struct DisclosureTests {
    @Test("no series point from 1 to 4 in the JSON Lines; withheld series named in every format")
    func series() throws {
        let dir = try temporaryFolder()
        let scored = dir + "/scored.jsonl"
        let made = try Programs.runCommand("/bin/bash", ["-o", "pipefail", "-c",
            ".build/debug/ingest-gp examples/data/ics/gp examples/data/ics/hospital examples/data/ics/council -q | .build/debug/risk-score --as-of 2026-04-01 -q > \(scored)"])
        try #require(made.status == 0)
        let json = try Programs.run("outcome-report", [scored, "--as-of", "2026-04-01", "--format", "jsonl", "-q"])
        #expect(json.status == 0)
        var points = 0
        for line in json.out.split(separator: "\n") {
            let v = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            guard v["month"] != nil, let value = v["value"] as? Double else { continue }
            points += 1
            #expect(!(value > 0 && value < 5), "a disclosive point: \(line)")
        }
        #expect(points > 0)
        // Process limits of counts are never below zero.
        for line in json.out.split(separator: "\n") where line.contains("lower_process_limit") {
            let v = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            #expect((v["lower_process_limit"] as! Double) >= 0, "\(line)")
        }
        #expect(json.out.contains("\"series_withheld\""))
        // Without disclosure control the same data has small monthly counts: the rule did something.
        let open = try Programs.run("outcome-report", [scored, "--as-of", "2026-04-01", "--format", "jsonl", "--no-suppression", "-q"])
        #expect(open.out.split(separator: "\n").contains { l in
            l.contains("\"month\"") && ["\"value\":1,", "\"value\":2,", "\"value\":3,", "\"value\":4,"].contains { l.contains($0) } })
        for format in ["html", "markdown"] {
            let r = try Programs.run("outcome-report", [scored, "--as-of", "2026-04-01", "--format", format, "-q"])
            #expect(r.status == 0 && r.out.contains("Not charted, for disclosure control"), "\(format)")
        }
        let html = try Programs.run("outcome-report", [scored, "--as-of", "2026-04-01", "-q"]).out
        #expect(!html.contains("Emergency admissions per month") && html.contains("per quarter"))
    }
}
