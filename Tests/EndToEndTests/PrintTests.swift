import Foundation
import Testing

/// The outcome report of the demo and a 10-person agenda, printed to A4 in headless chromium,
/// take the pages docs/printing.md says. Chromium writes each page as a `/Type /Page` object,
/// so the PDF is read without a PDF library.
@Suite("printed page counts")
struct PrintTests {
    static var chromium: String? { ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) } }

    /// The documented count of the line of docs/printing.md's table that starts with `document`.
    static func documented(_ document: String) throws -> Int {
        let doc = try String(contentsOfFile: Programs.root + "/docs/printing.md", encoding: .utf8)
        let line = try #require(doc.split(separator: "\n").first { $0.hasPrefix("| " + document) })
        return try #require(Int(line.split(separator: "|").last!.trimmingCharacters(in: .whitespaces)))
    }

    static func pages(_ html: String, in dir: String) throws -> Int {
        let pdf = dir + "/" + URL(fileURLWithPath: html).lastPathComponent + ".pdf"
        let r = try Programs.runCommand(chromium!, ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(dir)/profile",
                                                    "--proxy-server=127.0.0.1:9", "--no-pdf-header-footer", "--print-to-pdf=\(pdf)", "file://\(html)"])
        try #require(r.status == 0, "\(r.stderr)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: pdf))
        let text = String(decoding: bytes, as: UTF8.self)
        let regex = try NSRegularExpression(pattern: "/Type\\s*/Page(?![s\\w])")
        return regex.numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text))
    }

    @Test func theDemoReportAndATenPersonAgendaPrintToTheDocumentedPages() throws {
        guard Self.chromium != nil else {
            print("note: skipping the printed page counts: chromium is not installed (apt-get install chromium; .ci/run installs it)")
            return
        }
        let dir = try temporaryFolder()
        let made = try Programs.runCommand("/bin/bash", ["-o", "pipefail", "-c", """
            .build/debug/ingest-gp examples/data/ics/gp examples/data/ics/hospital examples/data/ics/council -q -o \(dir)/people.jsonl && \
            .build/debug/risk-score \(dir)/people.jsonl --as-of 2026-04-01 -q -o \(dir)/scored.jsonl && \
            .build/debug/pathway-audit \(dir)/scored.jsonl --pathways examples/pathways --as-of 2026-04-01 --history \(dir)/h.csv -q -o \(dir)/audited.jsonl && \
            .build/debug/outcome-report \(dir)/audited.jsonl --as-of 2026-04-01 --targets examples/outcomes/targets.csv \
                --unit-costs examples/outcomes/unit-costs.csv -q -o \(dir)/outcome-report.html && \
            .build/debug/mdt-list \(dir)/audited.jsonl --as-of 2026-04-01 --where 'age >= 65' --rank-by risk.hfrs.score,risk.efi.score --top 10 \
                --title "Frailty and hospital use, 65 and over" --format html --out-dir \(dir)/agenda-10 -q
            """])
        try #require(made.status == 0, "\(made.stderr)")
        let agenda = try String(contentsOfFile: dir + "/agenda-10/ZZ0001.html", encoding: .utf8)
        #expect(agenda.components(separatedBy: "<tr><td>").count - 1 == 10, "ten people on the agenda")
        #expect(try Self.pages(dir + "/outcome-report.html", in: dir) == Self.documented("the outcome report of `make demo`"))
        #expect(try Self.pages(dir + "/agenda-10/ZZ0001.html", in: dir) == Self.documented("a 10-person agenda"))
    }
}
