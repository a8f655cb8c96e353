import Testing
@testable import CareCore
@testable import CareEvaluation
@testable import CareModel

/// The estimators on people made by hand, worked on paper.
@Suite struct EffectsTests {
    static let k = AdmissionFeature.allCases.count

    static func subject(_ line: Int, treated: Bool, before: Double, after: Double, yearsAfter: Double = 1,
                        feature: Double = 0, stratum: String = "", month: Int = 0) -> ImpactData.Subject {
        var b = [Double](repeating: 0, count: ImpactOutcome.allCases.count), a = b
        b[0] = before; a[0] = after
        var f = [Double](repeating: 0, count: k)
        f[AdmissionFeature.emergency0to6.position] = feature
        return ImpactData.Subject(line: line, month: month, treated: treated, features: f, stratum: stratum,
                                  outcomes: OutcomeWindows(before: b, after: a, yearsBefore: 1, yearsAfter: yearsAfter,
                                                           monthly: [Int](repeating: 0, count: 24), monthsAtRisk: 12),
                                  age: 80, priority: 0)
    }

    static func design() throws -> ImpactDesign {
        var d = ImpactDesign(intervention: try Intervention(#"encounters where kind = "mdt-review""#, checker: ExpressionChecker()),
                             from: ISODate.parse("2024-04-01")!, to: ISODate.parse("2025-03-31")!)
        d.bootstrap = 200
        return d
    }

    @Test func differenceInDifferencesWithDeathEndingFollowUp() throws {
        var data = ImpactData()
        // Treated A: 2 before, 1 after (a year each). Control A: 2 and 2.
        // Treated B: 3 before, 0 after in the half year to their death. Control B: 1 and 1.
        data.treated = [Self.subject(1, treated: true, before: 2, after: 1), Self.subject(2, treated: true, before: 3, after: 0, yearsAfter: 0.5)]
        data.candidates = [Self.subject(3, treated: false, before: 2, after: 2), Self.subject(4, treated: false, before: 1, after: 1)]
        let matching = Matching(sets: [.init(treated: 0, controls: [0]), .init(treated: 1, controls: [1])])
        var d = try Self.design()
        d.unitCosts = ["emergency_admission": 2500]
        let e = Effects(data, matching, design: d)
        let r = try #require(e.rows.first { $0.outcome == .emergencyAdmissions })
        // Treated: before 5 / 2 years = 2.5; after 1 / 1.5 years = 0.667. Controls: 1.5 and 1.5.
        #expect(abs(r.treatedBefore - 2.5) < 1e-12)
        #expect(abs(r.treatedAfter - 1 / 1.5) < 1e-12)
        #expect(abs(r.controlBefore - 1.5) < 1e-12 && abs(r.controlAfter - 1.5) < 1e-12)
        #expect(abs(r.effect.value - (1 / 1.5 - 2.5)) < 1e-12)
        #expect(abs(r.naive!.value - (1 / 1.5 - 2.5)) < 1e-12)
        #expect(r.effect.lower <= r.effect.value && r.effect.value <= r.effect.upper)
        // £2,500 an admission over one year: −1.833 × 2,500.
        #expect(abs(e.costPerPerson!.value - (1 / 1.5 - 2.5) * 2500) < 1e-9)
        #expect(abs(e.costTotal!.value - 2 * e.costPerPerson!.value) < 1e-9)
    }

    @Test func theBootstrapIsSeededAndItsIntervalWidensWithNoise() throws {
        var data = ImpactData()
        var sets: [Matching.MatchedSet] = []
        for i in 0..<40 {
            data.treated.append(Self.subject(i, treated: true, before: Double(i % 4), after: Double((i * 7) % 5)))
            data.candidates.append(Self.subject(100 + i, treated: false, before: Double(i % 3), after: Double((i * 3) % 4)))
            sets.append(.init(treated: i, controls: [i]))
        }
        let d = try Self.design()
        let a = Effects(data, Matching(sets: sets), design: d), b = Effects(data, Matching(sets: sets), design: d)
        #expect(a.rows[0].effect.lower == b.rows[0].effect.lower && a.rows[0].effect.upper == b.rows[0].effect.upper)
        #expect(a.rows[0].effect.upper - a.rows[0].effect.lower > 0.1)
    }

    @Test func standardisedMeanDifferences() {
        // Treated 0 and 1 (mean 0.5, variance 0.25); controls 0 and 0: SMD 0.5 / √0.125.
        let r = Balance.smd([(0, 1), (1, 1)], [(0, 1), (0, 1)])
        #expect(abs(r.smd - 0.5 / 0.125.squareRoot()) < 1e-12)
        #expect(r.ratio == .infinity)
        // Weighted controls: 1 with weight 0.5 twice and 0 with weight 1: mean 0.5.
        #expect(abs(Balance.moments([(1, 0.5), (1, 0.5), (0, 1)]).mean - 0.5) < 1e-12)
        #expect(Balance.smd([(2, 1), (2, 1)], [(2, 1)]).smd == 0)
    }

    @Test func matchingTakesEachControlOnceWithinItsStratumAndCaliper() throws {
        var data = ImpactData()
        // Treated people with 2 recent admissions; candidates from 0 to 3; one treated in a
        // stratum no candidate shares.
        for i in 0..<12 { data.treated.append(Self.subject(i, treated: true, before: 1, after: 1, feature: Double(1 + i % 3), stratum: i == 11 ? "B" : "A")) }
        for i in 0..<120 { data.candidates.append(Self.subject(1000 + i, treated: false, before: 1, after: 1, feature: Double(i % 4), stratum: "A")) }
        var d = try Self.design()
        d.ratio = 2
        let m = try Matching(data, design: d)
        #expect(m.unmatched.contains { $0.treated == 11 && $0.reason == Matching.noControlInStratum })
        let used = m.sets.flatMap(\.controls).map { data.candidates[$0].line }
        #expect(Set(used).count == used.count, "without replacement")
        for s in m.sets {
            #expect(s.controls.count <= 2)
            for c in s.controls { #expect(abs(m.candidateLogit[c] - m.treatedLogit[s.treated]) <= m.caliperWidth + 1e-12) }
        }
        #expect(m.sets.count == 11)
    }
}
