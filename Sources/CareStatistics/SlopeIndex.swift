#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The slope index of inequality (SII) and relative index of inequality (RII), as
/// PHEindicatormethods' `phe_sii` computes them (OHID/PHE; Low & Low, J Public Health
/// 2004;26:388-395).
///
/// Quantiles are ordered from most deprived (1) to least deprived. Each quantile's relative rank
/// `b` is the midpoint of its share of the population in the cumulative distribution; with `a`
/// its share, the line `y·√a = β₀·√a + β₁·b·√a` is fitted by least squares (no intercept term;
/// the √a weighting allows for the quantiles' different sizes). SII = β₁: the fitted difference
/// from the most deprived end (b = 0) to the least deprived (b = 1); RII = (β₀ + β₁) / β₀.
///
/// The interval is by simulation, as `phe_sii`'s: each quantile's value is drawn from a normal
/// distribution around it with its standard error (on the log scale for rates and the logit
/// scale for proportions, the SE worked out from its 95 % limits), transformed back, the line
/// refitted, and the 2.5th and 97.5th percentiles of the simulated SIIs (and RIIs) taken at the
/// positions `phe_sii` takes them (round(reps × 0.025) and round(reps × 0.975) of the sorted
/// values). The random numbers are this program's own (seeded, so a report is the same every
/// time), not R's: intervals agree with `phe_sii`'s to within simulation error, not digit for
/// digit (docs/statistics.md).
public enum SlopeIndex {
    public enum ValueType: Sendable { case normal, rate, proportion }

    public struct Quantile: Sendable {
        public var value: Double
        public var population: Double
        /// 95 % limits of the value (on its own scale).
        public var lower: Double
        public var upper: Double
        public init(value: Double, population: Double, lower: Double, upper: Double) {
            self.value = value; self.population = population; self.lower = lower; self.upper = upper
        }
    }

    public struct Result: Sendable, Equatable {
        public var sii: Double
        public var rii: Double
        public var siiLower: Double
        public var siiUpper: Double
        public var riiLower: Double
        public var riiUpper: Double
        /// How the standard errors were taken: `rate`, `proportion` or `normal` (a rate or
        /// proportion with a value or limit at 0 falls back to `normal`: its log is undefined).
        public var valueType: ValueType
    }

    /// `FindXValues`: each quantile's relative rank, the midpoint of its cumulative share.
    public static func relativeRanks(_ populations: [Double]) -> [Double] {
        let total = populations.reduce(0, +)
        var cumulative = 0.0
        return populations.map { p in
            let share = p / total
            defer { cumulative += share }
            return cumulative + share / 2
        }
    }

    /// The fitted coefficients (β₀, β₁) of `y·√a = β₀·√a + β₁·b·√a` for values `y`.
    static func fit(_ y: [Double], sqrtA: [Double], bSqrtA: [Double], inverse: (Double, Double, Double, Double)) -> (Double, Double) {
        // (XᵀX)⁻¹ Xᵀ (y·√a), with X's columns √a and b·√a.
        var s0 = 0.0, s1 = 0.0
        for i in y.indices {
            let yw = y[i] * sqrtA[i]
            s0 += sqrtA[i] * yw
            s1 += bSqrtA[i] * yw
        }
        return (inverse.0 * s0 + inverse.1 * s1, inverse.2 * s0 + inverse.3 * s1)
    }

    /// The SII and RII of `quantiles` (most deprived first), with `confidence` intervals from
    /// `repetitions` simulations seeded by `seed`. Nil with fewer than 2 quantiles or a
    /// quantile of no population.
    public static func compute(_ quantiles: [Quantile], type: ValueType, confidence: Double = 0.95,
                               repetitions: Int = 100_000, seed: UInt64 = 20191213) -> Result? {
        guard quantiles.count >= 2, quantiles.allSatisfy({ $0.population > 0 && $0.upper >= $0.lower }) else { return nil }
        let ranks = relativeRanks(quantiles.map(\.population))
        let total = quantiles.reduce(0) { $0 + $1.population }
        let sqrtA = quantiles.map { ($0.population / total).squareRoot() }
        let bSqrtA = zip(ranks, sqrtA).map { $0 * $1 }
        // XᵀX = [[Σa, Σab], [Σab, Σab²]] and its inverse.
        var xx = (0.0, 0.0, 0.0)
        for i in sqrtA.indices { xx.0 += sqrtA[i] * sqrtA[i]; xx.1 += sqrtA[i] * bSqrtA[i]; xx.2 += bSqrtA[i] * bSqrtA[i] }
        let det = xx.0 * xx.2 - xx.1 * xx.1
        guard det > 0 else { return nil }
        let inverse = (xx.2 / det, -xx.1 / det, -xx.1 / det, xx.0 / det)
        let (b0, b1) = fit(quantiles.map(\.value), sqrtA: sqrtA, bSqrtA: bSqrtA, inverse: inverse)

        // Standard errors on the transformed scale, from the 95 % limits (phe_sii: z at 0.975).
        var type = type
        func transform(_ v: Double) -> Double {
            switch type {
            case .rate: return log(v)
            case .proportion: return log(v / (1 - v))
            case .normal: return v
            }
        }
        let outOfRange: (Quantile) -> Bool = { q in
            switch type {
            case .rate: return q.value <= 0 || q.lower <= 0
            case .proportion: return q.value <= 0 || q.value >= 1 || q.lower <= 0 || q.upper >= 1
            case .normal: return false
            }
        }
        if quantiles.contains(where: outOfRange) { type = .normal }
        let z = Distributions.normalQuantile(0.975)
        let means = quantiles.map { transform($0.value) }
        let ses = quantiles.map { (transform($0.upper) - transform($0.lower)) / z / 2 }

        var rng = SplitMix(seed: seed)
        var siis = [Double](repeating: 0, count: repetitions), riis = [Double](repeating: 0, count: repetitions)
        var y = [Double](repeating: 0, count: quantiles.count)
        for r in 0..<repetitions {
            for i in y.indices {
                let draw = means[i] + ses[i] * rng.normal()
                switch type {
                case .rate: y[i] = exp(draw)
                case .proportion: y[i] = exp(draw) / (1 + exp(draw))
                case .normal: y[i] = draw
                }
            }
            let (c0, c1) = fit(y, sqrtA: sqrtA, bSqrtA: bSqrtA, inverse: inverse)
            siis[r] = c1
            riis[r] = (c0 + c1) / c0
        }
        let upperQuantile = confidence + (1 - confidence) / 2
        // R's round() rounds halves to even; positions are 1-based. The values at those
        // positions of the sorted simulations, found without sorting them all.
        let lowerAt = max(1, Int((Double(repetitions) * (1 - upperQuantile)).rounded(.toNearestOrEven))) - 1
        let upperAt = min(repetitions, Int((Double(repetitions) * upperQuantile).rounded(.toNearestOrEven))) - 1
        return Result(sii: b1, rii: (b0 + b1) / b0, siiLower: select(&siis, lowerAt), siiUpper: select(&siis, upperAt),
                      riiLower: select(&riis, lowerAt), riiUpper: select(&riis, upperAt), valueType: type)
    }
}

/// The `k`-th smallest of `values` (0-based), as sorting would give it, by quickselect (the
/// array is reordered).
func select(_ values: inout [Double], _ k: Int) -> Double {
    var lo = 0, hi = values.count - 1
    while lo < hi {
        let pivot = values[(lo + hi) / 2]
        var i = lo, j = hi
        while i <= j {
            while values[i] < pivot { i += 1 }
            while values[j] > pivot { j -= 1 }
            if i <= j { values.swapAt(i, j); i += 1; j -= 1 }
        }
        if k <= j { hi = j } else if k >= i { lo = i } else { return values[k] }
    }
    return values[k]
}

/// A small seeded generator (SplitMix64) with Box–Muller normals, for the simulations.
struct SplitMix {
    var state: UInt64
    var spare: Double?
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { (Double(next() >> 11) + 0.5) * 0x1.0p-53 }
    mutating func normal() -> Double {
        if let s = spare { spare = nil; return s }
        let u = unit(), v = unit()
        let r = (-2 * log(u)).squareRoot()
        spare = r * sin(2 * .pi * v)
        return r * cos(2 * .pi * v)
    }
}
