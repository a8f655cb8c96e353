import CareCore

/// The report for people: Markdown, and self-contained HTML (inline CSS and SVG, no scripts,
/// prints to A4).
public enum ReportDocuments {
    static func cell(_ row: MetricRow?) -> String {
        guard let row else { return "" }
        if row.suppressed { return "*" }
        guard let v = row.value else { return "–" }
        var s = Report.number(v)
        if let l = row.lower, let u = row.upper { s += " (\(Report.number(l))–\(Report.number(u)))" }
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
            var s = (v >= 0 ? "+" : "") + Report.number(v) + " pts"
            if let l = c.lower, let u = c.upper { s += " (\(Report.number(l))–\(Report.number(u)))" }
            return s
        default:
            return (v >= 0 ? "+" : "") + Report.number(v)
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

    /// The scorecard: one line per metric for a group, baseline, period and change.
    static func table(_ r: Report, group: String, index: ByGroup) -> [[String]] {
        let groupRows = index.rows[group] ?? [], groupChanges = index.changes[group] ?? []
        var lines: [[String]] = []
        var byMetric: [String: [MetricRow]] = [:], order: [String] = []
        for row in groupRows {
            if byMetric[row.metric.id] == nil { order.append(row.metric.id) }
            byMetric[row.metric.id, default: []].append(row)
        }
        for id in order {
            let rows = byMetric[id]!
            let m = rows[0].metric
            let polarity = m.higherIsBetter.map { $0 ? "higher is better" : "lower is better" } ?? ""
            lines.append([m.title, m.unit, cell(rows.first { $0.period == r.periods.first }), cell(rows.first { $0.period == r.periods.last }),
                          change(groupChanges.first { $0.metric.id == id }), polarity])
        }
        return lines
    }

    /// Progress against targets and estimated costs, as table lines.
    static func targetLines(_ r: Report) -> [[String]] {
        r.targets.map { t in
            [t.metric.title, Report.number(t.targetPercent) + " %", t.achievedPercent.map { Report.number($0) + " %" } ?? "*",
             t.met.map { $0 ? "met" : "not met" } ?? "–"]
        }
    }

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

    static func costLines(_ r: Report) -> [[String]] {
        r.costs.map { c in
            [c.metric.title, Report.number(c.unitCost, places: 2), Report.number(c.activityDifference, places: 0),
             (c.costDifference >= 0 ? "+" : "−") + Report.number(abs(c.costDifference), places: 0), c.assumption]
        }
    }

    static let methods = "Rates with 95 % intervals (exact Poisson below 10 events, Byar from 10); age-standardised rates (European Standard Population 2013) with Dobson intervals, not calculated below 10 events; percentages with Wilson intervals; changes as rate ratios or differences in percentage points."

    public static func markdown(_ r: Report) -> String {
        var out = "# Outcome report — \(r.periods.last!.name) against \(r.periods.first!.name)\n\n"
        out += "As of \(r.asOf); \(r.people) people; population denominators from \(r.denominators). \(Self.methods) \(r.suppressionNote)\n\n"
        if !r.targets.isEmpty {
            out += "## Progress against targets (whole system)\n\n| Metric | Target change | Achieved | |\n|---|---:|---:|---|\n"
            for l in targetLines(r) { out += "| " + l.joined(separator: " | ") + " |\n" }
            out += "\n"
        }
        if !r.costs.isEmpty {
            out += "## Estimated cost difference (an estimate, not an accounting figure)\n\n| Metric | Unit cost | Activity difference | Cost difference | Basis |\n|---|---:|---:|---:|---|\n"
            for l in costLines(r) { out += "| " + l.joined(separator: " | ") + " |\n" }
            out += "\n"
        }
        if !r.monthly.isEmpty {
            out += "## Statistical process control (whole system, by month)\n\n| Metric | Latest month | Mean | Process limits | Variation | Assurance |\n|---|---:|---:|---:|---|---|\n"
            for l in spcLines(r) { out += "| " + l.joined(separator: " | ") + " |\n" }
            out += "\n"
        }
        if !r.withheldSeries.isEmpty { out += withheldNote(r) + "\n\n" }
        let groups = Array(Set(r.rows.map(\.group))).sorted { ($0 == MetricRows.system ? "" : $0) < ($1 == MetricRows.system ? "" : $1) }
        let index = ByGroup(r)
        for g in groups {
            out += "## \(g == MetricRows.system ? "Whole system" : g)\n\n| Metric | Unit | \(r.periods.first!.name) | \(r.periods.last!.name) | Change | |\n|---|---|---:|---:|---:|---|\n"
            for line in table(r, group: g, index: index) { out += "| " + line.map { $0.replacing("|", with: "\\|") }.joined(separator: " | ") + " |\n" }
            out += "\n"
        }
        return out
    }

    public static func html(_ r: Report) -> String {
        let style = """
        @page { size: A4; margin: 14mm; }
        body { font-family: Arial, Helvetica, sans-serif; font-size: 10pt; color: #212b32; max-width: 190mm; margin: 0 auto; }
        h1 { font-size: 17pt; color: #005eb8; margin: 0 0 4pt; } h2 { font-size: 13pt; margin: 16pt 0 4pt; page-break-after: avoid; }
        p.meta { color: #4c6272; } table { border-collapse: collapse; width: 100%; margin-bottom: 8pt; }
        th, td { border: 1px solid #aeb7bd; padding: 3pt 4pt; text-align: left; vertical-align: top; } td.n { text-align: right; white-space: nowrap; }
        th { background: #e8edee; } tr { page-break-inside: avoid; } figure { margin: 8pt 0; page-break-inside: avoid; }
        figcaption { font-size: 9pt; color: #4c6272; } .warn { color: #d5281b; font-weight: bold; }
        """
        var body = "<h1>Outcome report — \(esc(r.periods.last!.name)) against \(esc(r.periods.first!.name))</h1>\n"
        body += "<p class=\"meta\">As of \(r.asOf); \(r.people) people; population denominators from \(esc(r.denominators)). \(esc(Self.methods))</p>\n"
        body += "<p class=\"\(r.suppressionThreshold > 0 ? "meta" : "warn")\">\(esc(r.suppressionNote))</p>\n"
        if !r.targets.isEmpty {
            body += "<h2>Progress against targets (whole system)</h2>\n<table><thead><tr><th>Metric</th><th>Target change</th><th>Achieved</th><th></th></tr></thead><tbody>\n"
            for l in targetLines(r) { body += "<tr><td>\(esc(l[0]))</td><td class=\"n\">\(esc(l[1]))</td><td class=\"n\">\(esc(l[2]))</td><td>\(esc(l[3]))</td></tr>\n" }
            body += "</tbody></table>\n"
        }
        if !r.costs.isEmpty {
            body += "<h2>Estimated cost difference <small>(an estimate, not an accounting figure)</small></h2>\n<table><thead><tr><th>Metric</th><th>Unit cost</th><th>Activity difference</th><th>Cost difference</th><th>Basis</th></tr></thead><tbody>\n"
            for l in costLines(r) { body += "<tr><td>\(esc(l[0]))</td><td class=\"n\">\(esc(l[1]))</td><td class=\"n\">\(esc(l[2]))</td><td class=\"n\">\(esc(l[3]))</td><td>\(esc(l[4]))</td></tr>\n" }
            body += "</tbody></table>\n"
        }
        let groups = Array(Set(r.rows.map(\.group))).sorted { ($0 == MetricRows.system ? "" : $0) < ($1 == MetricRows.system ? "" : $1) }
        let index = ByGroup(r)
        if !r.withheldSeries.isEmpty { body += "<p class=\"meta\">\(esc(withheldNote(r)))</p>\n" }
        if !r.monthly.isEmpty {
            body += "<h2>Statistical process control (whole system, by month)</h2>\n"
            body += "<table><thead><tr><th>Metric</th><th>Latest month</th><th>Mean</th><th>Process limits</th><th>Variation</th><th>Assurance</th></tr></thead><tbody>\n"
            for l in spcLines(r) {
                body += "<tr><td>\(esc(l[0]))</td><td class=\"n\">\(esc(l[1]))</td><td class=\"n\">\(esc(l[2]))</td><td class=\"n\">\(esc(l[3]))</td><td>\(esc(l[4]))</td><td>\(esc(l[5]))</td></tr>\n"
            }
            body += "</tbody></table>\n"
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
            funnels += "<figure>\(f.svg)<figcaption>\(esc(r.periods.last!.name)), against the whole system: 95 % and 99.8 % limits (\(esc(f.method))); \(esc(named)).</figcaption></figure>\n"
        }
        if !funnels.isEmpty { body += "<h2>Practices compared (funnel plots)</h2>\n" + funnels }
        for g in groups {
            body += "<h2>\(esc(g == MetricRows.system ? "Whole system" : g))</h2>\n<table><thead><tr><th>Metric</th><th>Unit</th><th>\(esc(r.periods.first!.name))</th><th>\(esc(r.periods.last!.name))</th><th>Change</th><th></th></tr></thead><tbody>\n"
            for line in table(r, group: g, index: index) {
                body += "<tr><td>\(esc(line[0]))</td><td>\(esc(line[1]))</td><td class=\"n\">\(esc(line[2]))</td><td class=\"n\">\(esc(line[3]))</td><td class=\"n\">\(esc(line[4]))</td><td>\(esc(line[5]))</td></tr>\n"
            }
            body += "</tbody></table>\n"
        }
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Outcome report</title>\n<style>\n\(style)\n</style>\n</head>\n<body>\n\(body)</body>\n</html>\n"
    }

    static func esc(_ s: String) -> String { HTMLText.escape(s) }

    /// Why a series has no chart.
    static func withheldNote(_ r: Report) -> String {
        "Not charted, for disclosure control: \(r.withheldSeries.joined(separator: ", ")) (even by quarter some counts are from 1 to \(r.suppressionThreshold - 1))."
    }
}
