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

    @Test("the HTML report in a real headless browser (chromium): loads with no network, renders, prints to A4")
    func headlessBrowser() throws {
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            print("note: skipping the headless-browser check: chromium is not installed (apt-get install chromium; .ci/run installs it)")
            return
        }
        let dir = try temporaryFolder()
        #expect(try Programs.run("ingest-gp", ["examples/data/ics/gp", "examples/data/ics/hospital", "examples/data/ics/council",
                                               "-q", "-o", dir + "/people.jsonl"]).status == 0)
        #expect(try Programs.run("outcome-report", [dir + "/people.jsonl", "--as-of", "2026-04-01", "--targets", "examples/outcomes/targets.csv",
                                                    "-o", dir + "/report.html"]).status == 0)
        // The script the README's picture comes from: no network (a dead proxy), not blank.
        let png = try Programs.runCommand("/bin/bash", ["scripts/render-report.sh", dir + "/report.html", dir + "/report.png"])
        #expect(png.status == 0, "\(png.stderr)")
        // Printing: chromium's own PDF of the page, on A4 (595 × 842 points; chromium writes 594.96 × 841.92).
        let pdf = try Programs.runCommand(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--proxy-server=127.0.0.1:9",
                                                     "--user-data-dir=\(dir)/profile", "--no-pdf-header-footer",
                                                     "--print-to-pdf=\(dir)/report.pdf", "file://\(dir)/report.html"])
        #expect(pdf.status == 0, "\(pdf.stderr)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/report.pdf"))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("%PDF") && text.contains("MediaBox [0 0 594.9") && text.contains(" 841.9"), "not an A4 PDF")
        // The DOM chromium built has the report's sections and charts.
        let dom = try Programs.runCommand(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--proxy-server=127.0.0.1:9",
                                                     "--user-data-dir=\(dir)/profile2", "--dump-dom", "file://\(dir)/report.html"])
        #expect(dom.out.contains("Statistical process control") && dom.out.contains("Practices compared") && dom.out.contains("<svg"))
    }

    @Test("usage errors exit 64", arguments: [["x", "--period", "2024"], ["x", "--suppress-below", "0"], ["x", "--format", "pdf"]])
    func usage(_ args: [String]) throws {
        #expect(try Programs.run("outcome-report", args).status == 64)
    }
}
