import CareCore
import CareModel
import CareStatistics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The propensity score and the matching: a logistic regression of being treated on the
/// features (those that vary), then, within each stratum (index month and the exact fields),
/// each treated person in turn (highest propensity first) takes the k nearest unused controls on
/// the logit within the caliper. A control is used once in the whole evaluation.
public struct Matching: Sendable {
    /// One treated person and their controls (indices into ImpactData.treated / .candidates).
    public struct MatchedSet: Sendable {
        public var treated: Int
        public var controls: [Int]
    }

    public var sets: [MatchedSet] = []
    /// Treated people with no control, by reason.
    public var unmatched: [(treated: Int, reason: String)] = []
    /// The logit of each treated person and candidate.
    public var treatedLogit: [Double] = []
    public var candidateLogit: [Double] = []
    public var caliperWidth = 0.0
    public var logitSD = 0.0
    /// The propensity model's C-statistic: how well the features tell treated from candidates.
    public var propensityAUC: Double?
    /// The features the propensity model used (those that vary).
    public var used: [AdmissionFeature] = []

    public static let noControlInStratum = "no candidate control in their index month and exact-match group (emergency admissions the year before, and --exact)"
    public static let noneWithinCaliper = "no candidate control within the caliper"
    public static let noneWithinBoth = "no candidate control within the calipers of both scores"
    /// The prognostic score's caliper on its logit scale (0 when not used).
    public var prognosticCaliper = 0.0

    /// Sets made elsewhere (tests).
    init(sets: [MatchedSet]) { self.sets = sets }

    /// The propensity model's columns: the features, and thresholds of past emergency
    /// admissions (1 or more, 2 or more in each window; 2 or more in the year): people are chosen
    /// on such thresholds, which a term linear in the count does not capture.
    static func design(_ f: [Double]) -> [Double] {
        let e6 = f[AdmissionFeature.emergency0to6.position], e12 = f[AdmissionFeature.emergency6to12.position]
        let e24 = f[AdmissionFeature.emergency12to24.position]
        return f + [e6 >= 1, e6 >= 2, e12 >= 1, e12 >= 2, e24 >= 1, e24 >= 2, e6 + e12 >= 2, e6 + e12 >= 3].map { $0 ? 1 : 0 }
    }

    public init(_ data: ImpactData, design: ImpactDesign) throws {
        let all = (data.treated.map(\.features) + data.candidates.map(\.features)).map(Self.design)
        let k = all[0].count
        let varies = (0..<k).filter { j in all.contains { $0[j] != all[0][j] } }
        used = varies.filter { $0 < AdmissionFeature.allCases.count }.map { AdmissionFeature.allCases[$0] }
        let y = data.treated.map { _ in 1.0 } + data.candidates.map { _ in 0.0 }
        let fit: LogisticRegression.Fit
        do {
            fit = try LogisticRegression.fit(columns: varies.count, penalty: design.penalty) { visit in
                var x = [Double](repeating: 0, count: varies.count)
                for (i, f) in all.enumerated() {
                    for (c, j) in varies.enumerated() { x[c] = f[j] }
                    visit(x, y[i])
                }
            }
        } catch {
            throw CareError(.dataError, "the propensity model cannot be fitted on \(data.treated.count) treated people and \(data.candidates.count) candidates: \(error); try a larger --penalty")
        }
        func logit(_ f: [Double]) -> Double {
            var eta = fit.coefficients[0]
            for (c, j) in varies.enumerated() { eta += fit.coefficients[c + 1] * f[j] }
            return eta
        }
        treatedLogit = data.treated.map { logit(Self.design($0.features)) }
        candidateLogit = data.candidates.map { logit(Self.design($0.features)) }
        let logits = treatedLogit + candidateLogit
        let mean = logits.reduce(0, +) / Double(logits.count)
        logitSD = (logits.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(max(1, logits.count - 1))).squareRoot()
        caliperWidth = design.caliper * logitSD
        propensityAUC = Discrimination.auc(logits, y.map { $0 == 1 })?.value

        // The prognostic score, when a model was given: its log-odds for everyone.
        var prognostic: (treated: [Double], candidate: [Double], sd: Double)?
        if let model = design.prognostic {
            let t = data.treated.map { model.linearPredictor($0.features) }, c = data.candidates.map { model.linearPredictor($0.features) }
            let all = t + c
            let m = all.reduce(0, +) / Double(all.count)
            let sd = (all.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(max(1, all.count - 1))).squareRoot()
            prognostic = (t, c, sd)
            prognosticCaliper = design.caliper * sd
        }

        // Strata: the candidates of each (month, stratum), sorted by logit.
        struct Key: Hashable { var month: Int; var stratum: String }
        var strata: [Key: [Int]] = [:]
        for (i, c) in data.candidates.enumerated() { strata[Key(month: c.month, stratum: c.stratum), default: []].append(i) }
        for key in strata.keys { strata[key]!.sort { candidateLogit[$0] < candidateLogit[$1] } }
        var usedLines = Set<Int>()
        let order = data.treated.indices.sorted { treatedLogit[$0] > treatedLogit[$1] || (treatedLogit[$0] == treatedLogit[$1] && $0 < $1) }
        for t in order {
            let s = data.treated[t]
            guard let pool = strata[Key(month: s.month, stratum: s.stratum)], !pool.isEmpty else {
                unmatched.append((t, Self.noControlInStratum))
                continue
            }
            let target = treatedLogit[t]
            if let p = prognostic {
                // Both scores: among the unused candidates within the propensity caliper (a run of
                // the sorted pool), those within the prognostic caliper too, nearest first by the
                // two distances in standard deviations.
                let a = pool.firstIndex { candidateLogit[$0] >= target - caliperWidth } ?? pool.count
                var chosen: [Int] = []
                var options: [(Int, Double)] = []
                var i = a
                while i < pool.count && candidateLogit[pool[i]] <= target + caliperWidth {
                    let c = pool[i]
                    let dp = p.candidate[c] - p.treated[t]
                    if abs(dp) <= prognosticCaliper && !usedLines.contains(data.candidates[c].line) {
                        let ds = (candidateLogit[c] - target) / max(logitSD, 1e-12)
                        options.append((c, ds * ds + (dp / max(p.sd, 1e-12)) * (dp / max(p.sd, 1e-12))))
                    }
                    i += 1
                }
                options.sort { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
                for (c, _) in options.prefix(design.ratio) { chosen.append(c); usedLines.insert(data.candidates[c].line) }
                if chosen.isEmpty { unmatched.append((t, Self.noneWithinBoth)) } else { sets.append(MatchedSet(treated: t, controls: chosen)) }
                continue
            }
            // Walk out from where the treated logit falls, taking the nearest unused within the caliper.
            var hi = pool.firstIndex { candidateLogit[$0] >= target } ?? pool.count
            var lo = hi - 1
            var chosen: [Int] = []
            while chosen.count < design.ratio {
                while lo >= 0 && usedLines.contains(data.candidates[pool[lo]].line) { lo -= 1 }
                while hi < pool.count && usedLines.contains(data.candidates[pool[hi]].line) { hi += 1 }
                let dl = lo >= 0 ? target - candidateLogit[pool[lo]] : .infinity
                let dh = hi < pool.count ? candidateLogit[pool[hi]] - target : .infinity
                guard min(dl, dh) <= caliperWidth else { break }
                let pick = dl <= dh ? pool[lo] : pool[hi]
                chosen.append(pick)
                usedLines.insert(data.candidates[pick].line)
                if dl <= dh { lo -= 1 } else { hi += 1 }
            }
            if chosen.isEmpty { unmatched.append((t, Self.noneWithinCaliper)) } else { sets.append(MatchedSet(treated: t, controls: chosen)) }
        }
        sets.sort { $0.treated < $1.treated }
        unmatched.sort { $0.treated < $1.treated }
    }
}
