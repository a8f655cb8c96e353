import CareCore
import CareStatistics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fitted emergency-admission model: the coefficients, what they were fitted on, and how well
/// they did; read and written as JSON (the model file risk-score applies).
public struct AdmissionModel: Sendable {
    public struct Coefficient: Sendable {
        public var feature: AdmissionFeature
        public var value: Double
        public var standardError: Double
        /// The feature's mean in the fit population: "an average person".
        public var mean: Double
        /// False for a feature that was the same for everyone in the fit population: no
        /// coefficient (it adds nothing to anyone's risk).
        public var estimated = true
        public var oddsRatio: Double { exp(value) }
        public var lower: Double { exp(value - 1.959963984540054 * standardError) }
        public var upper: Double { exp(value + 1.959963984540054 * standardError) }
    }

    /// Discrimination and calibration on one set of people.
    public struct Performance: Sendable {
        public var asOf: ISODate
        public var people: Int
        public var events: Int
        public var auc: Discrimination.AUC
        public var calibration: Discrimination.Calibration
        /// The AUC of each published index on the same people and outcome.
        public var indices: [(key: String, auc: Discrimination.AUC)]
        /// The predictions, kept for the card's curves (not written to the model file).
        public var predictions: [Double] = []
        public var outcomes: [Bool] = []
    }

    public var intercept: Double
    public var interceptStandardError: Double
    public var coefficients: [Coefficient]
    public var asOf: ISODate
    public var horizon: CareCore.Duration
    public var penalty: Double
    public var input: String
    public var version = ToolVersion.text
    public var fit: Performance?
    public var validation: Performance?
    /// Bootstrap optimism correction: repetitions, corrected AUC and calibration slope.
    public var optimism: (repetitions: Int, auc: Double, slope: Double)?
    /// The reference population for centiles and bands (the validation's, else the fit's): its
    /// day, size, and the predicted risk at each centile 1–99.
    public var reference: (asOf: ISODate, people: Int, centiles: [Double], top05: Double)?

    /// Sets `reference` from a performance's predictions.
    public mutating func setReference(_ p: Performance) {
        let sorted = p.predictions.sorted()
        guard !sorted.isEmpty else { return }
        reference = (p.asOf, sorted.count, (1...99).map { sorted[max(0, min(sorted.count - 1, sorted.count * $0 / 100 - 1))] },
                     sorted[min(sorted.count - 1, sorted.count * 995 / 1000)])
    }

    /// A probability's centile in the reference population (0–100: the share with a lower
    /// predicted risk, to the centile), and its band.
    public func centile(_ p: Double) -> (centile: Int, band: AdmissionBand)? {
        guard let r = reference else { return nil }
        var below = 0
        for c in r.centiles where c < p { below += 1 }
        let band: AdmissionBand
        if p >= r.top05 { band = .top05 } else if below >= 98 { band = .top2 } else if below >= 95 { band = .top5 } else { band = .belowTop5 }
        return (below, band)
    }

    /// The log-odds for a row of features.
    public func linearPredictor(_ x: [Double]) -> Double {
        var eta = intercept
        for (i, c) in coefficients.enumerated() { eta += c.value * x[i] }
        return eta
    }

    public func probability(_ x: [Double]) -> Double { 1 / (1 + exp(-linearPredictor(x))) }

    /// The `k` largest contributions (by size), largest first, without sorting them all.
    public func largestContributions(_ x: [Double], _ k: Int) -> [(feature: AdmissionFeature, value: Double, contribution: Double)] {
        var top: [(feature: AdmissionFeature, value: Double, contribution: Double)] = []
        top.reserveCapacity(k + 1)
        for (i, c) in coefficients.enumerated() {
            let v = c.value * (x[i] - c.mean)
            guard top.count < k || abs(v) > abs(top[top.count - 1].contribution) else { continue }
            var at = top.count
            while at > 0 && abs(top[at - 1].contribution) < abs(v) { at -= 1 }
            top.insert((c.feature, x[i], v), at: at)
            if top.count > k { top.removeLast() }
        }
        return top
    }

    /// Each feature's contribution to a person's log-odds against an average person of the fit
    /// population: coefficient × (value − mean), largest first.
    public func contributions(_ x: [Double]) -> [(feature: AdmissionFeature, value: Double, contribution: Double)] {
        coefficients.enumerated().map { i, c in (c.feature, x[i], c.value * (x[i] - c.mean)) }
            .sorted { abs($0.contribution) > abs($1.contribution) }
    }
}

/// Where a person's predicted risk falls in the model's reference population: the top 0.5 %,
/// 2 % and 5 % that risk stratification names (the Avoiding Unplanned Admissions enhanced
/// service asked practices to case-manage their top 2 %), or below them. Names are words the
/// selection language reads bare: `risk.admission.band >= top_2`.
public enum AdmissionBand: String, CaseIterable, Sendable {
    /// Below the 95th centile.
    case belowTop5 = "below_top_5"
    /// The top 5 %, below the top 2 %.
    case top5 = "top_5"
    /// The top 2 %, below the top 0.5 %.
    case top2 = "top_2"
    /// The top 0.5 %.
    case top05 = "top_0_5"

    /// "top 5 %", for people.
    public var words: String {
        switch self {
        case .belowTop5: "below the top 5 %"
        case .top5: "top 5 %"
        case .top2: "top 2 %"
        case .top05: "top 0.5 %"
        }
    }
}
