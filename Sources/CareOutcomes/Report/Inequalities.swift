import CareStatistics
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The inequality measures of a report, per metric and period (whole system): the slope and
/// relative index of inequality across IMD quintiles (`SlopeIndex`, as OHID's `phe_sii`), and
/// Core20 against the rest as a rate ratio (log-normal 95 % interval, as the report's changes).
/// Worked out only from rows that are shown: a metric with a suppressed quintile has no SII
/// (it could tell what was suppressed), and says so.
public struct Inequality: Sendable {
    public var metric: MetricDefinition
    public var period: Period
    public var sii: SlopeIndex.Result?
    /// Why there is no SII, when there is none.
    public var siiNote: String?
    /// Core20 against the rest (rates): the ratio with its 95 % interval.
    public var core20Ratio: (value: Double, lower: Double, upper: Double)?

    /// Every rate and percentage metric of the report's own in every period. The simulations
    /// (100,000 each) run on every core, one metric and period each.
    public static func compute(_ rows: [MetricRow], metrics: [MetricDefinition], periods: [Period]) -> [Inequality] {
        let index = Dictionary(grouping: rows.filter { $0.group.contains("=") }) { "\($0.metric.id)|\($0.period.name)" }
        // A pathway step's inequality is not worked out: its groups are small.
        var jobs: [(MetricDefinition, Period, SlopeIndex.ValueType)] = []
        for m in metrics where m.section == nil {
            switch m.kind {
            case .rate: for p in periods { jobs.append((m, p, .rate)) }
            case .proportion: for p in periods { jobs.append((m, p, .proportion)) }
            default: continue
            }
        }
        let work = jobs
        let results = Results(count: work.count)
        DispatchQueue.concurrentPerform(iterations: work.count) { j in
            let (m, p, type) = work[j]
            results.set(j, one(m, p, type, index["\(m.id)|\(p.name)"] ?? []))
        }
        return results.buffer.compactMap { $0 }
    }

    /// One slot per job, each written by one thread only (memory of its own: no array is
    /// modified from two threads).
    final class Results: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<Inequality?>
        init(count: Int) {
            buffer = .allocate(capacity: count)
            buffer.initialize(repeating: nil)
        }
        func set(_ i: Int, _ v: Inequality) { buffer[i] = v }
        deinit {
            _ = buffer.deinitialize()
            buffer.deallocate()
        }
    }

    static func one(_ m: MetricDefinition, _ p: Period, _ type: SlopeIndex.ValueType, _ block: [MetricRow]) -> Inequality {
        var result = Inequality(metric: m, period: p)
        let quintiles = (1...5).compactMap { q in block.first { $0.group == "imd_quintile=\(q)" } }
        if quintiles.count < 5 {
            result.siiNote = "not every IMD quintile has people in it"
        } else if quintiles.contains(where: \.suppressed) {
            result.siiNote = "a quintile's count is suppressed (from 1 to 4)"
        } else if quintiles.contains(where: { $0.value == nil || $0.lower == nil || $0.upper == nil || $0.denominator <= 0 }) {
            result.siiNote = "a quintile has no value with an interval"
        } else {
            // Percentages as proportions for phe_sii's logit; back to per cent after.
            let scale = type == .proportion ? 100.0 : 1.0
            let qs = quintiles.map { SlopeIndex.Quantile(value: $0.value! / scale, population: $0.denominator, lower: $0.lower! / scale, upper: $0.upper! / scale) }
            if var r = SlopeIndex.compute(qs, type: type) {
                r.sii *= scale; r.siiLower *= scale; r.siiUpper *= scale
                result.sii = r
            } else {
                result.siiNote = "the quintiles do not give a line"
            }
        }
        if case .rate = m.kind, let yes = block.first(where: { $0.group == "core20=yes" }), let no = block.first(where: { $0.group == "core20=no" }),
           !yes.suppressed, !no.suppressed, yes.numerator > 0, no.numerator > 0, yes.denominator > 0, no.denominator > 0 {
            let ratio = (yes.numerator / yes.denominator) / (no.numerator / no.denominator)
            let se = (1 / yes.numerator + 1 / no.numerator).squareRoot()
            let z = Distributions.z(confidence: 0.95)
            result.core20Ratio = (ratio, ratio * exp(-z * se), ratio * exp(z * se))
        }
        return result
    }

    /// Whether the gap between the most and least deprived ends narrowed from `before` to this
    /// period, in words, with the intervals' verdict.
    public func gapSentence(since before: Inequality?) -> String? {
        guard let now = sii else { return nil }
        let unit = metric.unit == "%" ? " percentage points" : " " + metric.unit
        let direction = now.sii < 0 ? "higher in the more deprived areas" : "higher in the less deprived areas"
        var s = "\(metric.fullTitle): the slope index of inequality is \(Report.number(now.sii))\(unit) in \(period.name) (95 % interval \(Report.number(now.siiLower)) to \(Report.number(now.siiUpper))): \(direction)"
        if let then = before?.sii {
            let narrowed = abs(now.sii) < abs(then.sii)
            let overlap = now.siiLower <= then.siiUpper && then.siiLower <= now.siiUpper
            s += "; the gap \(narrowed ? "narrowed" : "widened") from \(Report.number(then.sii)) in \(before!.period.name)"
            s += overlap ? ", but the two intervals overlap: not a clear change" : ", beyond what chance gives (the intervals do not overlap)"
        }
        return s
    }
}
