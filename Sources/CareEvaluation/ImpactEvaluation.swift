import CareCore
import CareModel

/// A whole evaluation, run: the people, the matching, the balance, the effects, and what was
/// done at each step (the methods section is written from these).
public struct ImpactEvaluation: Sendable {
    public var design: ImpactDesign
    public var data: ImpactData
    public var matching: Matching
    public var balance: Balance
    public var effects: Effects
    /// Counts below this are suppressed (0: disclosure control off).
    public var suppressionThreshold = 5
    /// The fewest matched sets the program estimates effects from.
    public static let minimumMatched = 5

    public init(design: ImpactDesign, data: ImpactData) throws {
        self.design = design
        self.data = data
        matching = try Matching(data, design: design)
        guard matching.sets.count >= Self.minimumMatched else {
            throw CareError(.dataError, "only \(matching.sets.count) of \(data.treated.count) treated people could be matched (\(Self.unmatchedText(matching))): too few to estimate an effect; widen --caliper, draw more candidates with --pool, or match exactly on fewer fields")
        }
        balance = Balance(data, matching)
        effects = Effects(data, matching, design: design)
    }

    static func unmatchedText(_ m: Matching) -> String {
        var byReason: [String: Int] = [:]
        for u in m.unmatched { byReason[u.reason, default: 0] += 1 }
        return byReason.isEmpty ? "none unmatched" : byReason.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
    }

    /// A count as it may be published: "*" for 1 to threshold − 1.
    public func count(_ n: Int) -> String {
        n > 0 && n < suppressionThreshold ? "*" : String(n)
    }

    /// The steps from the records to the matched sets, with their counts.
    public var steps: [(String, Int)] {
        var s: [(String, Int)] = [
            ("people whose first \(design.intervention.text) falls in \(design.from) to \(design.to)", data.treatedFound),
            ("… of them eligible at their index month (adults alive and registered\(design.eligibilityText.map { ", \($0)" } ?? ""))", data.treated.count),
            ("people first treated before the period (neither treated nor controls)", data.treatedBeforePeriod),
            ("candidate controls drawn (at most \(design.pool) per treated person in each index month)", data.candidates.count),
            ("treated people matched", matching.sets.count),
            ("controls matched", matching.sets.reduce(0) { $0 + $1.controls.count }),
            ("treated people not matched", matching.unmatched.count),
        ]
        for (k, v) in data.treatedOut.sorted(by: { $0.key < $1.key }) { s.insert(("… not in the evaluation: \(k)", v), at: 2) }
        return s
    }

    /// The unmatched treated beside the matched: how they differ (mean age and emergency
    /// admissions per year before), so a reader sees who the estimate leaves out.
    public var unmatchedDescription: String? {
        guard !matching.unmatched.isEmpty else { return nil }
        func describe(_ idx: [Int]) -> (age: Double, before: Double) {
            let ages = idx.map { Double(data.treated[$0].age) }
            let adm = idx.map { data.treated[$0].outcomes.before[0] / max(data.treated[$0].outcomes.yearsBefore, 1e-9) }
            return (ages.reduce(0, +) / Double(idx.count), adm.reduce(0, +) / Double(idx.count))
        }
        let u = describe(matching.unmatched.map(\.treated)), m = describe(matching.sets.map(\.treated))
        return "\(count(matching.unmatched.count)) treated people were not matched (\(Self.unmatchedText(matching).replacingCounts(threshold: suppressionThreshold))). "
            + "Their mean age was \(Self.n(u.age, 1)) (matched: \(Self.n(m.age, 1))); emergency admissions per year before the index \(Self.n(u.before, 2)) (matched: \(Self.n(m.before, 2))). The estimate is for the matched."
    }

    static func n(_ v: Double, _ places: Int = 2) -> String { ModelCard.n(v, places) }

    /// The methods, written from what was run.
    public var methods: [String] {
        let caliper = "\(Self.n(design.caliper)) standard deviations of the logit (\(Self.n(matching.caliperWidth, 3)) on this logit scale)"
        var m = [
            "Treated: each person whose first \(design.intervention.text) falls in \(design.from) to \(design.to); their index is the first day of that month (\(data.months.count) index months). Features are measured from the records before the index; outcomes in the \(design.window) before and after it.",
            "Controls: people not treated before the index month, adults alive and registered at it\(design.eligibilityText.map { ", meeting \($0)" } ?? ""); for each index month a seeded random sample of up to \(design.pool) per treated person (seed \(design.seed)).",
            "Propensity: logistic regression of being treated on the \(matching.used.count) features of the admission model that vary and on thresholds of past emergency admissions (1 or more and 2 or more in each window; 2 and 3 or more in the year) (L2 penalty \(Self.n(design.penalty))); its C-statistic is \(matching.propensityAUC.map { Self.n($0, 3) } ?? "not defined").",
            "Matching: exactly on the index month, on emergency admissions in the year before (0, 1, 2, 3 or more)\(design.exact.isEmpty ? "" : " and on " + design.exact.map { $0.joined(separator: ".") }.joined(separator: ", ")); then 1:\(design.ratio) nearest neighbour on the logit without replacement within a caliper of \(caliper), highest propensity first" + (design.prognostic.map { m in "; and on the prognostic score of the admission model fitted on \(m.asOf) (its predicted log-odds of an emergency admission) within \(Self.n(design.caliper)) of its standard deviations (\(Self.n(matching.prognosticCaliper, 3))), nearest by both distances in standard deviations" } ?? "") + ".",
            "Effects: the matched treated people's change from before to after, less their controls' change, each control weighted 1/k of its set (difference-in-differences); a 95 % interval from \(design.bootstrap) cluster-bootstrap resamples of the matched sets (seed \(design.seed)). Counts are a group's events over its person-years; a death ends follow-up (the rate after is over the time alive). For care-home admission, the shares with one; for death itself, the difference in the share dying after the index.",
            "Beside each effect, the treated people's own before–after change: people chosen on a spike in their use fall back towards their usual level without any intervention (regression to the mean), so this change is not the effect.",
        ]
        if !effects.costItems.isEmpty {
            m.append("Costs: the effects on " + effects.costItems.map { "\($0.outcome.title.lowercased()) (£\(Self.n($0.unitCost)) each)" }.joined(separator: ", ") + " over the \(design.window) after, per treated person and for the \(matching.sets.count) matched; an estimate, with the same bootstrap's interval.")
        }
        return m
    }

    public static let cannotRuleOut = "What this design cannot rule out: matching balances what the records measure. If the people chosen differ in something unrecorded that also drives admissions (how unwell they looked at the time, support at home, a clinician's judgement), the estimate carries that difference. A difference-in-differences removes stable differences between treated and controls, not ones that change at the index. Read the effect with its interval, and with the balance table."
}

extension String {
    /// "reason: 3; other: 12" with counts 1 to threshold − 1 as "*".
    func replacingCounts(threshold: Int) -> String {
        split(separator: ";").map { part -> String in
            let p = String(part)
            guard let colon = p.lastIndex(of: ":"), let n = Int(String(p[p.index(after: colon)...]).trimmingSpaces),
                  n > 0, n < threshold else { return p }
            return String(p[...colon]) + " *"
        }.joined(separator: ";")
    }
}
