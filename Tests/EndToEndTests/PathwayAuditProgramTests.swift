import Foundation
import Testing

@Suite("pathway-audit as a program")
struct PathwayAuditProgramTests {
    @Test("audits the bundled example with the bundled library; summary as CSV")
    func example() throws {
        let dir = try temporaryFolder()
        #expect(try Programs.run("ingest-gp", ["examples/data/ics/gp", "examples/data/ics/hospital", "examples/data/ics/council",
                                               "-q", "-o", dir + "/people.jsonl"]).status == 0)
        let r = try Programs.run("pathway-audit", [dir + "/people.jsonl", "--pathways", "examples/pathways", "--as-of", "2026-04-01"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("pathway-audit: read 300 people; emitted 300; filtered 0; rejected 0; 7 pathways"))
        #expect(r.out.split(separator: "\n").allSatisfy { $0.contains(#""pathways":{"as_of":"2026-04-01","annual-review-65":["#) })
        let s = try Programs.run("pathway-audit", [dir + "/people.jsonl", "--pathways", "examples/pathways", "--as-of", "2026-04-01",
                                                   "--summary", "--format", "csv", "-q"])
        #expect(s.status == 0)
        #expect(s.out.contains("emergency-discharge-follow-up,ZZ0001,step:contact,"))
    }

    @Test("a wrong definition exits 78 naming file, line and column")
    func badDefinition() throws {
        let dir = try temporaryFolder()
        try "id: x\ntitle: X\nsource: s\ntrigger:\n  from: encounters\n  match: kind = \"ae\"\nsteps:\n  - id: a\n    title: A\n    match: true\n    window: within 7 days after trigger.end\n"
            .write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        let r = try Programs.run("pathway-audit", ["--check", "--pathways", dir + "/bad.yaml"])
        #expect(r.status == 78)
        #expect(r.stderr.contains("bad.yaml:11:13: bad window"), "\(r.stderr)")
        #expect(try Programs.run("pathway-audit", ["--check", "--pathways", "examples/pathways"]).status == 0)
        #expect(try Programs.run("pathway-audit", ["x"]).status == 64, "--pathways is required")
    }
}
