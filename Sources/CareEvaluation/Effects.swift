import CareStatistics

/// The effects: for each outcome, the matched difference-in-differences: the matched treated
/// people's change from before to after, less their controls' change (each control weighted
/// 1/k of its set), with rates as a group's events over its person-years; a 95 % interval from
/// a cluster bootstrap over matched sets (seeded). Beside it the treated people's own
/// before–after change, which regression to the mean moves by itself.
public struct Effects: Sendable {
    public struct Estimate: Sendable {
        public var value: Double
        public var lower: Double
        public var upper: Double
    }

    public struct Row: Sendable {
        public var outcome: ImpactOutcome
        /// Means: treated before and after, controls before and after.
        public var treatedBefore: Double, treatedAfter: Double, controlBefore: Double, controlAfter: Double
        /// The matched difference-in-differences (for death: the difference in the share dying after).
        public var effect: Estimate
        /// The treated alone, after − before (nil for death).
        public var naive: Estimate?
    }

    /// One month of the chart: emergency admissions per 100 people, treated and controls.
    public struct Month: Sendable {
        /// −12 … 11, the index month 0.
        public var offset: Int
        public var treatedRate: Double
        public var controlRate: Double
        /// The counts behind the rates (controls unweighted), for disclosure control.
        public var treatedCount: Int
        public var controlCount: Int
    }

    public var rows: [Row] = []
    public var months: [Month] = []
    /// Cost difference per treated person over the after window, and in total, when unit costs were given.
    public var costPerPerson: Estimate?
    public var costTotal: Estimate?
    public var costItems: [(outcome: ImpactOutcome, item: String, unitCost: Double)] = []

    /// Which unit-cost item prices which outcome (outcome-report's unit-costs file).
    public static let costItem: [ImpactOutcome: String] = [.emergencyAdmissions: "emergency_admission", .emergencyBedDays: "bed_day",
                                                           .aeAttendances: "ae_attendance"]

    public init(_ data: ImpactData, _ matching: Matching, design: ImpactDesign) {
        let outcomes = ImpactOutcome.allCases
        let sets = matching.sets
        let n = sets.count
        guard n > 0 else { return }
        let windowYears = Double(design.window.months) / 12 + Double(design.window.days) / 365.25
        // Per set: the treated person's counts and years, and their controls' (each weighted 1/k).
        // A group's rate is its counts over its years (a death ends follow-up); a share is the
        // group's mean of 0 or 1.
        struct SetSums { var tb: [Double], ta: [Double], cb: [Double], ca: [Double]; var tyb = 0.0, tya = 0.0, cyb = 0.0, cya = 0.0 }
        let zero = [Double](repeating: 0, count: outcomes.count)
        let sums: [SetSums] = sets.map { s in
            let t = data.treated[s.treated].outcomes
            var r = SetSums(tb: t.before, ta: t.after, cb: zero, ca: zero, tyb: t.yearsBefore, tya: t.yearsAfter)
            let w = 1 / Double(s.controls.count)
            for c in s.controls {
                let o = data.candidates[c].outcomes
                for i in outcomes.indices { r.cb[i] += w * o.before[i]; r.ca[i] += w * o.after[i] }
                r.cyb += w * o.yearsBefore; r.cya += w * o.yearsAfter
            }
            return r
        }
        /// The four group values of each outcome over `idx` (nil: every set once).
        func groups(_ idx: [Int]?) -> [(tb: Double, ta: Double, cb: Double, ca: Double)] {
            var tb = zero, ta = zero, cb = zero, ca = zero
            var tyb = 0.0, tya = 0.0, cyb = 0.0, cya = 0.0
            func add(_ s: SetSums) {
                for i in outcomes.indices { tb[i] += s.tb[i]; ta[i] += s.ta[i]; cb[i] += s.cb[i]; ca[i] += s.ca[i] }
                tyb += s.tyb; tya += s.tya; cyb += s.cyb; cya += s.cya
            }
            if let idx { for i in idx { add(sums[i]) } } else { for s in sums { add(s) } }
            let people = Double(idx?.count ?? n)
            return outcomes.indices.map { i in
                outcomes[i].isShare
                    ? (tb[i] / people, ta[i] / people, cb[i] / people, ca[i] / people)
                    : (tyb > 0 ? tb[i] / tyb : 0, tya > 0 ? ta[i] / tya : 0, cyb > 0 ? cb[i] / cyb : 0, cya > 0 ? ca[i] / cya : 0)
            }
        }
        func did(_ g: (tb: Double, ta: Double, cb: Double, ca: Double), _ o: ImpactOutcome) -> Double {
            o.hasBefore ? (g.ta - g.tb) - (g.ca - g.cb) : g.ta - g.ca
        }
        let priced = outcomes.enumerated().compactMap { o, outcome -> (Int, Double)? in
            guard let item = Self.costItem[outcome], let cost = design.unitCosts[item] else { return nil }
            return (o, cost)
        }
        costItems = priced.map { (outcomes[$0.0], Self.costItem[outcomes[$0.0]]!, $0.1) }
        func cost(_ g: [(tb: Double, ta: Double, cb: Double, ca: Double)]) -> Double {
            priced.reduce(0) { $0 + did(g[$1.0], outcomes[$1.0]) * $1.1 } * windowYears
        }
        // The bootstrap: resample matched sets.
        var rng = SplitMix64(seed: design.seed)
        var bootDid = [[Double]](repeating: [], count: outcomes.count), bootOwn = bootDid
        var bootCost: [Double] = []
        for _ in 0..<design.bootstrap {
            let g = groups((0..<n).map { _ in rng.index(below: n) })
            for (o, outcome) in outcomes.enumerated() {
                bootDid[o].append(did(g[o], outcome))
                if outcome.hasBefore { bootOwn[o].append(g[o].ta - g[o].tb) }
            }
            if !priced.isEmpty { bootCost.append(cost(g)) }
        }
        func estimate(_ value: Double, _ boot: [Double]) -> Estimate {
            guard boot.count >= 2 else { return Estimate(value: value, lower: .nan, upper: .nan) }
            let s = boot.sorted()
            func q(_ p: Double) -> Double {
                let h = p * Double(s.count - 1)
                let l = Int(h.rounded(.down)), u = min(l + 1, s.count - 1)
                return s[l] + (h - Double(l)) * (s[u] - s[l])
            }
            return Estimate(value: value, lower: q(0.025), upper: q(0.975))
        }
        let all = groups(nil)
        for (o, outcome) in outcomes.enumerated() {
            let g = all[o]
            rows.append(Row(outcome: outcome, treatedBefore: g.tb, treatedAfter: g.ta, controlBefore: g.cb, controlAfter: g.ca,
                            effect: estimate(did(g, outcome), bootDid[o]),
                            naive: outcome.hasBefore ? estimate(g.ta - g.tb, bootOwn[o]) : nil))
        }
        if !priced.isEmpty {
            let per = estimate(cost(all), bootCost)
            costPerPerson = per
            costTotal = Estimate(value: per.value * Double(n), lower: per.lower * Double(n), upper: per.upper * Double(n))
        }
        // The monthly chart: everyone is followed before; after, while alive.
        let span = 2 * OutcomeWindows.months
        var tCount = [Int](repeating: 0, count: span), cCount = tCount
        var tEvents = [Double](repeating: 0, count: span), tRisk = tEvents, cEvents = tEvents, cRisk = tEvents
        for s in sets {
            let t = data.treated[s.treated].outcomes
            let w = 1 / Double(s.controls.count)
            for m in 0..<span {
                let atRisk = m < OutcomeWindows.months || m - OutcomeWindows.months < t.monthsAtRisk
                if atRisk { tRisk[m] += 1; tEvents[m] += Double(t.monthly[m]); tCount[m] += t.monthly[m] }
                for c in s.controls {
                    let o = data.candidates[c].outcomes
                    if m < OutcomeWindows.months || m - OutcomeWindows.months < o.monthsAtRisk {
                        cRisk[m] += w; cEvents[m] += w * Double(o.monthly[m]); cCount[m] += o.monthly[m]
                    }
                }
            }
        }
        months = (0..<span).map { m in
            Month(offset: m - OutcomeWindows.months, treatedRate: tRisk[m] > 0 ? 100 * tEvents[m] / tRisk[m] : 0,
                  controlRate: cRisk[m] > 0 ? 100 * cEvents[m] / cRisk[m] : 0, treatedCount: tCount[m], controlCount: cCount[m])
        }
    }
}
