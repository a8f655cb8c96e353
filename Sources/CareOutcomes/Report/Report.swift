import CareCore

/// A whole report: the rows, the changes, the monthly series and how it was made.
public struct Report: Sendable {
    public var rows: [MetricRow]
    public var changes: [MetricChange]
    public var periods: [Period]
    public var monthly: [(month: String, count: Double)]
    public var asOf: ISODate
    public var suppressionThreshold: Int
    public var people: Int
    /// Where the population denominators came from, for the reader.
    public var denominators = "the person stream (people registered in each period)"
    public var targets: [TargetProgress] = []
    public var costs: [CostEstimate] = []

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

/// JSON Lines: one line per metric × group × period, then one per change against the baseline.
public enum ReportJSON {
    public static func render(_ r: Report) -> [UInt8] {
        var w = JSONWriter()
        for row in r.rows {
            var f = true
            w.raw(UInt8(ascii: "{"))
            w.member("metric", first: &f); w.string(row.metric.id)
            w.member("title", first: &f); w.string(row.metric.title)
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
        return w.bytes
    }
}

/// CSV: the rows (changes are in the JSON and the documents).
public enum ReportCSV {
    public static func render(_ r: Report) -> [UInt8] {
        var out = "metric,title,group,period,from,to,unit,numerator,denominator,value,lower95,upper95,method,suppressed\n"
        for row in r.rows {
            let cells = [row.metric.id, row.metric.title, row.group, row.period.name, row.period.from.description, row.period.to.description,
                         row.metric.unit, row.suppressed ? "" : Report.number(row.numerator, places: 3),
                         row.suppressed ? "" : Report.number(row.denominator, places: 3),
                         Report.number(row.value, places: 4), Report.number(row.lower, places: 4), Report.number(row.upper, places: 4),
                         row.method ?? "", row.suppressed ? "true" : "false"]
            out += CSVText.row(cells)
        }
        return Array(out.utf8)
    }
}
