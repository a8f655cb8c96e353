import CareCore
import CareModel
import CareOutcomes

/// The evaluation as documents: Markdown, HTML (inline SVG: the Love plot, the monthly rates
/// with the index marked, the effects with their intervals; prints to A4), CSV (the effects) and
/// JSON Lines (every table, one row a line). Counts from 1 to 4 are suppressed, as in
/// outcome-report, in every one of them.
public enum ImpactDocuments {
    static func n(_ v: Double, _ p: Int = 2) -> String { v.isFinite ? ReportFormat.grouped(v, places: p) : "–" }
    static func signed(_ v: Double, _ p: Int = 2) -> String { v.isFinite ? ReportFormat.signed(v, places: p) : "–" }
    static func interval(_ e: Effects.Estimate, _ p: Int = 2) -> String { "\(signed(e.value, p)) (\(signed(e.lower, p)) to \(signed(e.upper, p)))" }

    /// A monthly rate as it may be published (nil when its count is 1 to 4).
    static func monthRate(_ e: ImpactEvaluation, _ rate: Double, _ count: Int) -> Double? {
        count > 0 && count < e.suppressionThreshold ? nil : rate
    }

    /// The summary, in sentences: the main effect, what the naive change would have said, balance.
    public static func summary(_ e: ImpactEvaluation) -> [String] {
        var s: [String] = []
        if let r = e.effects.rows.first(where: { $0.outcome == .emergencyAdmissions }), let naive = r.naive {
            let covers = r.effect.lower <= 0 && r.effect.upper >= 0
            s.append("Emergency admissions: the matched estimate is \(interval(r.effect)) per person-year for the \(e.count(e.matching.sets.count)) matched treated people" +
                     (covers ? ": the interval includes no change." : (r.effect.value < 0 ? ": fewer than their controls." : ": more than their controls.")))
            s.append("The treated people's own before–after change was \(interval(naive)) per person-year; their controls changed by \(signed(r.controlAfter - r.controlBefore)): most of a fall seen in the treated alone is what happens to people chosen at a high point (regression to the mean), not the intervention.")
        }
        let off = e.balance.imbalanced
        s.append(off.isEmpty ? "Balance: after matching every feature's standardised mean difference is below \(Balance.target)."
                 : "Balance: after matching \(off.count) feature\(off.count == 1 ? "" : "s") still differ (|SMD| ≥ \(Balance.target)): " + off.map { $0.feature.rawValue }.joined(separator: ", ") + "; read the effects with care.")
        if let c = e.effects.costPerPerson {
            s.append("Estimated cost difference: \(ReportFormat.pounds(c.value, sign: true)) per treated person over the \(e.design.window) after (\(ReportFormat.pounds(c.lower, sign: true)) to \(ReportFormat.pounds(c.upper, sign: true))); an estimate, not an accounting figure.")
        }
        return s
    }

    static let effectHeader = ["Outcome", "Unit", "Treated before", "Treated after", "Controls before", "Controls after", "Matched effect (95 % interval)", "Treated alone, after − before"]

    static func effectCells(_ e: ImpactEvaluation) -> [[String]] {
        e.effects.rows.map { r in
            [r.outcome.title, r.outcome.unit, r.outcome.hasBefore ? n(r.treatedBefore, 3) : "–", n(r.treatedAfter, 3),
             r.outcome.hasBefore ? n(r.controlBefore, 3) : "–", n(r.controlAfter, 3), interval(r.effect, 3),
             r.naive.map { interval($0, 3) } ?? "–"]
        }
    }

    static func balanceCells(_ e: ImpactEvaluation) -> [[String]] {
        e.balance.rows.map { r in
            [r.feature.definition, signed(r.smdBefore, 3), signed(r.smdAfter, 3), n(r.varianceRatioBefore, 2), n(r.varianceRatioAfter, 2),
             abs(r.smdAfter) < Balance.target ? "balanced" : "not balanced"]
        }
    }
    static let balanceHeader = ["Feature", "SMD before", "SMD after", "Variance ratio before", "Variance ratio after", "|SMD| < 0.1"]

    static func monthCells(_ e: ImpactEvaluation) -> [[String]] {
        e.effects.months.map { m in
            [String(m.offset), monthRate(e, m.treatedRate, m.treatedCount).map { n($0, 2) } ?? "*", monthRate(e, m.controlRate, m.controlCount).map { n($0, 2) } ?? "*"]
        }
    }
    static let monthHeader = ["Month (0: the index month)", "Treated: emergency admissions per 100 people", "Controls: per 100 people"]

    // MARK: Markdown

    public static func markdown(_ e: ImpactEvaluation) -> String {
        func table(_ header: [String], _ rows: [[String]]) -> String {
            "| " + header.joined(separator: " | ") + " |\n|" + header.map { _ in "---" }.joined(separator: "|") + "|\n"
                + rows.map { "| " + $0.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n" }.joined()
        }
        var out = "# Impact evaluation: \(e.design.intervention.text)\n\n"
        out += "Matched controls and difference-in-differences; \(e.design.from) to \(e.design.to). \(suppressionNote(e))\n\n"
        out += "## Summary\n\n" + summary(e).map { "- \($0)\n" }.joined() + "\n"
        out += "## Effects\n\n" + table(effectHeader, effectCells(e)) + "\n"
        if let c = e.effects.costPerPerson, let t = e.effects.costTotal {
            out += "Estimated cost difference over the \(e.design.window) after: \(ReportFormat.pounds(c.value, sign: true)) per treated person (\(ReportFormat.pounds(c.lower, sign: true)) to \(ReportFormat.pounds(c.upper, sign: true))), \(ReportFormat.pounds(t.value, sign: true)) for the matched treated (\(ReportFormat.pounds(t.lower, sign: true)) to \(ReportFormat.pounds(t.upper, sign: true))). An estimate, not an accounting figure.\n\n"
        }
        out += "## The people, step by step\n\n" + table(["Step", "People"], e.steps.map { [$0.0, e.count($0.1)] }) + "\n"
        if let u = e.unmatchedDescription { out += u + "\n\n" }
        out += "## Balance\n\n" + table(balanceHeader, balanceCells(e)) + "\n"
        out += "## Emergency admissions by month\n\n" + table(monthHeader, monthCells(e)) + "\n"
        out += "## Methods\n\n" + e.methods.map { "- \($0)\n" }.joined() + "\n" + ImpactEvaluation.cannotRuleOut + "\n\n\(ToolVersion.text)\n"
        return out
    }

    static func suppressionNote(_ e: ImpactEvaluation) -> String {
        e.suppressionThreshold > 0 ? "Counts from 1 to \(e.suppressionThreshold - 1) are suppressed (*)." : "DISCLOSURE CONTROL TURNED OFF (--no-suppression): small numbers are shown. Do not publish."
    }

    // MARK: HTML

    static func esc(_ s: String) -> String { HTMLText.escape(s) }

    public static func html(_ e: ImpactEvaluation) -> String {
        func table(_ header: [String], _ rows: [[String]], numericFrom: Int) -> String {
            var t = "<table><thead><tr>" + header.enumerated().map { "<th\($0.offset >= numericFrom ? " class=\"n\"" : "")>\(esc($0.element))</th>" }.joined() + "</tr></thead><tbody>"
            for r in rows { t += "<tr>" + r.enumerated().map { "<td\($0.offset >= numericFrom ? " class=\"n\"" : "")>\(esc($0.element))</td>" }.joined() + "</tr>" }
            return t + "</tbody></table>\n"
        }
        var body = "<h1>Impact evaluation: \(esc(e.design.intervention.text))</h1>\n"
        body += "<p class=\"meta\">Matched controls and difference-in-differences; index dates \(e.design.from) to \(e.design.to). \(esc(ToolVersion.text)).</p>\n"
        body += "<p class=\"\(e.suppressionThreshold > 0 ? "meta" : "warn")\">\(esc(suppressionNote(e)))</p>\n"
        body += "<section class=\"summary\"><h2>Summary</h2><ul>" + summary(e).map { "<li>\(esc($0))</li>" }.joined() + "</ul></section>\n"
        body += "<h2>Effects</h2>\n" + table(effectHeader, effectCells(e), numericFrom: 2)
        body += "<figure>\(effectsChart(e))<figcaption>The matched effect on each count, per person-year, with its 95 % bootstrap interval (filled), beside the treated people's own before–after change (open), which regression to the mean moves by itself.</figcaption></figure>\n"
        body += "<figure>\(monthlyChart(e))<figcaption>Emergency admissions per 100 people each month, treated and matched controls; the index month is marked. Months whose count is 1 to 4 are not drawn.</figcaption></figure>\n"
        if let c = e.effects.costPerPerson, let t = e.effects.costTotal {
            body += "<h2>Estimated cost difference <small>(an estimate, not an accounting figure)</small></h2><p>\(ReportFormat.pounds(c.value, sign: true)) per treated person over the \(e.design.window) after (\(ReportFormat.pounds(c.lower, sign: true)) to \(ReportFormat.pounds(c.upper, sign: true))); \(ReportFormat.pounds(t.value, sign: true)) for the matched treated (\(ReportFormat.pounds(t.lower, sign: true)) to \(ReportFormat.pounds(t.upper, sign: true))).</p>\n"
        }
        body += "<h2>The people, step by step</h2>\n" + table(["Step", "People"], e.steps.map { [$0.0, e.count($0.1)] }, numericFrom: 1)
        if let u = e.unmatchedDescription { body += "<p>\(esc(u))</p>\n" }
        body += "<h2>Balance</h2>\n<figure>\(lovePlot(e))<figcaption>Love plot: each feature's standardised mean difference before matching (open) and after (filled); the band is |SMD| &lt; 0.1.</figcaption></figure>\n"
        body += table(balanceHeader, balanceCells(e), numericFrom: 1)
        body += "<h2>Emergency admissions by month</h2>\n" + table(monthHeader, monthCells(e), numericFrom: 1)
        body += "<h2>Methods</h2><ul>" + e.methods.map { "<li>\(esc($0))</li>" }.joined() + "</ul><p>\(esc(ImpactEvaluation.cannotRuleOut))</p>\n"
        return "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Impact evaluation</title><style>\n\(ReportDocuments.pageStyle)\n</style></head><body>\n\(body)</body></html>\n"
    }

    /// Love plot: features down, SMD across.
    static func lovePlot(_ e: ImpactEvaluation) -> String {
        typealias C = SVGCharts
        let rows = e.balance.rows.filter { $0.smdBefore.isFinite && $0.smdAfter.isFinite }
        let lineH = 13.0, left = 200.0, right = 30.0, top = 30.0, width = C.width
        let height = top + lineH * Double(rows.count) + 40
        let extent = max(0.25, rows.map { max(abs($0.smdBefore), abs($0.smdAfter)) }.max() ?? 0.25)
        func px(_ v: Double) -> Double { C.scale(v, -extent, extent, left, width - right) }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" role=\"img\" aria-label=\"Love plot\">"
        s += "<text x=\"\(C.f(left))\" y=\"16\" font-size=\"12\" font-weight=\"bold\">Balance before and after matching</text>"
        s += "<rect x=\"\(C.f(px(-0.1)))\" y=\"\(C.f(top))\" width=\"\(C.f(px(0.1) - px(-0.1)))\" height=\"\(C.f(lineH * Double(rows.count)))\" fill=\"#e8edee\"/>"
        let y0 = top + lineH * Double(rows.count)
        s += "<line x1=\"\(C.f(left))\" y1=\"\(C.f(y0))\" x2=\"\(C.f(width - right))\" y2=\"\(C.f(y0))\" stroke=\"#4c6272\"/>"
        for t in C.ticks(-extent, extent, count: 6) {
            s += "<text class=\"tick\" x=\"\(C.f(px(t)))\" y=\"\(C.f(y0 + 12))\" font-size=\"8.5\" text-anchor=\"middle\">\(ReportFormat.signed(t, places: 2))</text>"
        }
        s += "<text class=\"x-title\" x=\"\(C.f((left + width - right) / 2))\" y=\"\(C.f(height - 6))\" font-size=\"9\" text-anchor=\"middle\">standardised mean difference, treated − controls</text>"
        s += "<text class=\"y-title\" x=\"10\" y=\"\(C.f(top - 6))\" font-size=\"9\">feature</text>"
        for (i, r) in rows.enumerated() {
            let y = top + lineH * (Double(i) + 0.5)
            s += "<text x=\"\(C.f(left - 6))\" y=\"\(C.f(y + 3))\" font-size=\"8\" text-anchor=\"end\">\(esc(r.feature.rawValue))</text>"
            s += "<circle cx=\"\(C.f(px(r.smdBefore)))\" cy=\"\(C.f(y))\" r=\"3\" fill=\"none\" stroke=\"#4c6272\"/>"
            s += "<circle cx=\"\(C.f(px(r.smdAfter)))\" cy=\"\(C.f(y))\" r=\"3\" fill=\"#005eb8\"/>"
        }
        return s + "</svg>"
    }

    /// Treated and control rates by month, the index marked.
    static func monthlyChart(_ e: ImpactEvaluation) -> String {
        typealias C = SVGCharts
        let months = e.effects.months
        let t = months.map { monthRate(e, $0.treatedRate, $0.treatedCount) }, c = months.map { monthRate(e, $0.controlRate, $0.controlCount) }
        let hi = max(1, (t.compactMap { $0 } + c.compactMap { $0 }).max() ?? 1) * 1.1
        let x0 = C.left, x1 = C.width - C.right, y0 = C.height - C.bottom, y1 = C.top
        func px(_ i: Int) -> Double { C.scale(Double(i), 0, Double(months.count - 1), x0, x1) }
        func py(_ v: Double) -> Double { C.scale(v, 0, hi, y0, y1) }
        var s = C.axes(x: stride(from: 0, to: months.count, by: 3).map { (px($0), String(months[$0].offset)) }, y: C.ticks(0, hi), py: py,
                       xTitle: "months from the index month", yTitle: "emergency admissions per 100 people")
        let ix = px(OutcomeWindows.months)
        s += "<line x1=\"\(C.f(ix))\" y1=\"\(C.f(y0))\" x2=\"\(C.f(ix))\" y2=\"\(C.f(y1))\" stroke=\"#d5281b\" stroke-dasharray=\"4 3\"/>"
        s += "<text x=\"\(C.f(ix + 3))\" y=\"\(C.f(y1 + 10))\" font-size=\"8.5\" fill=\"#d5281b\">index</text>"
        for (series, colour) in [(t, "#005eb8"), (c, "#768692")] {
            var path = ""
            for (i, v) in series.enumerated() {
                guard let v else { continue }
                path += (path.isEmpty ? "M" : " L") + "\(C.f(px(i))) \(C.f(py(v)))"
                s += "<circle cx=\"\(C.f(px(i)))\" cy=\"\(C.f(py(v)))\" r=\"2.2\" fill=\"\(colour)\"/>"
            }
            if !path.isEmpty { s += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.2\"/>" }
        }
        if let last = t.lastIndex(where: { $0 != nil }), let v = t[last] { s += C.rightLabel(py(v), "treated", colour: "#005eb8") }
        if let last = c.lastIndex(where: { $0 != nil }), let v = c[last] { s += C.rightLabel(py(v) + 10, "controls", colour: "#768692") }
        return C.frame("Emergency admissions by month, treated and matched controls", s)
    }

    /// The effects on counts with intervals, beside the naive change.
    static func effectsChart(_ e: ImpactEvaluation) -> String {
        typealias C = SVGCharts
        let rows = e.effects.rows.filter { !$0.outcome.isShare && $0.outcome != .emergencyBedDays }
        let values = rows.flatMap { [$0.effect.lower, $0.effect.upper] + ($0.naive.map { [$0.lower, $0.upper] } ?? []) }.filter(\.isFinite)
        let lo = min(0, values.min() ?? -1), hi = max(0, values.max() ?? 1)
        let x0 = C.left + 120, x1 = C.width - C.right, y0 = C.height - C.bottom, y1 = C.top
        func px(_ v: Double) -> Double { C.scale(v, lo, hi, x0, x1) }
        var s = "<line x1=\"\(C.f(x0))\" y1=\"\(C.f(y0))\" x2=\"\(C.f(x1))\" y2=\"\(C.f(y0))\" stroke=\"#4c6272\"/>"
        for t in C.ticks(lo, hi, count: 6) {
            s += "<text class=\"tick\" x=\"\(C.f(px(t)))\" y=\"\(C.f(y0 + 13))\" font-size=\"8.5\" text-anchor=\"middle\">\(ReportFormat.signed(t, places: 2))</text>"
        }
        s += "<line x1=\"\(C.f(px(0)))\" y1=\"\(C.f(y0))\" x2=\"\(C.f(px(0)))\" y2=\"\(C.f(y1))\" stroke=\"#aeb7bd\"/>"
        s += "<text class=\"x-title\" x=\"\(C.f((x0 + x1) / 2))\" y=\"\(C.f(C.height - 6))\" font-size=\"9\" text-anchor=\"middle\">change per person-year</text>"
        s += "<text class=\"y-title\" x=\"12\" y=\"\(C.f(y1 + 4))\" font-size=\"9\">outcome</text>"
        let step = (y0 - y1) / Double(max(rows.count, 1))
        for (i, r) in rows.enumerated() {
            let y = y1 + step * (Double(i) + 0.4)
            s += "<text class=\"tick\" x=\"\(C.f(x0 - 6))\" y=\"\(C.f(y + 3))\" font-size=\"8.5\" text-anchor=\"end\">\(esc(r.outcome.title))</text>"
            if r.effect.lower.isFinite {
                s += "<line x1=\"\(C.f(px(r.effect.lower)))\" y1=\"\(C.f(y))\" x2=\"\(C.f(px(r.effect.upper)))\" y2=\"\(C.f(y))\" stroke=\"#005eb8\" stroke-width=\"2\"/>"
            }
            s += "<circle cx=\"\(C.f(px(r.effect.value)))\" cy=\"\(C.f(y))\" r=\"3.5\" fill=\"#005eb8\"/>"
            if let nv = r.naive {
                let yn = y + step * 0.3
                if nv.lower.isFinite { s += "<line x1=\"\(C.f(px(nv.lower)))\" y1=\"\(C.f(yn))\" x2=\"\(C.f(px(nv.upper)))\" y2=\"\(C.f(yn))\" stroke=\"#768692\"/>" }
                s += "<circle cx=\"\(C.f(px(nv.value)))\" cy=\"\(C.f(yn))\" r=\"3\" fill=\"white\" stroke=\"#768692\"/>"
            }
        }
        return C.frame("Matched effect (filled) and the treated alone (open)", s)
    }

    // MARK: CSV and JSON Lines

    public static let csvHeader = "outcome,unit,treated_before,treated_after,control_before,control_after,effect,effect_lower,effect_upper,naive,naive_lower,naive_upper,matched\n"

    public static func csv(_ e: ImpactEvaluation) -> String {
        var out = csvHeader
        func v(_ x: Double?) -> String { x.map { $0.isFinite ? String($0) : "" } ?? "" }
        for r in e.effects.rows {
            out += [r.outcome.rawValue, r.outcome.unit, r.outcome.hasBefore ? v(r.treatedBefore) : "", v(r.treatedAfter),
                    r.outcome.hasBefore ? v(r.controlBefore) : "", v(r.controlAfter), v(r.effect.value), v(r.effect.lower), v(r.effect.upper),
                    v(r.naive?.value), v(r.naive?.lower), v(r.naive?.upper), e.count(e.matching.sets.count)].joined(separator: ",") + "\n"
        }
        return out
    }

    public static func jsonl(_ e: ImpactEvaluation) -> [UInt8] {
        var out = JSONWriter()
        func line(_ table: String, _ body: (inout JSONWriter) -> Void) {
            out.raw(#"{"table":"#); out.string(table); body(&out); out.raw("}\n")
        }
        for (step, count) in e.steps {
            line("step") { w in
                w.raw(#","step":"#); w.string(step); w.raw(#","people":"#)
                if count > 0 && count < e.suppressionThreshold { w.null(); w.raw(#","suppressed":true"#) } else { w.int(count) }
            }
        }
        for r in e.effects.rows {
            line("effect") { w in
                w.raw(#","outcome":"#); w.string(r.outcome.rawValue); w.raw(#","unit":"#); w.string(r.outcome.unit)
                w.raw(#","treated_before":"#); w.number(r.outcome.hasBefore ? r.treatedBefore : nil); w.raw(#","treated_after":"#); w.number(r.treatedAfter)
                w.raw(#","control_before":"#); w.number(r.outcome.hasBefore ? r.controlBefore : nil); w.raw(#","control_after":"#); w.number(r.controlAfter)
                w.raw(#","effect":"#); w.number(r.effect.value); w.raw(#","effect_lower":"#); w.number(r.effect.lower); w.raw(#","effect_upper":"#); w.number(r.effect.upper)
                w.raw(#","naive":"#); w.number(r.naive?.value); w.raw(#","naive_lower":"#); w.number(r.naive?.lower); w.raw(#","naive_upper":"#); w.number(r.naive?.upper)
            }
        }
        for r in e.balance.rows {
            line("balance") { w in
                w.raw(#","feature":"#); w.string(r.feature.rawValue)
                w.raw(#","smd_before":"#); w.number(r.smdBefore); w.raw(#","smd_after":"#); w.number(r.smdAfter)
                w.raw(#","variance_ratio_before":"#); w.number(r.varianceRatioBefore); w.raw(#","variance_ratio_after":"#); w.number(r.varianceRatioAfter)
            }
        }
        for m in e.effects.months {
            line("month") { w in
                w.raw(#","offset":"#); w.int(m.offset)
                w.raw(#","treated_per_100":"#); w.number(monthRate(e, m.treatedRate, m.treatedCount))
                w.raw(#","controls_per_100":"#); w.number(monthRate(e, m.controlRate, m.controlCount))
            }
        }
        if let c = e.effects.costPerPerson, let t = e.effects.costTotal {
            line("cost") { w in
                w.raw(#","per_treated_person":"#); w.number(c.value); w.raw(#","lower":"#); w.number(c.lower); w.raw(#","upper":"#); w.number(c.upper)
                w.raw(#","total":"#); w.number(t.value); w.raw(#","total_lower":"#); w.number(t.lower); w.raw(#","total_upper":"#); w.number(t.upper)
                w.raw(#","estimate":true"#)
            }
        }
        return out.bytes
    }
}

extension JSONWriter {
    /// A finite number, else null.
    mutating func number(_ x: Double?) { if let x, x.isFinite { double(x) } else { null() } }
}
