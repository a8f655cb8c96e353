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

/// What the HTML report draws: every chart has both axes ticked and titled; every point drawn is
/// one the JSON Lines rows show (so no suppressed value can be read off a chart's coordinates);
/// the summary and tables read as people write numbers.
@Suite("the report's charts and words")
struct ReportChartTests {
    static func made() throws -> (html: String, jsonl: String) {
        let dir = try temporaryFolder()
        let audited = dir + "/audited.jsonl"
        let made = try Programs.runCommand("/bin/bash", ["-o", "pipefail", "-c",
            ".build/debug/ingest-gp examples/data/ics/gp examples/data/ics/hospital examples/data/ics/council -q | .build/debug/risk-score --as-of 2026-04-01 -q"
            + " | .build/debug/pathway-audit --pathways examples/pathways --as-of 2026-04-01 -q --history \(dir)/h.csv > \(audited)"])
        try #require(made.status == 0, "\(made.stderr)")
        let args = [audited, "--as-of", "2026-04-01", "--targets", "examples/outcomes/targets.csv", "--unit-costs", "examples/outcomes/unit-costs.csv", "-q"]
        let html = try Programs.run("outcome-report", args)
        let jsonl = try Programs.run("outcome-report", args + ["--format", "jsonl"])
        try #require(html.status == 0 && jsonl.status == 0)
        return (html.out, jsonl.out)
    }

    static func svgs(_ html: String) -> [String] {
        html.components(separatedBy: "<svg").dropFirst().map { String($0.prefix { $0 != "\u{0}" }.components(separatedBy: "</svg>")[0]) }
    }

    @Test func everyChartHasLabelledAxesAndDrawsOnlyWhatTheRowsShow() throws {
        let (html, jsonl) = try Self.made()
        let charts = Self.svgs(html)
        #expect(charts.count >= 3)
        let lines = try jsonl.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        for svg in charts {
            #expect(svg.contains("class=\"x-title\"") && svg.contains("class=\"y-title\""), "axis titles")
            #expect(svg.components(separatedBy: "class=\"tick\"").count - 1 >= 4, "ticks on both axes")
            let circles = svg.components(separatedBy: "<circle").count - 1
            let title = svg.components(separatedBy: "aria-label=\"")[1].prefix { $0 != "\"" }
            if title.hasSuffix("by IMD quintile") {
                // Rate by IMD quintile: one point per quintile row shown in 2025-26.
                let rows = lines.filter { v in
                    guard let t = v["title"] as? String, let g = v["group"] as? String, v["period"] as? String == "2025-26" else { return false }
                    return title.hasPrefix(HTMLish.escape(t) + " (") && g.hasPrefix("imd_quintile=") && g != "imd_quintile=unknown" && v["suppressed"] as? Bool != true
                }
                #expect(circles == rows.count && circles >= 2, "\(title): \(circles) points, \(rows.count) rows")
            } else if title.hasSuffix("(whole system)") {
                // An XmR chart: one point per published point of its series.
                let series = lines.filter { $0["month"] != nil && title.hasPrefix(HTMLish.escape(Self.metricTitle(lines, $0["series"] as! String))) }
                #expect(circles == series.count && circles > 0, "\(title): \(circles) points, \(series.count) published")
                #expect(series.allSatisfy { v in let x = v["value"] as! Double; return !(x > 0 && x < 5) })
            } else {
                // A funnel plot: one point per practice row shown (not suppressed) for its metric in 2025-26.
                let rows = lines.filter { v in
                    guard let t = v["title"] as? String, v["period"] as? String == "2025-26", let g = v["group"] as? String, g != "(all)", !g.contains("=") else { return false }
                    return title.hasPrefix(HTMLish.escape(t) + " (") && v["suppressed"] as? Bool != true && (v["denominator"] as? Double ?? 0) > 0
                }
                #expect(circles == rows.count && circles >= 2, "\(title): \(circles) points, \(rows.count) rows")
            }
        }
    }

    static func metricTitle(_ lines: [[String: Any]], _ id: String) -> String {
        lines.first { $0["metric"] as? String == id }?["title"] as? String ?? id
    }

    @Test func theReportReadsAsPeopleWriteNumbers() throws {
        let (html, _) = try Self.made()
        #expect(html.contains("<h2>Summary</h2>") && html.contains("<h3>Noise: no change beyond chance</h3>"))
        #expect(html.contains("<h3>Suppressed</h3>") && html.contains("figures are suppressed (*)"))
        // Target changes signed, costs in pounds with the unit of each activity.
        #expect(html.contains(">−10 %<") && html.contains(">+145.2 %<"))
        // +135.8 bed days (shown as +136) at £400: +£54,337.
        #expect(html.contains("£400.00 per bed day") && html.contains("+£54,337"))
        #expect(html.contains("weeks of care") || !html.contains("care_home_week"))
        // Pathways by their titles, steps under them; no placeholder names.
        #expect(html.contains("<tr class=\"section\"><td colspan=\"6\">Contact with primary or community care within 7 days of an emergency discharge (65+)</td></tr>"))
        #expect(!html.contains("step contact") && !html.contains("step gp_record") && !html.contains("Pathway emergency"))
        // Printing: a practice's section kept whole, headings with what follows, header rows repeated.
        #expect(html.contains("section.group { break-inside: avoid") && html.contains("break-after: avoid") && html.contains("thead { display: table-header-group"))
    }
}

enum HTMLish {
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// The inequality breakdowns: in every output format, with the practices' disclosure control.
@Suite("inequalities in the report")
struct InequalityReportTests {
    @Test func everyFormatHasTheBreakdownsAndNoSmallCount() throws {
        let dir = try temporaryFolder()
        let made = try Programs.runCommand("/bin/bash", ["-o", "pipefail", "-c",
            ".build/debug/synth-extract --people 3000 --seed 3 --out \(dir)/x -q && .build/debug/ingest-gp \(dir)/x -q | .build/debug/risk-score --as-of 2026-04-01 -q > \(dir)/scored.jsonl"])
        try #require(made.status == 0, "\(made.stderr)")
        let base = [dir + "/scored.jsonl", "--as-of", "2026-04-01", "-q"]
        let jsonl = try Programs.run("outcome-report", base + ["--format", "jsonl"])
        #expect(jsonl.status == 0)
        var groups = Set<String>()
        for line in jsonl.out.split(separator: "\n") {
            let v = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            guard let g = v["group"] as? String, g.contains("=") else { continue }
            groups.insert(g)
            if let n = v["numerator"] as? Double { #expect(!(n > 0 && n < 5), "a disclosive count: \(line)") }
            if v["suppressed"] as? Bool == true { #expect(v["numerator"] == nil && v["value"] == nil) }
        }
        #expect(groups.isSuperset(of: ["imd_quintile=1", "imd_quintile=5", "ethnic_group=White", "ethnic_group=Asian", "core20=yes", "core20=no"]), "\(groups.sorted())")
        // An SII with its interval for a headline rate, and a Core20 ratio.
        let sii = try jsonl.out.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
            .first { $0["inequality"] as? String == "ae_attendances" && $0["period"] as? String == "2025-26" }
        let s = try #require(sii)
        let value = try #require(s["sii"] as? Double), lo = try #require(s["sii_lower95"] as? Double), hi = try #require(s["sii_upper95"] as? Double)
        #expect(lo < value && value < hi && s["core20_ratio"] != nil)
        let csv = try Programs.run("outcome-report", base + ["--format", "csv"])
        #expect(csv.out.contains(",imd_quintile=1,2025-26,") && csv.out.contains(",ethnic_group=Black,2025-26,"))
        let md = try Programs.run("outcome-report", base + ["--format", "markdown"])
        #expect(md.out.contains("## By deprivation (IMD quintile of the person's area), 2025-26") && md.out.contains("## The gap between the most and least deprived (slope index of inequality)"))
        #expect(md.out.contains("IMD quintile 1 (most deprived)") && md.out.contains("## Core20 against the rest, 2025-26"))
        let html = try Programs.run("outcome-report", base)
        #expect(html.out.contains("<h2>Inequalities (Core20PLUS5)</h2>") && html.out.contains("by IMD quintile</text>"))
        #expect(html.out.contains("<h3>Inequalities: the gap between the most and least deprived</h3>"))
        // No practice section or funnel point is a breakdown group.
        #expect(!html.out.contains("<h2>imd_quintile=") && !html.out.contains(">imd_quintile="))
    }

    @Test("on the bundled example data: every breakdown in every format, no count from 1 to 4, and the SII's reason where it is not worked out")
    func bundledData() throws {
        let dir = try temporaryFolder()
        let made = try Programs.runCommand("/bin/bash", ["-o", "pipefail", "-c",
            ".build/debug/ingest-gp examples/data/ics/gp examples/data/ics/hospital examples/data/ics/council -q | .build/debug/risk-score --as-of 2026-04-01 -q > \(dir)/scored.jsonl"])
        try #require(made.status == 0)
        let base = [dir + "/scored.jsonl", "--as-of", "2026-04-01", "-q"]
        let jsonl = try Programs.run("outcome-report", base + ["--format", "jsonl"]).out
        var groups = Set<String>()
        for line in jsonl.split(separator: "\n") {
            let v = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            if let n = v["numerator"] as? Double { #expect(!(n > 0 && n < 5), "a disclosive count: \(line)") }
            if let g = v["group"] as? String, g.contains("=") { groups.insert(g) }
            if v["inequality"] != nil && v["sii"] is NSNull { #expect(v["sii_not_computed"] is String) }
        }
        #expect(groups.contains("imd_quintile=1") && groups.contains("ethnic_group=White") && groups.contains("core20=yes"))
        let csv = try Programs.run("outcome-report", base + ["--format", "csv"]).out
        let md = try Programs.run("outcome-report", base + ["--format", "markdown"]).out
        let html = try Programs.run("outcome-report", base).out
        #expect(csv.contains(",imd_quintile=1,") && csv.contains(",ethnic_group=White,"))
        #expect(md.contains("By deprivation (IMD quintile") && md.contains("By ethnic group") && html.contains("By ethnic group"))
    }
}
