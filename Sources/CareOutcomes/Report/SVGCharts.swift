/// Charts as inline SVG (no scripts, no fonts to fetch): an XmR chart and a funnel plot.
enum SVGCharts {
    static let width = 680.0, height = 260.0, left = 56.0, right = 16.0, top = 28.0, bottom = 40.0

    static func f(_ v: Double) -> String { String((v * 10).rounded() / 10) }

    static func frame(_ title: String, _ inner: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" role=\"img\" aria-label=\"\(ReportDocuments.esc(title))\">"
            + "<text x=\"\(f(left))\" y=\"16\" font-size=\"12\" font-weight=\"bold\">\(ReportDocuments.esc(title))</text>\(inner)</svg>"
    }

    static func scale(_ v: Double, _ lo: Double, _ hi: Double, _ a: Double, _ b: Double) -> Double {
        hi == lo ? (a + b) / 2 : a + (v - lo) / (hi - lo) * (b - a)
    }

    /// An XmR chart of a monthly series: the points, the mean, the process limits.
    static func xmr(_ series: [(month: String, count: Double)], title: String) -> String {
        let y = series.map(\.count)
        let chart = XmRChart(y)
        let lo = min(y.min() ?? 0, chart.lpl), hi = max(y.max() ?? 1, chart.upl)
        let x0 = left, x1 = width - right, y0 = height - bottom, y1 = top
        func px(_ i: Int) -> Double { scale(Double(i), 0, Double(max(1, y.count - 1)), x0, x1) }
        func py(_ v: Double) -> Double { scale(v, lo, hi, y0, y1) }
        var s = "<line x1=\"\(f(x0))\" y1=\"\(f(y0))\" x2=\"\(f(x1))\" y2=\"\(f(y0))\" stroke=\"#4c6272\"/>"
        for (v, name, dash) in [(chart.mean, "mean", ""), (chart.upl, "upper limit", "4 3"), (chart.lpl, "lower limit", "4 3")] {
            s += "<line x1=\"\(f(x0))\" y1=\"\(f(py(v)))\" x2=\"\(f(x1))\" y2=\"\(f(py(v)))\" stroke=\"#768692\" stroke-dasharray=\"\(dash)\"/>"
            s += "<text x=\"\(f(x0 - 4))\" y=\"\(f(py(v) + 4))\" font-size=\"9\" text-anchor=\"end\">\(Report.number(v))</text>"
            _ = name
        }
        let path = y.indices.map { "\($0 == 0 ? "M" : "L")\(f(px($0))),\(f(py(y[$0])))" }.joined()
        s += "<path d=\"\(path)\" fill=\"none\" stroke=\"#005eb8\" stroke-width=\"1.5\"/>"
        for i in y.indices {
            let special = chart.pointType[i] != "common_cause"
            s += "<circle cx=\"\(f(px(i)))\" cy=\"\(f(py(y[i])))\" r=\"3\" fill=\"\(special ? "#ed8b00" : "#005eb8")\"/>"
        }
        for i in y.indices where i % max(1, y.count / 8) == 0 {
            s += "<text x=\"\(f(px(i)))\" y=\"\(f(y0 + 14))\" font-size=\"9\" text-anchor=\"middle\">\(ReportDocuments.esc(series[i].month))</text>"
        }
        return frame(title, s)
    }

    /// A funnel plot of practices' rates (per 1,000) against the system's, with exact 95 % and
    /// 99.8 % limits; outliers beyond 99.8 % are named. Nil without a system row or practices.
    static func funnel(_ rows: [MetricRow]) -> String? {
        guard let system = rows.first(where: { $0.group == MetricRows.system }), system.denominator > 0 else { return nil }
        let units = rows.filter { $0.group != MetricRows.system && !$0.suppressed && $0.denominator > 0 }
        guard !units.isEmpty else { return nil }
        let theta = system.numerator / system.denominator
        let maxN = (units.map(\.denominator).max() ?? 1) * 1.1
        let minN = max(1, (units.map(\.denominator).min() ?? 1) * 0.6)
        let rates = units.map { $0.numerator / $0.denominator * 1000 }
        // Limits from a little below the smallest practice (below it they only widen off the chart).
        let ns = stride(from: minN, through: maxN, by: max(1, (maxN - minN) / 60)).map { $0 }
        let limits = ns.map { n -> (Double, Intervals.Interval, Intervals.Interval) in
            (n, Funnels.rate(theta: theta, population: n, confidence: 0.95).exact, Funnels.rate(theta: theta, population: n, confidence: 0.998).exact)
        }
        let lo = 0.0, hi = max(rates.max() ?? 0, limits.map { $0.2.upper * 1000 }.max() ?? 0) * 1.05
        let x0 = left, x1 = width - right, y0 = height - bottom, y1 = top
        func px(_ n: Double) -> Double { scale(n, minN, maxN, x0, x1) }
        func py(_ v: Double) -> Double { scale(min(v, hi), lo, hi, y0, y1) }
        var s = "<line x1=\"\(f(x0))\" y1=\"\(f(y0))\" x2=\"\(f(x1))\" y2=\"\(f(y0))\" stroke=\"#4c6272\"/>"
        s += "<line x1=\"\(f(x0))\" y1=\"\(f(py(theta * 1000)))\" x2=\"\(f(x1))\" y2=\"\(f(py(theta * 1000)))\" stroke=\"#768692\"/>"
        for (which, dash) in [(95, "4 3"), (998, "1 3")] {
            for side in [true, false] {
                let d = limits.enumerated().map { (i, l) -> String in
                    let band = which == 95 ? l.1 : l.2
                    return "\(i == 0 ? "M" : "L")\(f(px(l.0))),\(f(py((side ? band.upper : band.lower) * 1000)))"
                }.joined()
                s += "<path d=\"\(d)\" fill=\"none\" stroke=\"#768692\" stroke-dasharray=\"\(dash)\"/>"
            }
        }
        for (u, rate) in zip(units, rates) {
            let l = Funnels.rate(theta: theta, population: u.denominator, confidence: 0.998).exact
            let outlier = rate > l.upper * 1000 || rate < l.lower * 1000
            s += "<circle cx=\"\(f(px(u.denominator)))\" cy=\"\(f(py(rate)))\" r=\"3.5\" fill=\"\(outlier ? "#d5281b" : "#005eb8")\"/>"
            if outlier { s += "<text x=\"\(f(px(u.denominator) + 5))\" y=\"\(f(py(rate) - 4))\" font-size=\"9\">\(ReportDocuments.esc(u.group))</text>" }
        }
        s += "<text x=\"\(f((x0 + x1) / 2))\" y=\"\(f(height - 8))\" font-size=\"9\" text-anchor=\"middle\">registered population</text>"
        s += "<text x=\"\(f(x0 - 4))\" y=\"\(f(py(theta * 1000) + 4))\" font-size=\"9\" text-anchor=\"end\">\(Report.number(theta * 1000))</text>"
        return frame("Emergency admissions per 1,000: practices against the system", s)
    }
}
