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

    /// The log-odds for a row of features.
    public func linearPredictor(_ x: [Double]) -> Double {
        var eta = intercept
        for (i, c) in coefficients.enumerated() { eta += c.value * x[i] }
        return eta
    }

    public func probability(_ x: [Double]) -> Double { 1 / (1 + exp(-linearPredictor(x))) }

    /// Each feature's contribution to a person's log-odds against an average person of the fit
    /// population: coefficient × (value − mean), largest first.
    public func contributions(_ x: [Double]) -> [(feature: AdmissionFeature, value: Double, contribution: Double)] {
        coefficients.enumerated().map { i, c in (c.feature, x[i], c.value * (x[i] - c.mean)) }
            .sorted { abs($0.contribution) > abs($1.contribution) }
    }
}
