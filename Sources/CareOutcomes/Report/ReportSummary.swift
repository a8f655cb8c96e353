/// The report's opening summary in plain English: what improved, what got worse, what is noise,
/// what could not be judged, the SPC verdicts and the targets, and what was suppressed. Every
/// sentence comes from a figure further down; nothing here is new arithmetic.
enum ReportSummary {
    struct Part {
        var heading: String
        var sentences: [String]
    }

    static func parts(_ r: Report) -> [Part] {
        var improved: [String] = [], worse: [String] = [], changed: [String] = [], noise: [String] = [], unjudged: [String] = []
        var suppressed: [String] = []
        let base = r.periods.first!, period = r.periods.last!
        for c in r.changes where c.group == MetricRows.system {
            let m = c.metric
            let name = m.fullTitle
            if c.suppressed { suppressed.append(name); continue }
            guard let v = c.value else { continue }
            let rows = r.rows.filter { $0.group == MetricRows.system && $0.metric.id == m.id }
            guard let b = rows.first(where: { $0.period == base })?.value, let p = rows.first(where: { $0.period == period })?.value else { continue }
            let unit = m.unit == "%" ? " %" : m.unit == "count" ? "" : " " + m.unit
            let fromTo = "from \(Report.number(b))\(unit) in \(base.name) to \(Report.number(p))\(unit) in \(period.name)"
            let isRatio = c.measure.contains("ratio")
            let up = isRatio ? v > 1 : v > 0
            guard let lo = c.lower, let hi = c.upper else {
                unjudged.append("\(name) went \(fromTo) (no interval: \(m.kindNote))")
                continue
            }
            let none = isRatio ? 1.0 : 0.0
            let interval = isRatio ? "rate ratio \(Report.number(v, places: 2)), 95 % interval \(Report.number(lo, places: 2))–\(Report.number(hi, places: 2))"
                : "\(ReportFormat.signed(v)) percentage points, 95 % interval \(ReportFormat.signed(lo)) to \(ReportFormat.signed(hi))"
            if lo <= none && hi >= none {
                noise.append("\(name) went \(fromTo): within what chance gives (\(interval), which includes no change)")
                continue
            }
            let verb = up ? "rose" : "fell"
            let sentence = "\(name) \(verb) \(fromTo) (\(interval))"
            switch m.higherIsBetter {
            case nil: changed.append(sentence)
            case let better?: if better == up { improved.append(sentence) } else { worse.append(sentence) }
            }
        }
        var spc: [String] = []
        for s in r.monthly {
            let v = MonthlySeries.variation(s.chart.variationIcon)
            let grain = s.grain.rawValue
            if s.chart.amr == 0 { spc.append("\(s.metric.title) by \(grain): no variation between \(grain)s, so not assessed"); continue }
            spc.append(s.chart.variationIcon == "common_cause"
                ? "\(s.metric.title) by \(grain): common cause variation only: the \(grain)-to-\(grain) ups and downs are noise"
                : "\(s.metric.title) by \(grain): \(v.words) in the latest \(grain)s: a signal, not noise")
        }
        var targets: [String] = []
        for t in r.targets {
            guard let achieved = t.achievedPercent, let met = t.met else {
                targets.append("\(t.metric.title): target \(ReportFormat.signed(t.targetPercent)) %, achieved not shown (suppressed)")
                continue
            }
            targets.append("\(t.metric.title): target \(ReportFormat.signed(t.targetPercent)) %, achieved \(ReportFormat.signed(achieved)) %: \(met ? "met" : "not met")")
        }
        var gaps: [String] = []
        for now in r.inequalities where now.period == period && now.metric.section == nil {
            if let s = now.gapSentence(since: r.inequalities.first { $0.metric.id == now.metric.id && $0.period == base }) { gaps.append(s) }
        }
        let cells = r.rows.filter(\.suppressed).count
        if cells > 0 || !r.withheldSeries.isEmpty {
            var s = "\(cells) of \(r.rows.count) figures are suppressed (*) because they rest on counts from 1 to \(r.suppressionThreshold - 1)"
            if !suppressed.isEmpty { s += "; among them the whole-system change in \(suppressed.joined(separator: ", "))" }
            suppressed = [s]
            if !r.withheldSeries.isEmpty { suppressed.append("Not charted at all: \(r.withheldSeries.joined(separator: ", ")) (small counts even by quarter)") }
        } else if r.suppressionThreshold == 0 {
            suppressed = ["Nothing is suppressed: disclosure control is off (--no-suppression). Do not publish."]
        } else {
            suppressed = []
        }
        return [
            Part(heading: "Improved (beyond chance)", sentences: improved),
            Part(heading: "Got worse (beyond chance)", sentences: worse),
            Part(heading: "Changed (neither better nor worse)", sentences: changed),
            Part(heading: "Noise: no change beyond chance", sentences: noise),
            Part(heading: "Not judged", sentences: unjudged),
            Part(heading: "Month by month (SPC)", sentences: spc),
            Part(heading: "Targets", sentences: targets),
            Part(heading: "Inequalities: the gap between the most and least deprived", sentences: gaps),
            Part(heading: "Suppressed", sentences: suppressed),
        ].filter { !$0.sentences.isEmpty }
    }
}

extension MetricDefinition {
    /// Why a metric's change has no interval.
    var kindNote: String {
        switch kind {
        case .total: return "bed days are not independent events"
        case .count: return "a count of activity"
        case .standardised: return "fewer than 10 events"
        default: return "too few events"
        }
    }
}
