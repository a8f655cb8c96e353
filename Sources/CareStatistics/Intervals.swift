/// Confidence intervals as Public Health England / OHID Fingertips compute them
/// (PHEindicatormethods; ../shared/reference/outcomes/METHODS.md §2 is the summary used).
public enum Intervals {
    public struct Interval: Equatable, Sendable {
        public var lower: Double
        public var upper: Double
        public init(lower: Double, upper: Double) { self.lower = lower; self.upper = upper }
    }

    /// Byar's approximation to the Poisson limits of a count (Breslow & Day 1987).
    public static func byar(count o: Double, confidence: Double = 0.95) -> Interval {
        let z = Distributions.z(confidence: confidence)
        let lower = o == 0 ? 0 : o * pow3(1 - 1 / (9 * o) - z / (3 * o.squareRoot()))
        let o1 = o + 1
        let upper = o1 * pow3(1 - 1 / (9 * o1) + z / (3 * o1.squareRoot()))
        return Interval(lower: max(0, lower), upper: upper)
    }

    /// Exact Poisson limits: χ²(α/2, 2O)/2 and χ²(1 − α/2, 2O + 2)/2 (lower 0 for O = 0).
    public static func exactPoisson(count o: Double, confidence: Double = 0.95) -> Interval {
        let alpha = 1 - confidence
        let lower = o == 0 ? 0 : Distributions.chiSquareQuantile(alpha / 2, df: 2 * o) / 2
        let upper = Distributions.chiSquareQuantile(1 - alpha / 2, df: 2 * o + 2) / 2
        return Interval(lower: lower, upper: upper)
    }

    /// Wilson score interval of a proportion x/n.
    public static func wilson(_ x: Double, of n: Double, confidence: Double = 0.95) -> Interval {
        precondition(n > 0 && x >= 0 && x <= n)
        let z = Distributions.z(confidence: confidence), z2 = z * z
        let root = z * (z2 + 4 * x * (1 - x / n)).squareRoot()
        return Interval(lower: max(0, (2 * x + z2 - root) / (2 * (n + z2))), upper: min(1, (2 * x + z2 + root) / (2 * (n + z2))))
    }

    /// A crude rate O/n × multiplier, with exact limits below 10 events and Byar's from 10.
    public static func crudeRate(_ o: Double, per n: Double, multiplier: Double = 100_000, confidence: Double = 0.95)
        -> (value: Double, interval: Interval, method: String) {
        let exact = o < 10
        let limits = exact ? exactPoisson(count: o, confidence: confidence) : byar(count: o, confidence: confidence)
        return (o / n * multiplier, Interval(lower: limits.lower / n * multiplier, upper: limits.upper / n * multiplier),
                exact ? "exact" : "byar")
    }

    /// A directly standardised rate with Dobson limits (Byar limits of the total count), or nil
    /// — suppressed — when the total count is below 10.
    public static func dsr(counts: [Double], populations: [Double], standard: [Double], multiplier: Double = 100_000,
                           confidence: Double = 0.95) -> (value: Double, interval: Interval)? {
        precondition(counts.count == populations.count && counts.count == standard.count)
        let total = counts.reduce(0, +)
        guard total >= 10 else { return nil }
        let sw = standard.reduce(0, +)
        var rate = 0.0, variance = 0.0
        for i in counts.indices {
            rate += counts[i] * standard[i] / populations[i]
            variance += counts[i] * standard[i] * standard[i] / (populations[i] * populations[i])
        }
        rate /= sw
        variance /= sw * sw
        let b = byar(count: total, confidence: confidence)
        let scale = (variance / total).squareRoot()
        return (rate * multiplier, Interval(lower: (rate + scale * (b.lower - total)) * multiplier,
                                            upper: (rate + scale * (b.upper - total)) * multiplier))
    }

    /// The variance of a directly standardised rate (per 1): Σ wᵢ² Oᵢ / nᵢ² / (Σ wᵢ)², the Poisson
    /// variance the Dobson method starts from; used for the ratio of two standardised rates.
    public static func dsrVariance(counts: [Double], populations: [Double], standard: [Double]) -> Double {
        let sw = standard.reduce(0, +)
        var v = 0.0
        for i in counts.indices where populations[i] > 0 { v += counts[i] * standard[i] * standard[i] / (populations[i] * populations[i]) }
        return v / (sw * sw)
    }

    /// An indirectly standardised ratio O/E with E = Σ nᵢRᵢ; limits are those of O (exact below 10,
    /// Byar from 10) divided by E.
    public static func isr(observed o: Double, denominators: [Double], referenceRates: [Double], confidence: Double = 0.95)
        -> (expected: Double, ratio: Double, interval: Interval) {
        let e = zip(denominators, referenceRates).map { $0 * $1 }.reduce(0, +)
        let limits = o < 10 ? exactPoisson(count: o, confidence: confidence) : byar(count: o, confidence: confidence)
        return (e, o / e, Interval(lower: limits.lower / e, upper: limits.upper / e))
    }

    @inline(__always) static func pow3(_ x: Double) -> Double { x * x * x }
}

/// The European Standard Population 2013 (Eurostat), 19 five-year bands 0-4 … 85-89 and 90+.
public enum StandardPopulation {
    public static let bands = ["0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49",
                               "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+"]
    public static let esp2013: [Double] = [5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
                                           7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000]
}
