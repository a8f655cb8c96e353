import CareCore

/// The report for people: Markdown, and self-contained HTML (inline CSS and SVG, no scripts,
/// prints to A4).
public enum ReportDocuments {
    static func cell(_ row: MetricRow?) -> String {
        guard let row else { return "" }
        if row.suppressed { return "*" }
        guard let v = row.value else { return "–" }
        var s = ReportFormat.grouped(v)
        if let l = row.lower, let u = row.upper { s += " (\(ReportFormat.grouped(l))–\(ReportFormat.grouped(u)))" }
        return s
    }

    static func change(_ c: MetricChange?) -> String {
        guard let c else { return "" }
        if c.suppressed { return "*" }
        guard let v = c.value else { return "–" }
        switch c.metric.kind {
        case .rate, .standardised:
            var s = "×\(Report.number(v, places: 2))"
            if let l = c.lower, let u = c.upper { s += " (\(Report.number(l, places: 2))–\(Report.number(u, places: 2)))" }
            return s
        case .proportion:
            var s = ReportFormat.signed(v) + " pts"
            if let l = c.lower, let u = c.upper { s += " (\(ReportFormat.signed(l)) to \(ReportFormat.signed(u)))" }
            return s
        default:
            return ReportFormat.signed(v)
        }
    }

    /// The report's rows and changes by group, made once: looking them up group by group in
    /// the whole list made a report of thousands of groups quadratic.
    struct ByGroup {
        let rows: [String: [MetricRow]]
        let changes: [String: [MetricChange]]
        init(_ r: Report) {
            rows = Dictionary(grouping: r.rows, by: \.group)
            changes = Dictionary(grouping: r.changes, by: \.group)
        }
    }

    /// The scorecard: one line per metric for a group, baseline, period and change. A pathway's
    /// steps and outcomes follow a one-cell line holding the pathway's title.
    static func table(_ r: Report, group: String, index: ByGroup) -> [[String]] {
        let groupRows = index.rows[group] ?? [], groupChanges = index.changes[group] ?? []
        var lines: [[String]] = []
        var byMetric: [String: [MetricRow]] = [:], order: [String] = []
        for row in groupRows {
            if byMetric[row.metric.id] == nil { order.append(row.metric.id) }
            byMetric[row.metric.id, default: []].append(row)
        }
        var section: String?
        for id in order {
            let rows = byMetric[id]!
            let m = rows[0].metric
            if let s = m.section, s != section { lines.append([s]) }
            section = m.section
            let polarity = m.higherIsBetter.map { $0 ? "↑ better" : "↓ better" } ?? ""
            lines.append([m.title, m.unit, cell(rows.first { $0.period == r.periods.first }), cell(rows.first { $0.period == r.periods.last }),
                          change(groupChanges.first { $0.metric.id == id }), polarity])
        }
        return lines
    }

    /// Progress against targets, as table lines: changes signed, in per cent of the baseline.
    static func targetLines(_ r: Report) -> [[String]] {
        r.targets.map { t in
            [t.metric.title, ReportFormat.signed(t.targetPercent) + " %", t.achievedPercent.map { ReportFormat.signed($0) + " %" } ?? "*",
             t.met.map { $0 ? "met" : "not met" } ?? "–"]
        }
    }
    static let targetHeader = ["Metric", "Target change (% of baseline)", "Achieved change (% of baseline)", "Verdict"]

    /// One line per monthly series: latest month, mean, limits, variation and assurance, as
    /// words and symbols.
    static func spcLines(_ r: Report) -> [[String]] {
        r.monthly.map { series in
            let chart = series.chart
            let last = series.points.last.map { "\($0.month): \(Report.number($0.value))" } ?? ""
            let limits = "\(Report.number(chart.lpl))–\(Report.number(chart.upl))"
            // With no month-to-month variation the limits collapse onto the mean: nothing to read.
            guard chart.amr > 0 else {
                return [series.metric.title, last, Report.number(chart.mean), limits, "– not assessed: no variation between months", "–"]
            }
            let v = MonthlySeries.variation(chart.variationIcon)
            let target = r.targets.first { $0.metric.id == series.metric.id }.flatMap { series.monthlyTarget(changePercent: $0.targetPercent) }
            let a = MonthlySeries.assurance(target.flatMap { chart.assurance(target: $0) })
            return [series.metric.title, last, Report.number(chart.mean), limits,
                    "\(v.symbol) \(v.words)", a.symbol.isEmpty ? a.words : "\(a.symbol) \(a.words)"]
        }
    }

    /// Estimated costs, as table lines: money as money, each activity with its own unit.
    static func costLines(_ r: Report) -> [[String]] {
        r.costs.map { c in
            func amount(_ v: Double, _ places: Int, _ unit: String) -> String {
                let s = ReportFormat.signed(v, places: places)
                return "\(s) \(s == "+1" || s == "−1" ? unit.singular : unit)"
            }
            var activity = amount(c.activityDifference, 0, c.activityUnit)
            if let e = c.events { activity = amount(e.count, 1, e.unit) + " = " + activity }
            return [c.metric.title, ReportFormat.pounds(c.unitCost, pence: true) + " per " + c.activityUnit.singular,
                    activity, ReportFormat.pounds(c.costDifference, sign: true), c.assumption]
        }
    }
    static let costHeader = ["Metric", "Unit cost", "Activity difference", "Cost difference (£)", "Basis"]

    static let methods = "Rates with 95 % intervals (exact Poisson below 10 events, Byar from 10); age-standardised rates (European Standard Population 2013) with Dobson intervals, not calculated below 10 events; percentages with Wilson intervals; changes as rate ratios or differences in percentage points."

    public static func markdown(_ r: Report) -> String {
        var out = "# Outcome report — \(r.periods.last!.name) against \(r.periods.first!.name)\n\n"
        out += "As of \(r.asOf); \(r.people) people; population denominators from \(r.denominators). \(Self.methods) \(r.suppressionNote)\n\n"
        out += "## Summary\n\n"
        for part in ReportSummary.parts(r) {
            out += "**\(part.heading).** " + part.sentences.joined(separator: ". ") + ".\n\n"
        }
        if !r.targets.isEmpty {
            out += "## Progress against targets (whole system)\n\n| " + targetHeader.joined(separator: " | ") + " |\n|---|---:|---:|---|\n"
            for l in targetLines(r) { out += "| " + l.joined(separator: " | ") + " |\n" }
            out += "\n"
        }
        if !r.costs.isEmpty {
            out += "## Estimated cost difference (an estimate, not an accounting figure)\n\n| " + costHeader.joined(separator: " | ") + " |\n|---|---:|---:|---:|---|\n"
            for l in costLines(r) { out += "| " + l.joined(separator: " | ") + " |\n" }
            out += "\n"
        }
        if !r.monthly.isEmpty {
            out += "## Statistical process control (whole system, by month)\n\n| Metric | Latest month | Mean | Process limits | Variation | Assurance |\n|---|---:|---:|---:|---|---|\n"
            for l in spcLines(r) { out += "| " + l.joined(separator: " | ") + " |\n" }
            out += "\n"
        }
        if !r.withheldSeries.isEmpty { out += withheldNote(r) + "\n\n" }
        for t in inequalityTables(r) {
            out += "## \(t.title)\n\n\(t.note)\n\n| " + t.header.joined(separator: " | ") + " |\n|" + t.header.indices.map { $0 < 2 ? "---|" : "---:|" }.joined() + "\n"
            for l in t.lines { out += "| " + l.map { $0.replacing("|", with: "\\|") }.joined(separator: " | ") + " |\n" }
            out += "\n"
        }
        let groups = Array(Set(r.rows.map(\.group)).filter { Breakdown.of($0) == nil }).sorted { ($0 == MetricRows.system ? "" : $0) < ($1 == MetricRows.system ? "" : $1) }
        let index = ByGroup(r)
        for g in groups {
            out += "## \(g == MetricRows.system ? "Whole system" : g)\n\n| Metric | Unit | \(r.periods.first!.name) | \(r.periods.last!.name) | Change | |\n|---|---|---:|---:|---:|---|\n"
            for line in table(r, group: g, index: index) {
                if line.count == 1 { out += "| **\(line[0].replacing("|", with: "\\|"))** | | | | | |\n"; continue }
                out += "| " + line.map { $0.replacing("|", with: "\\|") }.joined(separator: " | ") + " |\n"
            }
            out += "\n"
        }
        return out
    }

    /// The print style of joinedup's HTML documents (A4, headings kept with what follows).
    public static let pageStyle = """
    @page { size: A4; margin: 14mm 12mm; }
    body { font-family: Arial, Helvetica, sans-serif; font-size: 9.5pt; color: #212b32; max-width: 186mm; margin: 0 auto; }
    h1 { font-size: 17pt; color: #005eb8; margin: 0 0 4pt; }
    h2 { font-size: 13pt; margin: 14pt 0 4pt; break-after: avoid; page-break-after: avoid; }
    h3 { font-size: 10.5pt; margin: 8pt 0 2pt; break-after: avoid; }
    p.meta { color: #4c6272; margin: 2pt 0; }
    table { border-collapse: collapse; width: 100%; margin-bottom: 8pt; table-layout: fixed; }
    thead { display: table-header-group; }
    th, td { border: 1px solid #aeb7bd; padding: 2.5pt 4pt; text-align: left; vertical-align: top; overflow-wrap: break-word; }
    td.n, th.n { text-align: right; }
    th { background: #e8edee; font-size: 9pt; } tr { break-inside: avoid; page-break-inside: avoid; }
    tr.section td { background: #f0f4f5; font-weight: bold; }
    td.polarity { font-size: 8pt; color: #4c6272; white-space: nowrap; }
    section.group { break-inside: avoid; page-break-inside: avoid; }
    section.summary { border-left: 4pt solid #005eb8; padding: 2pt 8pt; margin: 8pt 0; break-inside: avoid; }
    section.summary h3 { margin-top: 6pt; } section.summary ul { margin: 2pt 0 4pt 14pt; padding: 0; }
    figure { margin: 8pt 0; break-inside: avoid; page-break-inside: avoid; }
    figcaption { font-size: 8.5pt; color: #4c6272; } .warn { color: #d5281b; font-weight: bold; }
    """

    /// The report as one self-contained HTML page that prints to A4: a summary first; each
    /// heading kept with what follows it; a practice's table starting on a new page rather than
    /// splitting, unless it is longer than a page (then its header row repeats).
    public static func html(_ r: Report) -> String {
        let style = pageStyle
        var body = "<h1>Outcome report — \(esc(r.periods.last!.name)) against \(esc(r.periods.first!.name))</h1>\n"
        body += "<p class=\"meta\">As of \(r.asOf); \(r.people) people; population denominators from \(esc(r.denominators)). \(esc(Self.methods))</p>\n"
        body += "<p class=\"\(r.suppressionThreshold > 0 ? "meta" : "warn")\">\(esc(r.suppressionNote))</p>\n"
        body += "<section class=\"summary\"><h2>Summary</h2>\n"
        for part in ReportSummary.parts(r) {
            body += "<h3>\(esc(part.heading))</h3><ul>" + part.sentences.map { "<li>\(esc($0)).</li>" }.joined() + "</ul>\n"
        }
        body += "</section>\n"
        if !r.targets.isEmpty {
            body += "<h2>Progress against targets (whole system)</h2>\n"
            body += table(header: targetHeader, widths: [46, 19, 19, 16], numeric: [1, 2], lines: targetLines(r))
        }
        if !r.costs.isEmpty {
            body += "<h2>Estimated cost difference <small>(an estimate, not an accounting figure)</small></h2>\n"
            body += table(header: costHeader, widths: [22, 17, 22, 14, 25], numeric: [1, 2, 3], lines: costLines(r))
        }
        let groups = Array(Set(r.rows.map(\.group)).filter { Breakdown.of($0) == nil }).sorted { ($0 == MetricRows.system ? "" : $0) < ($1 == MetricRows.system ? "" : $1) }
        let index = ByGroup(r)
        if !r.withheldSeries.isEmpty { body += "<p class=\"meta\">\(esc(withheldNote(r)))</p>\n" }
        if !r.monthly.isEmpty {
            body += "<h2>Statistical process control (whole system, by month)</h2>\n"
            body += table(header: ["Metric", "Latest", "Mean", "Process limits", "Variation", "Assurance"], widths: [24, 16, 9, 13, 20, 18], numeric: [1, 2, 3], lines: spcLines(r))
            for series in r.monthly {
                let target = r.targets.first { $0.metric.id == series.metric.id }.flatMap { series.monthlyTarget(changePercent: $0.targetPercent) }
                body += "<figure>\(SVGCharts.xmr(series, target: target))"
                body += "<figcaption>XmR chart (Making Data Count): \(esc(series.method)); special causes in orange for concern, light blue for improvement.\(target == nil ? "" : " The red line is the target's monthly value.")</figcaption></figure>\n"
            }
        }
        var funnels = ""
        for id in SVGCharts.funnelMetrics {
            guard let f = SVGCharts.funnel(r.rows.filter { $0.metric.id == id && $0.period == r.periods.last! }) else { continue }
            let named = f.outliers.isEmpty ? "no practice is outside the 99.8 % limits"
                : "outside the 99.8 % limits: " + f.outliers.map { "\($0.group) (\($0.high ? "high" : "low"))" }.joined(separator: ", ")
            funnels += "<figure>\(f.svg)<figcaption>\(esc(r.periods.last!.name)), against the whole system: 95 % (dashed) and 99.8 % (dotted) limits (\(esc(f.method))); \(esc(named)).</figcaption></figure>\n"
        }
        if !funnels.isEmpty { body += "<h2>Practices compared (funnel plots)</h2>\n" + funnels }
        let tables = inequalityTables(r)
        if !tables.isEmpty {
            body += "<h2>Inequalities (Core20PLUS5)</h2>\n"
            for t in tables {
                body += "<section class=\"group\"><h3>\(esc(t.title))</h3><p class=\"meta\">\(esc(t.note))</p>\n"
                body += table(header: t.header, widths: t.widths, numeric: Set(2..<t.header.count), lines: t.lines)
                body += "</section>\n"
            }
            for id in ["emergency_admissions", "ae_attendances"] {
                let rows = r.rows.filter { $0.metric.id == id && $0.period == r.periods.last! && Breakdown.of($0.group) == .imdQuintile && Breakdown.value($0.group) != "unknown" }
                if let svg = SVGCharts.byQuintile(rows) {
                    body += "<figure>\(svg)<figcaption>\(esc(r.periods.last!.name)): the rate in each IMD quintile of the people's areas, with its 95 % interval; quintiles with a suppressed count are not drawn.</figcaption></figure>\n"
                }
            }
        }
        for g in groups {
            body += "<section class=\"group\"><h2>\(esc(g == MetricRows.system ? "Whole system" : g))</h2>\n"
            body += table(header: ["Metric", "Unit", r.periods.first!.name, r.periods.last!.name, "Change", ""], widths: [37, 9, 17, 17, 13, 7],
                          numeric: [2, 3, 4], lines: table(r, group: g, index: index), polarity: 5)
            body += "</section>\n"
        }
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Outcome report</title>\n<style>\n\(style)\n</style>\n</head>\n<body>\n\(body)</body>\n</html>\n"
    }

    /// One HTML table: fixed column widths (per cent), numeric columns right-aligned and kept on
    /// one line, a one-cell line as a section heading spanning the table.
    static func table(header: [String], widths: [Int], numeric: Set<Int>, lines: [[String]], polarity: Int? = nil) -> String {
        var out = "<table><colgroup>" + widths.map { "<col style=\"width:\($0)%\">" }.joined() + "</colgroup><thead><tr>"
        for (i, h) in header.enumerated() { out += numeric.contains(i) ? "<th class=\"n\">\(esc(h))</th>" : "<th>\(esc(h))</th>" }
        out += "</tr></thead><tbody>\n"
        for line in lines {
            if line.count == 1 { out += "<tr class=\"section\"><td colspan=\"\(header.count)\">\(esc(line[0]))</td></tr>\n"; continue }
            out += "<tr>"
            for (i, c) in line.enumerated() {
                if numeric.contains(i) {
                    // A value's interval goes on a second, smaller line, so the column stays narrow.
                    if let open = c.range(of: " (") {
                        out += "<td class=\"n\">\(esc(String(c[..<open.lowerBound])))<br><small>\(esc(String(c[open.upperBound...]).dropLast().description))</small></td>"
                    } else { out += "<td class=\"n\">\(esc(c))</td>" }
                } else {
                    out += i == polarity ? "<td class=\"polarity\">\(esc(c))</td>" : "<td>\(esc(c))</td>"
                }
            }
            out += "</tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    static func esc(_ s: String) -> String { HTMLText.escape(s) }

    struct InequalityTable {
        var title: String
        var note: String
        var header: [String]
        var widths: [Int]
        var lines: [[String]]
    }

    /// The breakdowns as tables: each dimension's groups side by side for the period, then the
    /// slope index of inequality by period and Core20 against the rest.
    static func inequalityTables(_ r: Report) -> [InequalityTable] {
        let period = r.periods.last!, baseline = r.periods.first!
        let breakdownRows = r.rows.filter { Breakdown.of($0.group) != nil && $0.metric.section == nil }
        guard !breakdownRows.isEmpty else { return [] }
        var out: [InequalityTable] = []
        var metricOrder: [String] = []
        for row in breakdownRows where !metricOrder.contains(row.metric.id) { metricOrder.append(row.metric.id) }
        for dimension in [Breakdown.imdQuintile, .ethnicGroup] {
            let groups = Array(Set(breakdownRows.filter { Breakdown.of($0.group) == dimension }.map(\.group))).sorted { Breakdown.order($0) < Breakdown.order($1) }
            guard !groups.isEmpty else { continue }
            var lines: [[String]] = []
            for id in metricOrder {
                let rows = breakdownRows.filter { $0.metric.id == id && $0.period == period }
                guard let m = rows.first?.metric else { continue }
                lines.append([m.title, m.unit] + groups.map { g in cell(rows.first { $0.group == g }) })
            }
            let share = (100 - 36) / groups.count
            out.append(InequalityTable(title: "\(dimension.title), \(period.name)",
                                       note: dimension == .imdQuintile
                                           ? "IMD quintile of each person's area (lsoa; English Indices of Deprivation 2019 unless --imd; contains public sector information licensed under the Open Government Licence v3.0). Quintile 1 is the most deprived fifth nationally; 1 and 2 together are Core20."
                                           : "The ONS five groups of each person's latest recorded ethnic category (NHS Data Dictionary codes; docs/inequalities.md).",
                                       header: ["Metric", "Unit"] + groups.map(Breakdown.label), widths: [28, 8] + groups.map { _ in share }, lines: lines))
        }
        var gap: [[String]] = []
        for id in metricOrder {
            let base = r.inequalities.first { $0.metric.id == id && $0.period == baseline }
            guard let now = r.inequalities.first(where: { $0.metric.id == id && $0.period == period }) else { continue }
            func sii(_ q: Inequality?) -> String {
                guard let s = q?.sii else { return q?.siiNote.map { "– (\($0))" } ?? "–" }
                return "\(ReportFormat.signed(s.sii)) (\(ReportFormat.signed(s.siiLower)) to \(ReportFormat.signed(s.siiUpper)))"
            }
            var verdict = "–"
            if let a = base?.sii, let b = now.sii {
                let overlap = b.siiLower <= a.siiUpper && a.siiLower <= b.siiUpper
                verdict = (abs(b.sii) < abs(a.sii) ? "narrowed" : "widened") + (overlap ? " (not beyond chance)" : " (beyond chance)")
            }
            let rii = now.sii.map { "\(Report.number($0.rii, places: 2)) (\(Report.number($0.riiLower, places: 2)) to \(Report.number($0.riiUpper, places: 2)))" } ?? "–"
            gap.append([now.metric.title, now.metric.unit == "%" ? "points" : now.metric.unit, sii(base), sii(now), rii, verdict])
        }
        if !gap.isEmpty {
            out.append(InequalityTable(title: "The gap between the most and least deprived (slope index of inequality)",
                                       note: "SII: the fitted difference from the most deprived end of the population to the least (negative: higher in the more deprived); RII: the least deprived end's fitted value over the most deprived end's. PHEindicatormethods' phe_sii method over IMD quintiles, 95 % intervals by 100,000 simulations (docs/statistics.md). Not worked out where a quintile's count is suppressed.",
                                       header: ["Metric", "Unit", "SII \(baseline.name)", "SII \(period.name)", "RII \(period.name)", "Gap"],
                                       widths: [24, 8, 20, 20, 14, 14], lines: gap))
        }
        var core: [[String]] = []
        for id in metricOrder {
            let rows = breakdownRows.filter { $0.metric.id == id && $0.period == period }
            guard let m = rows.first?.metric, case .rate = m.kind else { continue }
            let ratio = r.inequalities.first { $0.metric.id == id && $0.period == period }?.core20Ratio
            core.append([m.title, m.unit, cell(rows.first { $0.group == "core20=yes" }), cell(rows.first { $0.group == "core20=no" }),
                         ratio.map { "×\(Report.number($0.value, places: 2)) (\(Report.number($0.lower, places: 2)) to \(Report.number($0.upper, places: 2)))" } ?? "–"])
        }
        if !core.isEmpty {
            out.append(InequalityTable(title: "Core20 against the rest, \(period.name)",
                                       note: "Core20: people living in the most deprived 20 % of areas nationally (NHS England Core20PLUS5). The rate ratio of Core20 to everyone else, with its 95 % interval.",
                                       header: ["Metric", "Unit", "Core20", "Not Core20", "Rate ratio"], widths: [32, 10, 20, 20, 18], lines: core))
        }
        return out
    }

    /// Why a series has no chart.
    static func withheldNote(_ r: Report) -> String {
        "Not charted, for disclosure control: \(r.withheldSeries.joined(separator: ", ")) (even by quarter some counts are from 1 to \(r.suppressionThreshold - 1))."
    }
}
