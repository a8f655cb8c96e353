import CareCore

/// Progress of a metric against a target change from the baseline (`--targets FILE`: a CSV of
/// metric,change_percent, e.g. `emergency_bed_days,-14`), for the whole system.
public struct TargetProgress: Sendable {
    public var metric: MetricDefinition
    public var targetPercent: Double
    /// The change achieved, in per cent of the baseline (nil when suppressed or not computable).
    public var achievedPercent: Double?
    public var met: Bool?
}

/// An estimated cost difference (`--unit-costs FILE`: a CSV of item,cost with items bed_day,
/// care_home_week, ae_attendance, emergency_admission): the change in the rate between baseline
/// and period, applied to the period's population, times the unit cost. An estimate, labelled so.
public struct CostEstimate: Sendable {
    public var item: String
    public var metric: MetricDefinition
    public var unitCost: Double
    /// Activity more (positive) or less (negative) than at the baseline rate, for the period's
    /// population, in `activityUnit` (what the unit cost prices: bed days, weeks of care …).
    public var activityDifference: Double
    public var activityUnit: String
    /// The same as events of the metric (admissions, for weeks of care), when that differs.
    public var events: (count: Double, unit: String)?
    public var costDifference: Double
    public var assumption: String
}

public enum TargetsAndCosts {
    public static func readTargets(_ path: String) throws -> [String: Double] {
        let t = try CSVTable(path: path)
        let metrics = try t.requiredValues("metric"), pcts = try t.requiredValues("change_percent")
        var out: [String: Double] = [:]
        for i in metrics.indices {
            guard let p = Double(pcts[i]) else { throw CareError(.dataError, "\(path):\(t.rows[i].line): change_percent: not a number") }
            out[metrics[i]] = p
        }
        return out
    }

    public static func readCosts(_ path: String) throws -> [String: Double] {
        let t = try CSVTable(path: path)
        let items = try t.requiredValues("item"), costs = try t.requiredValues("cost")
        var out: [String: Double] = [:]
        for i in items.indices {
            guard itemMetrics[items[i]] != nil else {
                throw CareError(.dataError, "\(path):\(t.rows[i].line): item: '\(items[i])' is not one of \(itemMetrics.keys.sorted().joined(separator: ", "))")
            }
            guard let c = Double(costs[i]), c >= 0 else { throw CareError(.dataError, "\(path):\(t.rows[i].line): cost: not a number") }
            out[items[i]] = c
        }
        return out
    }

    /// Unit-cost items and the metric each prices, with the assumption made.
    static let itemMetrics: [String: (metric: String, perEvent: Double, assumption: String, unit: String, eventUnit: String)] = [
        "bed_day": ("emergency_bed_days", 1, "emergency bed days", "bed days", "bed days"),
        "ae_attendance": ("ae_attendances", 1, "A&E attendances", "attendances", "attendances"),
        "emergency_admission": ("emergency_admissions", 1, "emergency admissions", "admissions", "admissions"),
        "care_home_week": ("care_home_admissions_65", 52, "permanent care-home admissions 65+, each costed as 52 weeks of care", "weeks of care", "admissions"),
    ]

    public static func progress(_ r: Report, targets: [String: Double]) -> [TargetProgress] {
        var out: [TargetProgress] = []
        for (id, pct) in targets.sorted(by: { $0.key < $1.key }) {
            guard let c = r.changes.first(where: { $0.group == MetricRows.system && $0.metric.id == id }) else { continue }
            var p = TargetProgress(metric: c.metric, targetPercent: pct)
            if !c.suppressed, let achieved = c.percent {
                p.achievedPercent = achieved
                p.met = pct < 0 ? achieved <= pct : achieved >= pct
            }
            out.append(p)
        }
        return out
    }

    public static func costs(_ r: Report, unitCosts: [String: Double]) -> [CostEstimate] {
        var out: [CostEstimate] = []
        for (item, cost) in unitCosts.sorted(by: { $0.key < $1.key }) {
            guard let spec = itemMetrics[item],
                  let b = r.rows.first(where: { $0.group == MetricRows.system && $0.metric.id == spec.metric && $0.period == r.periods.first }),
                  let p = r.rows.first(where: { $0.group == MetricRows.system && $0.metric.id == spec.metric && $0.period == r.periods.last }),
                  !b.suppressed, !p.suppressed, b.denominator > 0, p.denominator > 0 else { continue }
            let events = (p.numerator / p.denominator - b.numerator / b.denominator) * p.denominator
            let diff = events * spec.perEvent
            out.append(CostEstimate(item: item, metric: p.metric, unitCost: cost, activityDifference: diff, activityUnit: spec.unit,
                                    events: spec.perEvent == 1 ? nil : (events, spec.eventUnit), costDifference: diff * cost,
                                    assumption: "estimate: the change in the rate of \(spec.assumption), applied to \(r.periods.last!.name)'s population"))
        }
        return out
    }
}
