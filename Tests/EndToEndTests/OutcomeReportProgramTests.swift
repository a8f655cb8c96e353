import Foundation
import Testing

@Suite("outcome-report as a program")
struct OutcomeReportProgramTests {
    @Test("reports on the bundled example: HTML with charts, rows as CSV, the same twice")
    func example() throws {
        let dir = try temporaryFolder()
        #expect(try Programs.run("ingest-gp", ["examples/data/ics/gp", "examples/data/ics/hospital", "examples/data/ics/council",
                                               "-q", "-o", dir + "/people.jsonl"]).status == 0)
        let html = try Programs.run("outcome-report", [dir + "/people.jsonl", "--as-of", "2026-04-01"])
        #expect(html.status == 0, "\(html.stderr)")
        #expect(html.stderr.contains("outcome-report: read 300 people; emitted 300"))
        #expect(html.out.hasPrefix("<!DOCTYPE html>") && html.out.contains("<svg") && html.out.contains("2025-26"))
        // Self-contained: no scripts, and no address but the SVG namespace.
        let addresses = html.out.replacing("http://www.w3.org/2000/svg", with: "")
        #expect(!html.out.contains("<script") && !addresses.contains("http://") && !addresses.contains("https://"))
        let again = try Programs.run("outcome-report", [dir + "/people.jsonl", "--as-of", "2026-04-01", "--threads", "1"])
        #expect(again.out == html.out)
        let csv = try Programs.run("outcome-report", [dir + "/people.jsonl", "--as-of", "2026-04-01", "--format", "csv"])
        #expect(csv.out.hasPrefix("metric,title,group,period,"))
        #expect(csv.out.contains("emergency_admissions,Emergency admissions,(all),2025-26,"))
        let open = try Programs.run("outcome-report", [dir + "/people.jsonl", "--as-of", "2026-04-01", "--format", "jsonl", "--no-suppression"])
        #expect(open.out.contains(#""disclosure_control":"off""#) && open.stderr.contains("disclosure control is off"))
    }

    @Test("usage errors exit 64", arguments: [["x", "--period", "2024"], ["x", "--suppress-below", "0"], ["x", "--format", "pdf"]])
    func usage(_ args: [String]) throws {
        #expect(try Programs.run("outcome-report", args).status == 64)
    }
}
