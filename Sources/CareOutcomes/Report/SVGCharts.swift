import CareStatistics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Charts as inline SVG (no scripts, no fonts to fetch): an XmR chart and a funnel plot. Every
/// chart has both axes drawn, with tick values and a title each (classes `tick`, `x-title`,
/// `y-title`, which a test looks for).
public enum SVGCharts {
    public static let width = 680.0, height = 270.0, left = 62.0, right = 78.0, top = 28.0, bottom = 44.0

    /// About `count` round tick values from `lo` to `hi` (steps of 1, 2 or 5 × 10ⁿ).
    public static func ticks(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
        guard hi > lo, lo.isFinite, hi.isFinite else { return [lo] }
        let raw = (hi - lo) / Double(count)
        let magnitude = pow(10, floor(log10(raw)))
        let norm = raw / magnitude
        let step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * magnitude
        var out: [Double] = []
        var t = (lo / step).rounded(.up) * step
        while t <= hi + step * 1e-9 && out.count < 50 { out.append(t); t += step }
        return out
    }

    /// Both axes with ticks and titles: x ticks as (position, label), y ticks as values.
    public static func axes(x: [(Double, String)], y: [Double], py: (Double) -> Double, xTitle: String, yTitle: String) -> String {
        let x0 = left, x1 = width - right, y0 = height - bottom, y1 = top
        var s = "<line x1=\"\(f(x0))\" y1=\"\(f(y0))\" x2=\"\(f(x1))\" y2=\"\(f(y0))\" stroke=\"#4c6272\"/>"
        s += "<line x1=\"\(f(x0))\" y1=\"\(f(y0))\" x2=\"\(f(x0))\" y2=\"\(f(y1))\" stroke=\"#4c6272\"/>"
        for (px, label) in x {
            s += "<line x1=\"\(f(px))\" y1=\"\(f(y0))\" x2=\"\(f(px))\" y2=\"\(f(y0 + 3))\" stroke=\"#4c6272\"/>"
            s += "<text class=\"tick\" x=\"\(f(px))\" y=\"\(f(y0 + 13))\" font-size=\"8.5\" text-anchor=\"middle\">\(ReportDocuments.esc(label))</text>"
        }
        for v in y {
            let p = py(v)
            s += "<line x1=\"\(f(x0 - 3))\" y1=\"\(f(p))\" x2=\"\(f(x1))\" y2=\"\(f(p))\" stroke=\"#e8edee\"/>"
            s += "<text class=\"tick\" x=\"\(f(x0 - 5))\" y=\"\(f(p + 3))\" font-size=\"8.5\" text-anchor=\"end\">\(ReportFormat.grouped(v, places: 2))</text>"
        }
        s += "<text class=\"x-title\" x=\"\(f((x0 + x1) / 2))\" y=\"\(f(height - 6))\" font-size=\"9\" text-anchor=\"middle\">\(ReportDocuments.esc(xTitle))</text>"
        let cy = (y0 + y1) / 2
        s += "<text class=\"y-title\" x=\"12\" y=\"\(f(cy))\" font-size=\"9\" text-anchor=\"middle\" transform=\"rotate(-90 12 \(f(cy)))\">\(ReportDocuments.esc(yTitle))</text>"
        return s
    }

    /// A line's label at the chart's right edge.
    public static func rightLabel(_ y: Double, _ text: String, colour: String = "#4c6272") -> String {
        "<text x=\"\(f(width - right + 4))\" y=\"\(f(y + 3))\" font-size=\"8.5\" fill=\"\(colour)\">\(ReportDocuments.esc(text))</text>"
    }

    public static func f(_ v: Double) -> String { String((v * 10).rounded() / 10) }

    public static func frame(_ title: String, _ inner: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" role=\"img\" aria-label=\"\(ReportDocuments.esc(title))\">"
            + "<text x=\"\(f(left))\" y=\"16\" font-size=\"12\" font-weight=\"bold\">\(ReportDocuments.esc(title))</text>\(inner)</svg>"
    }

    public static func scale(_ v: Double, _ lo: Double, _ hi: Double, _ a: Double, _ b: Double) -> Double {
        hi == lo ? (a + b) / 2 : a + (v - lo) / (hi - lo) * (b - a)
    }

    /// An XmR chart of a monthly series: the points (special causes coloured: orange concern,
    /// blue improvement, grey neither), the mean, the process limits, and the target if any.
    static func xmr(_ series: MonthlySeries, target: Double?) -> String {
        let y = series.points.map(\.value)
        let chart = series.chart
        let lo = min(y.min() ?? 0, chart.lpl, target ?? .infinity), hi = max(y.max() ?? 1, chart.upl, target ?? -.infinity)
        let x0 = left, x1 = width - right, y0 = height - bottom, y1 = top
        func px(_ i: Int) -> Double { scale(Double(i), 0, Double(max(1, y.count - 1)), x0, x1) }
        func py(_ v: Double) -> Double { scale(v, lo, hi, y0, y1) }
        let step = max(1, y.count / 8)
        let xTicks = y.indices.filter { $0 % step == 0 }.map { (px($0), series.points[$0].month) }
        let yTicks = ticks(lo, hi).filter { $0 >= lo && $0 <= hi }
        var s = axes(x: xTicks, y: yTicks, py: py, xTitle: series.grain == .quarter ? "quarter (its months)" : "month",
                     yTitle: "\(series.metric.id == "emergency_bed_days" ? "bed days" : "number") per \(series.grain.rawValue)")
        for (v, dash, name) in [(chart.mean, "", "mean"), (chart.upl, "4 3", "upper limit"), (chart.lpl, "4 3", "lower limit")] {
            s += "<line x1=\"\(f(x0))\" y1=\"\(f(py(v)))\" x2=\"\(f(x1))\" y2=\"\(f(py(v)))\" stroke=\"#768692\" stroke-dasharray=\"\(dash)\"/>"
            s += rightLabel(py(v), "\(name) \(Report.number(v))")
        }
        if let target {
            s += "<line x1=\"\(f(x0))\" y1=\"\(f(py(target)))\" x2=\"\(f(x1))\" y2=\"\(f(py(target)))\" stroke=\"#d5281b\" stroke-dasharray=\"8 3\"/>"
            s += "<text x=\"\(f(x0 + 4))\" y=\"\(f(py(target) - 3))\" font-size=\"8.5\" fill=\"#d5281b\">target \(Report.number(target))</text>"
        }
        let path = y.indices.map { "\($0 == 0 ? "M" : "L")\(f(px($0))),\(f(py(y[$0])))" }.joined()
        s += "<path d=\"\(path)\" fill=\"none\" stroke=\"#005eb8\" stroke-width=\"1.5\"/>"
        for i in y.indices {
            let colour: String
            switch chart.pointType[i] {
            case "special_cause_concern": colour = "#ed8b00"
            case "special_cause_improvement": colour = "#41b6e6"
            case "common_cause": colour = "#005eb8"
            default: colour = "#768692"
            }
            s += "<circle cx=\"\(f(px(i)))\" cy=\"\(f(py(y[i])))\" r=\"3\" fill=\"\(colour)\"/>"
        }
        return frame("\(series.metric.title) per \(series.grain.rawValue) (whole system)", s)
    }

    /// The metrics compared across practices in funnel plots.
    static let funnelMetrics = ["emergency_admissions", "ae_attendances", "care_home_admissions_65", "readmissions_30d",
                                "at_home_91_days", "deaths_usual_residence"]

    /// A funnel plot of practices against the system for a rate (exact Poisson limits) or a
    /// percentage (normal approximation), 95 % and 99.8 %; practices outside 99.8 % are named
    /// and returned. Nil without a system row or fewer than two shown practices.
    static func funnel(_ rows: [MetricRow]) -> (svg: String, outliers: [(group: String, high: Bool)], method: String, overdispersion: Double?)? {
        guard let system = rows.first(where: { $0.group == MetricRows.system }), system.denominator > 0 else { return nil }
        let units = rows.filter { $0.group != MetricRows.system && Breakdown.of($0.group) == nil && !$0.suppressed && $0.denominator > 0 }
        guard units.count >= 2 else { return nil }
        let metric = system.metric
        let isProportion = metric.kind == .proportion
        let multiplier: Double
        switch metric.kind {
        case .rate(let m): multiplier = m
        case .proportion: multiplier = 100
        default: return nil
        }
        let theta = system.numerator / system.denominator
        if isProportion && (theta <= 0 || theta >= 1) { return nil }
        let maxN = (units.map(\.denominator).max() ?? 1) * 1.1
        let minN = max(1, (units.map(\.denominator).min() ?? 1) * 0.6)
        let values = units.map { $0.numerator / $0.denominator * multiplier }
        // Percentages across ten practices or more: when they vary more than chance allows
        // (Iφ > I − 1 on winsorised z-scores), the limits are widened by the additive random
        // effect τ² (Spiegelhalter 2005 §6), so only practices unusual beyond that are named.
        var tau2: Double?
        if isProportion && units.count >= 10 {
            let od = Funnels.overdispersion(x: units.map(\.numerator), n: units.map(\.denominator))
            if od.tau2 > 0 { tau2 = od.tau2 }
        }
        func limits(_ n: Double, _ confidence: Double) -> Intervals.Interval {
            if let tau2 {
                let h = Distributions.z(confidence: confidence) * (theta * (1 - theta) / n + tau2).squareRoot()
                return Intervals.Interval(lower: max(0, theta - h), upper: min(1, theta + h))
            }
            return isProportion ? Funnels.proportion(theta: theta, denominator: n, confidence: confidence)
                : Funnels.rate(theta: theta, population: n, confidence: confidence).exact
        }
        // Limits from a little below the smallest practice (below it they only widen off the chart).
        let ns = stride(from: minN, through: maxN, by: max(0.5, (maxN - minN) / 60)).map { $0 }
        let bands = ns.map { n in (n, limits(n, 0.95), limits(n, 0.998)) }
        let lo = 0.0, hi = max(values.max() ?? 0, bands.map { $0.2.upper * multiplier }.max() ?? 0) * 1.05
        let x0 = left, x1 = width - right, y0 = height - bottom, y1 = top
        func px(_ n: Double) -> Double { scale(n, minN, maxN, x0, x1) }
        func py(_ v: Double) -> Double { scale(max(lo, min(v, hi)), lo, hi, y0, y1) }
        let xLabel = isProportion ? "denominator (\(metric.id == "readmissions_30d" ? "discharges" : metric.id == "deaths_usual_residence" ? "deaths" : "episodes"))" : "registered population"
        let xTicks = ticks(minN, maxN).filter { $0 >= minN && $0 <= maxN }.map { (px($0), ReportFormat.grouped($0, places: 0)) }
        var s = axes(x: xTicks, y: ticks(lo, hi).filter { $0 <= hi }, py: py, xTitle: xLabel, yTitle: metric.unit == "%" ? "per cent" : metric.unit)
        s += "<line x1=\"\(f(x0))\" y1=\"\(f(py(theta * multiplier)))\" x2=\"\(f(x1))\" y2=\"\(f(py(theta * multiplier)))\" stroke=\"#768692\"/>"
        s += rightLabel(py(theta * multiplier), "system \(Report.number(theta * multiplier))")
        for (which, dash) in [(95, "4 3"), (998, "1 3")] {
            for side in [true, false] {
                let d = bands.enumerated().map { (i, l) -> String in
                    let band = which == 95 ? l.1 : l.2
                    return "\(i == 0 ? "M" : "L")\(f(px(l.0))),\(f(py((side ? band.upper : band.lower) * multiplier)))"
                }.joined()
                s += "<path d=\"\(d)\" fill=\"none\" stroke=\"#768692\" stroke-dasharray=\"\(dash)\"/>"
                if side, let last = bands.last {
                    s += rightLabel(py((which == 95 ? last.1.upper : last.2.upper) * multiplier) - (which == 95 ? 0 : 9), which == 95 ? "95 %" : "99.8 %")
                }
            }
        }
        var outliers: [(group: String, high: Bool)] = []
        for (u, v) in zip(units, values) {
            let l = limits(u.denominator, 0.998)
            let outlier = v > l.upper * multiplier || v < l.lower * multiplier
            if outlier { outliers.append((u.group, v > l.upper * multiplier)) }
            s += "<circle cx=\"\(f(px(u.denominator)))\" cy=\"\(f(py(v)))\" r=\"3.5\" fill=\"\(outlier ? "#d5281b" : "#005eb8")\"/>"
            // Every practice outside the 99.8 % limits is named; with a dozen or fewer, all are.
            if outlier {
                s += "<text class=\"outlier\" x=\"\(f(px(u.denominator) + 5))\" y=\"\(f(py(v) - 4))\" font-size=\"9\" font-weight=\"bold\" fill=\"#d5281b\">\(ReportDocuments.esc(u.group))</text>"
            } else if units.count <= 12 {
                s += "<text class=\"practice\" x=\"\(f(px(u.denominator) + 5))\" y=\"\(f(py(v) + 3))\" font-size=\"7.5\" fill=\"#4c6272\">\(ReportDocuments.esc(u.group))</text>"
            }
        }
        let method = !isProportion ? "exact Poisson"
            : tau2.map { "normal approximation, widened for overdispersion: τ² = \(Report.number($0, places: 5))" } ?? "normal approximation"
        return (frame("\(metric.title) (\(metric.unit)) by practice", s), outliers, method, tau2)
    }

    /// A metric's rate in each IMD quintile (most deprived first) with its 95 % interval. Only
    /// rows that are shown are drawn (a suppressed quintile is left out, its place empty).
    static func byQuintile(_ rows: [MetricRow]) -> String? {
        let shown = rows.filter { !$0.suppressed && $0.value != nil }
        guard shown.count >= 2, let metric = shown.first?.metric else { return nil }
        let hi = (shown.map { $0.upper ?? $0.value! }.max() ?? 1) * 1.08
        let x0 = left, x1 = width - right, y0 = height - bottom, y1 = top
        func px(_ q: Int) -> Double { scale(Double(q), 0.5, 5.5, x0, x1) }
        func py(_ v: Double) -> Double { scale(max(0, min(v, hi)), 0, hi, y0, y1) }
        let labels = ["1 most deprived", "2", "3", "4", "5 least deprived"]
        var s = axes(x: (1...5).map { (px($0), labels[$0 - 1]) }, y: ticks(0, hi).filter { $0 <= hi }, py: py,
                     xTitle: "IMD quintile of the person's area", yTitle: metric.unit == "%" ? "per cent" : metric.unit)
        for row in shown {
            guard let q = Int(Breakdown.value(row.group)), let v = row.value else { continue }
            if let l = row.lower, let u = row.upper {
                s += "<line x1=\"\(f(px(q)))\" y1=\"\(f(py(l)))\" x2=\"\(f(px(q)))\" y2=\"\(f(py(u)))\" stroke=\"#768692\" stroke-width=\"1.5\"/>"
                for e in [l, u] { s += "<line x1=\"\(f(px(q) - 5))\" y1=\"\(f(py(e)))\" x2=\"\(f(px(q) + 5))\" y2=\"\(f(py(e)))\" stroke=\"#768692\"/>" }
            }
            s += "<circle cx=\"\(f(px(q)))\" cy=\"\(f(py(v)))\" r=\"4\" fill=\"#005eb8\"/>"
            s += "<text x=\"\(f(px(q) + 8))\" y=\"\(f(py(v) + 3))\" font-size=\"8.5\">\(Report.number(v))</text>"
        }
        return frame("\(metric.title) (\(metric.unit)) by IMD quintile", s)
    }
}
