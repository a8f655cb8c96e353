#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How well predicted probabilities separate those who had the outcome from those who did not,
/// and how well they agree with what happened.
public enum Discrimination {
    /// The C-statistic (area under the ROC curve) with DeLong's standard error and 95 % interval
    /// (DeLong, DeLong & Clarke-Pearson, Biometrics 1988;44:837-45): the AUC is the chance a
    /// random case scores above a random non-case (ties count a half), computed from ranks in
    /// O(n log n); its variance from the structural components of cases and non-cases.
    public struct AUC: Sendable, Equatable {
        public var value: Double
        public var standardError: Double
        public var lower: Double
        public var upper: Double
    }

    public static func auc(_ scores: [Double], _ outcomes: [Bool]) -> AUC? {
        let cases = zip(scores, outcomes).filter { $0.1 }.map(\.0), controls = zip(scores, outcomes).filter { !$0.1 }.map(\.0)
        let m = Double(cases.count), n = Double(controls.count)
        guard m > 0, n > 0 else { return nil }
        // Midranks within each group and overall give each case's share of controls below it
        // (V10) and each control's share of cases above it (V01).
        func midranks(_ v: [Double]) -> [Double] {
            let order = v.indices.sorted { v[$0] < v[$1] }
            var ranks = [Double](repeating: 0, count: v.count)
            var i = 0
            while i < order.count {
                var j = i
                while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
                let r = Double(i + j) / 2 + 1
                for k in i...j { ranks[order[k]] = r }
                i = j + 1
            }
            return ranks
        }
        let all = midranks(cases + controls)
        let rc = midranks(cases), rn = midranks(controls)
        var v10 = [Double](repeating: 0, count: cases.count), v01 = [Double](repeating: 0, count: controls.count)
        for i in cases.indices { v10[i] = (all[i] - rc[i]) / n }
        for j in controls.indices { v01[j] = 1 - (all[cases.count + j] - rn[j]) / m }
        let value = v10.reduce(0, +) / m
        func variance(_ v: [Double]) -> Double {
            guard v.count > 1 else { return 0 }
            let mean = v.reduce(0, +) / Double(v.count)
            return v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count - 1)
        }
        let se = (variance(v10) / m + variance(v01) / n).squareRoot()
        let z = Distributions.z(confidence: 0.95)
        return AUC(value: value, standardError: se, lower: max(0, value - z * se), upper: min(1, value + z * se))
    }

    /// Calibration: calibration-in-the-large (observed minus mean predicted, and the intercept of
    /// a logistic recalibration with the linear predictor as an offset), the calibration slope
    /// (the coefficient of the linear predictor in a logistic recalibration), the Brier score,
    /// and observed against predicted by tenth of predicted risk.
    public struct Calibration: Sendable {
        public var observed: Double
        public var meanPredicted: Double
        public var slope: Double
        public var slopeLower: Double
        public var slopeUpper: Double
        public var brier: Double
        /// Per tenth of predicted risk, lowest first: people, events, mean predicted.
        public var deciles: [(people: Int, events: Int, meanPredicted: Double)]
    }

    public static func calibration(_ probabilities: [Double], _ outcomes: [Bool]) throws -> Calibration {
        let n = Double(probabilities.count)
        let observed = Double(outcomes.filter { $0 }.count) / n
        let mean = probabilities.reduce(0, +) / n
        var brier = 0.0
        for (p, y) in zip(probabilities, outcomes) { brier += (p - (y ? 1 : 0)) * (p - (y ? 1 : 0)) }
        brier /= n
        // Slope: logit P(y) = a + b · logit(p).
        let lp = probabilities.map { p -> Double in let q = min(max(p, 1e-12), 1 - 1e-12); return log(q / (1 - q)) }
        let fit = try LogisticRegression.fit(columns: 1) { visit in
            for i in lp.indices { visit([lp[i]], outcomes[i] ? 1 : 0) }
        }
        let slopeCI = fit.interval(1)
        // Tenths of predicted risk (by rank: ties kept together where they fall).
        let order = probabilities.indices.sorted { probabilities[$0] < probabilities[$1] }
        var deciles: [(people: Int, events: Int, meanPredicted: Double)] = []
        for d in 0..<10 {
            let lo = order.count * d / 10, hi = order.count * (d + 1) / 10
            guard hi > lo else { continue }
            let idx = order[lo..<hi]
            deciles.append((idx.count, idx.filter { outcomes[$0] }.count, idx.reduce(0) { $0 + probabilities[$1] } / Double(idx.count)))
        }
        return Calibration(observed: observed, meanPredicted: mean, slope: fit.coefficients[1], slopeLower: slopeCI.lower,
                           slopeUpper: slopeCI.upper, brier: brier, deciles: deciles)
    }
}
