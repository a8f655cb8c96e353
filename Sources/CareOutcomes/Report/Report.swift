import CareStatistics
import CareCore

/// A whole report: the rows, the changes, the monthly series and how it was made.
public struct Report: Sendable {
    public var rows: [MetricRow]
    public var changes: [MetricChange]
    public var periods: [Period]
    /// The whole system's monthly series (SPC charts), each as disclosure control allows it.
    public var monthly: [MonthlySeries]
    /// Series not shown because even by quarter they would show a small count: their titles.
    public var withheldSeries: [String] = []
    public var asOf: ISODate
    public var suppressionThreshold: Int
    public var people: Int
    /// Where the population denominators came from, for the reader.
    public var denominators = "the person stream (people registered in each period)"
    public var targets: [TargetProgress] = []
    public var costs: [CostEstimate] = []
    /// SII, RII and Core20 ratios per metric and period (`Inequality`).
    public var inequalities: [Inequality] = []

    /// Numbers as reports print them: up to `places` decimals, trailing zeros dropped.
    static func number(_ v: Double?, places: Int = 1) -> String {
        guard let v else { return "" }
        var p = 1.0
        for _ in 0..<places { p *= 10 }
        let r = (v * p).rounded() / p
        if r == r.rounded() && abs(r) < 1e15 { return String(Int(r)) }
        return String(r)
    }

    var suppressionNote: String {
        suppressionThreshold > 0
            ? "Counts from 1 to \(suppressionThreshold - 1) are suppressed (*), with the next smallest group where one would otherwise be recoverable."
            : "DISCLOSURE CONTROL TURNED OFF (--no-suppression): small numbers are shown. Do not publish."
    }
}

extension MonthlySeries {
    /// The series as disclosure control allows it: as it is when no point is a count from 1 to
    /// `threshold − 1`; else by quarter (three months summed, from the first month) when no
    /// quarter is; else nil: withheld, since even quarters would show a small count (a chart's
    /// points, axis and coordinates are as readable as a table).
    public func disclosureSafe(threshold: Int) -> MonthlySeries? {
        let small = { (v: Double) in threshold > 0 && v > 0 && v < Double(threshold) }
        guard points.contains(where: { small($0.value) }) else { return self }
        var quarters: [(month: String, value: Double)] = []
        var i = 0
        while i < points.count {
            let block = points[i..<min(i + 3, points.count)]
            let label = block.count == 1 ? block.first!.month : "\(block.first!.month)/\(block.last!.month.suffix(2))"
            quarters.append((label, block.reduce(0) { $0 + $1.value }))
            i += 3
        }
        guard !quarters.contains(where: { small($0.value) }) else { return nil }
        var q = MonthlySeries(metric: metric, points: quarters, baselineMonths: baselineMonths / 3, runLength: runLength,
                              limitsFromBaseline: limitsFromBaseline)
        q.grain = .quarter
        return q
    }
}

/// A metric's monthly series for the whole system, read as an XmR chart (Making Data Count).
public struct MonthlySeries: Sendable {
    public var metric: MetricDefinition
    /// Months (`2025-04`), or quarters (`2025-04/06`) where months would disclose small counts.
    public var points: [(month: String, value: Double)]
    public enum Grain: String, Sendable { case month, quarter }
    public var grain = Grain.month
    /// How many of the first points fall in the baseline (for a target's monthly value).
    public var baselineMonths: Int
    /// The length of a shift or a trend (Making Data Count: 7).
    public var runLength = 7
    /// Process limits from the baseline months only, then held (to see whether the period
    /// departs from how the process ran before), rather than from every month.
    public var limitsFromBaseline = false

    public init(metric: MetricDefinition, points: [(month: String, value: Double)], baselineMonths: Int, runLength: Int = 7,
                limitsFromBaseline: Bool = false) {
        self.metric = metric; self.points = points; self.baselineMonths = baselineMonths
        self.runLength = runLength; self.limitsFromBaseline = limitsFromBaseline
    }

    public var chart: XmRChart {
        XmRChart(points.map(\.value), improvement: metric.higherIsBetter.map { $0 ? .increase : .decrease } ?? .neutral,
                 fixAfter: limitsFromBaseline && baselineMonths >= 2 ? baselineMonths : nil, runLength: runLength,
                 floor: 0)   // every series is a count or a sum of days: never below zero
    }

    /// How the chart was drawn, for its caption.
    public var method: String {
        (grain == .quarter ? "by quarter (monthly counts would show numbers from 1 to the suppression threshold); " : "")
            + "mean and process limits (mean ± 2.66 × mean moving range, screened) from \(limitsFromBaseline && baselineMonths >= 2 ? "the \(baselineMonths) baseline \(grain == .quarter ? "quarters" : "months"), then held" : "every \(grain.rawValue)"); special causes: a point outside the limits, \(runLength) on one side of the mean, a \(runLength)-point trend, 2 of 3 near a limit; limits below zero are drawn at zero, since a count cannot be negative"
    }

    /// The monthly value a target change from the baseline means: the baseline months' mean ×
    /// (1 + change %), for the assurance icon.
    public func monthlyTarget(changePercent: Double) -> Double? {
        guard baselineMonths > 0 else { return nil }
        let base = points.prefix(baselineMonths).map(\.value).reduce(0, +) / Double(baselineMonths)
        return base * (1 + changePercent / 100)
    }

    /// The variation icon of the latest point, as words and a symbol.
    public static func variation(_ icon: String) -> (symbol: String, words: String) {
        switch icon {
        case "improvement_low": return ("▼", "special cause: improvement (lower)")
        case "improvement_high": return ("▲", "special cause: improvement (higher)")
        case "concern_low": return ("▼", "special cause: concern (lower)")
        case "concern_high": return ("▲", "special cause: concern (higher)")
        case "neutral_low": return ("▽", "special cause: lower (neither better nor worse)")
        case "neutral_high": return ("△", "special cause: higher (neither better nor worse)")
        default: return ("●", "common cause variation")
        }
    }

    /// The assurance icon, as words and a symbol.
    public static func assurance(_ code: String?) -> (symbol: String, words: String) {
        switch code {
        case "consistent_pass"?: return ("✓", "consistently passing the target")
        case "consistent_fail"?: return ("✗", "consistently failing the target")
        case "inconsistent"?: return ("~", "hit and miss: the target is within the process limits")
        default: return ("", "no target")
        }
    }
}

/// JSON Lines: one line per metric × group × period, then one per change against the baseline.
public enum ReportJSON {
    public static func render(_ r: Report) -> [UInt8] {
        var w = JSONWriter()
        for row in r.rows {
            var f = true
            w.raw(UInt8(ascii: "{"))
            w.member("metric", first: &f); w.string(row.metric.id)
            w.member("title", first: &f); w.string(row.metric.fullTitle)
            w.member("group", first: &f); w.string(row.group)
            w.member("period", first: &f); w.string(row.period.name)
            w.member("from", first: &f); w.string(row.period.from.description)
            w.member("to", first: &f); w.string(row.period.to.description)
            w.member("unit", first: &f); w.string(row.metric.unit)
            if row.suppressed {
                w.member("suppressed", first: &f); w.bool(true)
            } else {
                w.member("numerator", first: &f); w.double(row.numerator)
                w.member("denominator", first: &f); w.double(row.denominator)
                for (name, v) in [("value", row.value), ("lower95", row.lower), ("upper95", row.upper)] as [(StaticString, Double?)] {
                    w.member(name, first: &f)
                    if let v { w.double(v) } else { w.null() }
                }
                w.optionalString("method", row.method, first: &f)
                if row.populationFile { w.member("denominator_source", first: &f); w.string("population file") }
            }
            if r.suppressionThreshold == 0 { w.member("disclosure_control", first: &f); w.string("off") }
            w.raw("}\n")
        }
        for t in r.targets {
            var f = true
            w.raw(UInt8(ascii: "{"))
            w.member("metric", first: &f); w.string(t.metric.id)
            w.member("group", first: &f); w.string(MetricRows.system)
            w.member("target_change_percent", first: &f); w.double(t.targetPercent)
            w.member("achieved_change_percent", first: &f); if let a = t.achievedPercent { w.double(a) } else { w.null() }
            w.member("target_met", first: &f); if let m = t.met { w.bool(m) } else { w.null() }
            w.raw("}\n")
        }
        for c in r.costs {
            var f = true
            w.raw(UInt8(ascii: "{"))
            w.member("cost_estimate", first: &f); w.string(c.item)
            w.member("metric", first: &f); w.string(c.metric.id)
            w.member("unit_cost", first: &f); w.double(c.unitCost)
            w.member("activity_difference", first: &f); w.double(c.activityDifference)
            w.member("cost_difference", first: &f); w.double(c.costDifference)
            w.member("note", first: &f); w.string(c.assumption)
            w.raw("}\n")
        }
        for title in r.withheldSeries {
            var f = true
            w.raw(UInt8(ascii: "{"))
            w.member("series_withheld", first: &f); w.string(title)
            w.member("reason", first: &f); w.string("disclosure control: even by quarter some counts are from 1 to \(r.suppressionThreshold - 1)")
            w.raw("}\n")
        }
        for series in r.monthly {
            let chart = series.chart
            for (i, point) in series.points.enumerated() {
                var f = true
                w.raw(UInt8(ascii: "{"))
                w.member("series", first: &f); w.string(series.metric.id)
                w.member("group", first: &f); w.string(MetricRows.system)
                w.member("month", first: &f); w.string(point.month)
                if series.grain != .month { w.member("grain", first: &f); w.string(series.grain.rawValue) }
                w.member("value", first: &f); w.double(point.value)
                w.member("point_type", first: &f); w.string(chart.pointType[i])
                w.member("special_cause", first: &f); w.string(chart.specialCause[i])
                w.raw("}\n")
            }
            var f = true
            w.raw(UInt8(ascii: "{"))
            w.member("series", first: &f); w.string(series.metric.id)
            w.member("group", first: &f); w.string(MetricRows.system)
            w.member("mean", first: &f); w.double(chart.mean)
            w.member("lower_process_limit", first: &f); w.double(chart.lpl)
            w.member("upper_process_limit", first: &f); w.double(chart.upl)
            w.member("variation", first: &f); w.string(chart.amr > 0 ? chart.variationIcon : "not_assessed")
            if chart.amr > 0, let t = r.targets.first(where: { $0.metric.id == series.metric.id }), let monthly = series.monthlyTarget(changePercent: t.targetPercent) {
                w.member("monthly_target", first: &f); w.double(monthly)
                w.member("assurance", first: &f); w.string(chart.assurance(target: monthly) ?? "none")
            }
            w.raw("}\n")
        }
        for c in r.changes {
            var f = true
            w.raw(UInt8(ascii: "{"))
            w.member("metric", first: &f); w.string(c.metric.id)
            w.member("group", first: &f); w.string(c.group)
            w.member("change", first: &f); w.string("\(r.periods[0].name) to \(r.periods[1].name)")
            w.member("measure", first: &f); w.string(c.measure)
            if c.suppressed { w.member("suppressed", first: &f); w.bool(true) } else {
                for (name, v) in [("value", c.value), ("lower95", c.lower), ("upper95", c.upper), ("percent", c.percent)] as [(StaticString, Double?)] {
                    w.member(name, first: &f)
                    if let v { w.double(v) } else { w.null() }
                }
            }
            w.raw("}\n")
        }
        for q in r.inequalities {
            var f = true
            w.raw(UInt8(ascii: "{"))
            w.member("inequality", first: &f); w.string(q.metric.id)
            w.member("title", first: &f); w.string(q.metric.fullTitle)
            w.member("period", first: &f); w.string(q.period.name)
            if let s = q.sii {
                w.member("sii", first: &f); w.double(s.sii)
                w.member("sii_lower95", first: &f); w.double(s.siiLower)
                w.member("sii_upper95", first: &f); w.double(s.siiUpper)
                w.member("rii", first: &f); w.double(s.rii)
                w.member("rii_lower95", first: &f); w.double(s.riiLower)
                w.member("rii_upper95", first: &f); w.double(s.riiUpper)
                w.member("sii_method", first: &f); w.string("phe_sii: IMD quintiles, \(s.valueType) scale, simulation 100000 reps")
            } else {
                w.member("sii", first: &f); w.null()
                w.optionalString("sii_not_computed", q.siiNote, first: &f)
            }
            if let c = q.core20Ratio {
                w.member("core20_ratio", first: &f); w.double(c.value)
                w.member("core20_ratio_lower95", first: &f); w.double(c.lower)
                w.member("core20_ratio_upper95", first: &f); w.double(c.upper)
            }
            w.raw("}\n")
        }
        return w.bytes
    }
}

/// CSV: the rows (changes are in the JSON and the documents).
public enum ReportCSV {
    public static func render(_ r: Report) -> [UInt8] {
        var out = "metric,title,group,period,from,to,unit,numerator,denominator,value,lower95,upper95,method,suppressed\n"
        for row in r.rows {
            let cells = [row.metric.id, row.metric.fullTitle, row.group, row.period.name, row.period.from.description, row.period.to.description,
                         row.metric.unit, row.suppressed ? "" : Report.number(row.numerator, places: 3),
                         row.suppressed ? "" : Report.number(row.denominator, places: 3),
                         Report.number(row.value, places: 4), Report.number(row.lower, places: 4), Report.number(row.upper, places: 4),
                         row.method ?? "", row.suppressed ? "true" : "false"]
            out += CSVText.row(cells)
        }
        return Array(out.utf8)
    }
}
