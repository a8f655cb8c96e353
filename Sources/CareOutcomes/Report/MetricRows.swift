import CareStatistics
import CareCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One row of the report: a metric for a group in a period, with its interval, or suppressed.
public struct MetricRow: Sendable {
    public var metric: MetricDefinition
    public var group: String
    public var period: Period
    public var numerator: Double
    public var denominator: Double
    public var value: Double?
    public var lower: Double?
    public var upper: Double?
    public var method: String?
    public var suppressed = false
    /// Standardised rates: the variance of the rate (per multiplier, squared), for changes.
    public var variance: Double?
    /// The denominator is a population from `--population`, not the people in the stream.
    public var populationFile = false
}

/// The change of a metric from the baseline to the period, with its 95 % interval: a rate ratio
/// (Poisson, log scale) for rates, a difference in percentage points (Newcombe's hybrid Wilson
/// score interval) for proportions.
public struct MetricChange: Sendable {
    public var metric: MetricDefinition
    public var group: String
    public var measure: String
    public var value: Double?
    public var lower: Double?
    public var upper: Double?
    public var percent: Double?
    public var suppressed = false
}

public enum MetricRows {
    public static let system = "(all)"

    /// Rows for every metric × group × period, with disclosure control: counts from 1 to
    /// `threshold − 1` are suppressed, and where a group is suppressed alone in a metric and
    /// period, the next smallest group is too (so it cannot be recovered from the total).
    public static func rows(_ aggregates: Aggregates, metrics: [MetricDefinition], periods: [Period], threshold: Int) -> [MetricRow] {
        var agg = aggregates
        agg.settle()
        var out: [MetricRow] = []
        let groups = Set(agg.tallies.keys.map(\.group)).sorted { ($0 == system ? "" : $0) < ($1 == system ? "" : $1) }
        for m in metrics {
            for (pi, p) in periods.enumerated() {
                var block: [MetricRow] = []
                for g in groups {
                    let key = Aggregates.Key(metric: m.id, group: g, period: pi)
                    var row: MetricRow
                    if case .standardised(let mult) = m.kind {
                        guard let b = agg.bands[key] else { continue }
                        row = MetricRow(metric: m, group: g, period: p, numerator: b.reduce(0) { $0 + $1.numerator },
                                        denominator: b.reduce(0) { $0 + $1.denominator })
                        standardise(&row, bands: b, multiplier: mult)
                    } else {
                        guard let t = agg.tallies[key] else { continue }
                        row = MetricRow(metric: m, group: g, period: p, numerator: t.numerator, denominator: t.denominator)
                        compute(&row)
                    }
                    row.populationFile = agg.fromPopulationFile.contains(key)
                    let t = Tally(numerator: row.numerator, denominator: row.denominator)
                    let small = { (x: Double) in x > 0 && x < Double(threshold) }
                    if threshold > 0 && (small(t.numerator) || (m.kind == .proportion && small(t.denominator))) { row.suppressed = true }
                    block.append(row)
                }
                // Secondary suppression among the groups (not the system row), within each
                // dimension (the practices, each inequality breakdown): the groups of one
                // dimension add up to the system, so one suppressed alone could be recovered.
                for dimension in [nil] + Breakdown.allCases.map(Optional.some) {
                    let groups = block.indices.filter { block[$0].group != system && Breakdown.of(block[$0].group) == dimension }
                    if groups.filter({ block[$0].suppressed }).count == 1,
                       let next = groups.filter({ !block[$0].suppressed && block[$0].numerator > 0 }).min(by: { block[$0].numerator < block[$1].numerator }) {
                        block[next].suppressed = true
                    }
                }
                for i in block.indices where block[i].suppressed {
                    block[i].value = nil; block[i].lower = nil; block[i].upper = nil
                }
                out += block
            }
        }
        return out
    }

    static func compute(_ row: inout MetricRow) {
        let o = row.numerator, n = row.denominator
        switch row.metric.kind {
        case .rate(let mult):
            guard n > 0 else { return }
            let r = Intervals.crudeRate(o, per: n, multiplier: mult)
            row.value = r.value; row.lower = r.interval.lower; row.upper = r.interval.upper; row.method = r.method
        case .total(let mult):
            guard n > 0 else { return }
            row.value = o / n * mult
        case .proportion:
            guard n > 0 else { return }
            let w = Intervals.wilson(o, of: n)
            row.value = o / n * 100; row.lower = w.lower * 100; row.upper = w.upper * 100; row.method = "wilson"
        case .count:
            row.value = o
        case .standardised:
            break   // see standardise
        }
    }

    /// A directly standardised rate over the ESP 2013 bands (Dobson limits); not calculated below
    /// 10 events, or when a band with events has no population.
    static func standardise(_ row: inout MetricRow, bands: [Tally], multiplier: Double) {
        if bands.contains(where: { $0.numerator > 0 && $0.denominator <= 0 }) {
            row.method = "not standardised: events in an age band without population"
            return
        }
        // Every band keeps its standard weight; a band without people (and so without events)
        // has a rate of 0 (its population is set to 1 only to avoid dividing 0 by 0).
        let counts = bands.map(\.numerator), pops = bands.map { max($0.denominator, $0.numerator > 0 ? 0 : 1) }
        let standard = StandardPopulation.esp2013
        guard let r = Intervals.dsr(counts: counts, populations: pops, standard: standard, multiplier: multiplier) else {
            row.method = "not standardised: fewer than 10 events"
            return
        }
        row.value = r.value; row.lower = r.interval.lower; row.upper = r.interval.upper; row.method = "dsr (dobson)"
        row.variance = Intervals.dsrVariance(counts: counts, populations: pops, standard: standard) * multiplier * multiplier
    }

    /// Baseline (period 0) against period (period 1), per metric and group.
    public static func changes(_ rows: [MetricRow], periods: [Period]) -> [MetricChange] {
        guard periods.count == 2 else { return [] }
        var out: [MetricChange] = []
        let byKey = Dictionary(grouping: rows) { "\($0.metric.id)\u{1}\($0.group)" }
        for key in byKey.keys.sorted() {
            let rs = byKey[key]!
            guard let b = rs.first(where: { $0.period == periods[0] }), let p = rs.first(where: { $0.period == periods[1] }) else { continue }
            var c = MetricChange(metric: b.metric, group: b.group, measure: "")
            if b.suppressed || p.suppressed { c.suppressed = true; c.measure = "suppressed"; out.append(c); continue }
            switch b.metric.kind {
            case .rate:
                c.measure = "rate ratio"
                guard b.numerator > 0, p.numerator > 0, let bv = b.value, let pv = p.value, bv > 0 else { break }
                let rr = pv / bv
                let se = (1 / b.numerator + 1 / p.numerator).squareRoot()
                let z = Distributions.z(confidence: 0.95)
                c.value = rr; c.lower = rr * exp(-z * se); c.upper = rr * exp(z * se); c.percent = (rr - 1) * 100
            case .proportion:
                c.measure = "difference (percentage points)"
                guard b.denominator > 0, p.denominator > 0 else { break }
                let p1 = p.numerator / p.denominator, p0 = b.numerator / b.denominator
                let w1 = Intervals.wilson(p.numerator, of: p.denominator), w0 = Intervals.wilson(b.numerator, of: b.denominator)
                let d = p1 - p0
                c.value = d * 100
                c.lower = (d - ((p1 - w1.lower) * (p1 - w1.lower) + (w0.upper - p0) * (w0.upper - p0)).squareRoot()) * 100
                c.upper = (d + ((w1.upper - p1) * (w1.upper - p1) + (p0 - w0.lower) * (p0 - w0.lower)).squareRoot()) * 100
                if p0 > 0 { c.percent = d / p0 * 100 }
            case .standardised:
                c.measure = "ratio of standardised rates"
                guard let bv = b.value, let pv = p.value, bv > 0, pv > 0, let vb = b.variance, let vp = p.variance else { break }
                let rr = pv / bv
                let se = (vp / (pv * pv) + vb / (bv * bv)).squareRoot()
                let z = Distributions.z(confidence: 0.95)
                c.value = rr; c.lower = rr * exp(-z * se); c.upper = rr * exp(z * se); c.percent = (rr - 1) * 100
            case .total, .count:
                c.measure = "change"
                guard let bv = b.value, let pv = p.value else { break }
                c.value = pv - bv
                if bv != 0 { c.percent = (pv - bv) / bv * 100 }
            }
            out.append(c)
        }
        return out
    }
}
