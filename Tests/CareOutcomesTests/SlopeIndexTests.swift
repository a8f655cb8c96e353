import Testing
@testable import CareOutcomes
@testable import CareStatistics

/// SII and RII as PHEindicatormethods' `phe_sii` (see SlopeIndex). Point estimates are
/// exact least squares; the expected values of each case say where they come from.
@Suite struct SlopeIndexTests {
    func q(_ values: [Double], _ pops: [Double], se: [Double]? = nil) -> [SlopeIndex.Quantile] {
        zip(values, pops).enumerated().map { i, vp in
            let s = se?[i] ?? 0
            return SlopeIndex.Quantile(value: vp.0, population: vp.1, lower: vp.0 - 1.959963984540054 * s, upper: vp.0 + 1.959963984540054 * s)
        }
    }

    @Test("hand-worked: five equal quintiles on the line y = 10 + 5b give SII 5 and RII 15/10 exactly")
    func onALine() throws {
        // Equal populations: relative ranks 0.1, 0.3, 0.5, 0.7, 0.9; values on the line.
        let r = try #require(SlopeIndex.compute(q([10.5, 11.5, 12.5, 13.5, 14.5], [100, 100, 100, 100, 100]), type: .normal, repetitions: 1000))
        #expect(abs(r.sii - 5) < 1e-12 && abs(r.rii - 1.5) < 1e-12)
        #expect(SlopeIndex.relativeRanks([12, 10, 78]).map { ($0 * 1000).rounded() / 1000 } == [0.06, 0.17, 0.61], "phe_sii's own worked example: 0.12/2, 0.12 + 0.10/2")
        // No uncertainty: the interval is the point.
        #expect(abs(r.siiLower - 5) < 1e-9 && abs(r.siiUpper - 5) < 1e-9)
    }

    @Test("phe_sii's documented example (Area1 and Area2, deciles, value_type 0): SII and RII as numpy's least squares on the same design gives")
    func documentedExample() throws {
        // Data: the @examples of phe_sii (R/SII_function.R). Expected: numpy.linalg.lstsq of
        // y·√a on [√a, b·√a] (the fit phe_sii makes with lm(yvals ~ sqrt_a + b_sqrt_a - 1)).
        let area1 = q([75.9, 78.3, 83.8, 83.6, 80.5, 81.1, 81.7, 84.2, 80.6, 86.3], [7291, 7997, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534],
                      se: [1.64, 1.58, 1.51, 1.78, 1.7, 1.56, 1.37, 1.4, 2.43, 1.57])
        let r1 = try #require(SlopeIndex.compute(area1, type: .normal, repetitions: 10_000))
        #expect(abs(r1.sii - 7.00023476007992) < 1e-9 && abs(r1.rii - 1.0897097049119417) < 1e-9)
        let area2 = q([70.5, 71.6, 72.5, 73.5, 73.1, 76.2, 78.7, 80.6, 80.9, 80], [21675, 20065, 19750, 24713, 20112, 19618, 22408, 19752, 18939, 19312],
                      se: [0.23, 0.26, 0.3, 0.16, 0.79, 0.78, 0.4, 0.28, 0.23, 0.35])
        let r2 = try #require(SlopeIndex.compute(area2, type: .normal, repetitions: 10_000))
        #expect(abs(r2.sii - 12.622738563631723) < 1e-9 && abs(r2.rii - 1.1820343480014972) < 1e-9)
    }

    @Test("rates by quintile, unequal populations: SII and RII as numpy gives; the gradient's sign is least minus most deprived")
    func rates() throws {
        let values = [120.5, 98.2, 80.1, 71.3, 60.0], pops = [1000.0, 1500, 2000, 1800, 1200]
        let quantiles = zip(values, pops).map { v, n in
            // Byar-like limits are not needed for the point; any positive limits do.
            SlopeIndex.Quantile(value: v, population: n, lower: v * 0.8, upper: v * 1.25)
        }
        let r = try #require(SlopeIndex.compute(quantiles, type: .rate, repetitions: 10_000))
        #expect(abs(r.sii - -64.42319749216306) < 1e-9 && abs(r.rii - 0.4445809976991186) < 1e-9)
        #expect(r.valueType == .rate && r.siiLower < r.sii && r.sii < r.siiUpper)
    }

    @Test("the simulated interval: the same seed gives the same interval; another seed within 1 %; and, for normal values, the analytic interval of a linear fit")
    func intervals() throws {
        let values = [75.9, 78.3, 83.8, 83.6, 80.5, 81.1, 81.7, 84.2, 80.6, 86.3]
        let pops = [7291.0, 7997, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534]
        let se = [1.64, 1.58, 1.51, 1.78, 1.7, 1.56, 1.37, 1.4, 2.43, 1.57]
        let quantiles = q(values, pops, se: se)
        let a = try #require(SlopeIndex.compute(quantiles, type: .normal, seed: 1))
        let again = try #require(SlopeIndex.compute(quantiles, type: .normal, seed: 1))
        let other = try #require(SlopeIndex.compute(quantiles, type: .normal, seed: 2))
        #expect(a == again)
        #expect(abs(a.siiLower - other.siiLower) / abs(a.sii) < 0.01 && abs(a.siiUpper - other.siiUpper) / abs(a.sii) < 0.01)
        // The SII is linear in the values: SII = Σ cᵢ yᵢ with c the second row of (XᵀX)⁻¹Xᵀ·diag(√a),
        // so for normal draws its standard error is √(Σ cᵢ² seᵢ²), and the 95 % interval ±1.96 of it.
        let total = pops.reduce(0, +)
        let sqrtA = pops.map { ($0 / total).squareRoot() }
        let b = SlopeIndex.relativeRanks(pops)
        var s00 = 0.0, s01 = 0.0, s11 = 0.0
        for i in pops.indices { s00 += sqrtA[i] * sqrtA[i]; s01 += sqrtA[i] * b[i] * sqrtA[i]; s11 += b[i] * sqrtA[i] * b[i] * sqrtA[i] }
        let det = s00 * s11 - s01 * s01
        var variance = 0.0
        for i in pops.indices {
            let c = (-s01 / det * sqrtA[i] + s00 / det * b[i] * sqrtA[i]) * sqrtA[i]
            variance += c * c * se[i] * se[i]
        }
        let half = 1.959963984540054 * variance.squareRoot()
        #expect(abs(a.siiLower - (a.sii - half)) / half < 0.02, "\(a.siiLower) against \(a.sii - half)")
        #expect(abs(a.siiUpper - (a.sii + half)) / half < 0.02, "\(a.siiUpper) against \(a.sii + half)")
    }

    @Test func degenerateInputsGiveNothing() {
        #expect(SlopeIndex.compute(q([1], [10]), type: .normal) == nil)
        #expect(SlopeIndex.compute(q([1, 2], [10, 0]), type: .normal) == nil)
        // A rate of zero has no log: its standard errors are taken as normal, and said.
        let zero = [SlopeIndex.Quantile(value: 0, population: 100, lower: 0, upper: 36.9), SlopeIndex.Quantile(value: 20, population: 100, lower: 5, upper: 50)]
        #expect(SlopeIndex.compute(zero, type: .rate, repetitions: 1000)?.valueType == .normal)
    }
}
