import Foundation
import Testing
@testable import CareCore
@testable import CareModel
@testable import CareRisk
import CareStatistics

/// The fit through the program's own path (AdmissionData → AdmissionFitting), the model file,
/// centiles and bands, and the scorer risk-score runs.
@Suite struct AdmissionModelTests {
    /// People whose outcome follows a known logistic model in three features (the rest are
    /// noise or constant): log-odds = −3 + 1.2·age85plus + 0.5·emergency0to6 + 0.8·careHome.
    static let truth: [AdmissionFeature: Double] = [.age85plus: 1.2, .emergency0to6: 0.5, .careHome: 0.8]
    static let intercept = -3.0

    static func simulated(_ n: Int, seed: UInt64) -> AdmissionData {
        var rng = SplitMix64(seed: seed)
        func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        var data = AdmissionData()
        let k = AdmissionFeature.allCases.count
        for _ in 0..<n {
            var x = [Double](repeating: 0, count: k)
            func set(_ f: AdmissionFeature, _ v: Double) { x[AdmissionFeature.allCases.firstIndex(of: f)!] = v }
            set(.age85plus, uniform() < 0.3 ? 1 : 0)
            set(.emergency0to6, Double(Int(uniform() * 4)))
            set(.careHome, uniform() < 0.2 ? 1 : 0)
            set(.male, uniform() < 0.5 ? 1 : 0)                // no effect
            set(.imdUnknown, 1)                                // everyone: constant, left out
            var eta = intercept
            for (f, b) in truth { eta += b * x[AdmissionFeature.allCases.firstIndex(of: f)!] }
            let outcome = uniform() < 1 / (1 + exp(-eta))
            data.rows.append(.init(features: x, outcome: outcome, indices: [:]))
        }
        return data
    }

    static let day = ISODate.parse("2024-04-01")!

    @Test func aKnownModelIsRecoveredWithinItsIntervals() throws {
        let model = try AdmissionFitting.fit(Self.simulated(40_000, seed: 11), asOf: Self.day, horizon: .init(months: 12), penalty: 0, input: "simulated")
        for c in model.coefficients where c.estimated {
            let truth = Self.truth[c.feature] ?? 0
            let z = abs(c.value - truth) / c.standardError
            #expect(z < 3.5, "\(c.feature.rawValue): \(c.value) ± \(c.standardError), truth \(truth)")
        }
        #expect(abs(model.intercept - Self.intercept) / model.interceptStandardError < 3.5)
        // Features that never vary are not estimated, and add nothing to anyone's risk.
        let constant = model.coefficients.filter { !$0.estimated }.map(\.feature)
        #expect(constant.contains(.imdUnknown))
        #expect(constant.contains(.hfrs))
        #expect(!constant.contains(.male))
        #expect(model.fit!.auc.value > 0.6)
    }

    @Test func theModelFileReadsBackAsTheSameModel() throws {
        var model = try AdmissionFitting.fit(Self.simulated(5_000, seed: 12), asOf: Self.day, horizon: .init(months: 6), penalty: 0.5, input: "simulated")
        model.setReference(model.fit!)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("model-\(UInt32.random(in: 0 ... .max)).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(model.json).write(to: URL(fileURLWithPath: path))
        let back = try AdmissionModel(path: path)
        #expect(back.asOf == model.asOf)
        #expect(back.horizon == model.horizon)
        #expect(back.penalty == 0.5)
        #expect(back.intercept == model.intercept)
        #expect(back.coefficients.map(\.value) == model.coefficients.map(\.value))
        #expect(back.coefficients.map(\.estimated) == model.coefficients.map(\.estimated))
        #expect(back.reference?.centiles == model.reference?.centiles)
        for row in Self.simulated(50, seed: 13).rows { #expect(back.probability(row.features) == model.probability(row.features)) }
    }

    @Test func aBrokenModelFileIsAnError() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UInt32.random(in: 0 ... .max)).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var model = try AdmissionFitting.fit(Self.simulated(3_000, seed: 14), asOf: Self.day, horizon: .init(months: 12), penalty: 0, input: "simulated")
        model.setReference(model.fit!)
        let good = String(decoding: model.json, as: UTF8.self)
        for (broken, says) in [(good.replacingOccurrences(of: #""id":"male""#, with: #""id":"height""#), "feature 'height'"),
                               (good.replacingOccurrences(of: #""centiles":["#, with: #""centiles":[1,"#), "99 centiles"),
                               ("{}", "not a joinedup emergency-admission model")] {
            try Data(broken.utf8).write(to: URL(fileURLWithPath: path))
            #expect { try AdmissionModel(path: path) } throws: { "\($0)".contains(says) }
        }
    }

    @Test func theRecordsReachTheirLastUsualMonthNotAStrayDate() {
        var data = AdmissionData()
        let end = ISODate.parse("2026-03-31")!.dayNumber
        for d in (end - 800)...end { for _ in 0..<3 { data.entriesByDay.add(d) } }
        #expect(data.recordsReach == end)
        // Entries dated years ahead, alone, or a week ahead with few others: not coverage.
        data.entriesByDay.add(ISODate.parse("2033-04-01")!.dayNumber)
        data.entriesByDay.add(ISODate.parse("2027-03-01")!.dayNumber)
        #expect(data.recordsReach == end)
        // A thin last month is where the records end (give or take the weeks a 30-day count
        // still holds a quarter of a usual month's entries).
        var thin = AdmissionData()
        for d in (end - 800)...(end - 40) { for _ in 0..<3 { thin.entriesByDay.add(d) } }
        for d in stride(from: end - 39, through: end, by: 10) { thin.entriesByDay.add(d) }
        #expect(thin.recordsReach.map { $0 >= end - 40 && $0 < end - 15 } == true, "\(String(describing: thin.recordsReach)) against \(end)")
        #expect(AdmissionData().recordsReach == nil)
    }

    @Test func centilesAndBandsFollowTheReferencePopulation() throws {
        var model = try AdmissionFitting.fit(Self.simulated(2_000, seed: 15), asOf: Self.day, horizon: .init(months: 12), penalty: 0, input: "simulated")
        // A reference population of 1,000 people with risks 0.001 … 1.000.
        var reference = model.fit!
        reference.predictions = (1...1000).map { Double($0) / 1000 }
        model.setReference(reference)
        #expect(model.centile(0.0005)! == (0, .belowTop5))
        #expect(model.centile(0.5005)!.centile == 50)
        #expect(model.centile(0.9505)! == (95, .top5))
        #expect(model.centile(0.9805)! == (98, .top2))
        #expect(model.centile(0.9965)!.band == .top05)
        #expect(model.centile(0.994)!.band == .top2)
    }

    @Test func theScorerSaysTheProbabilityAndTheLargestContributions() throws {
        var model = try AdmissionFitting.fit(Self.simulated(20_000, seed: 16), asOf: Self.day, horizon: .init(months: 12), penalty: 0, input: "simulated")
        model.setReference(model.fit!)
        let models = try ModelSet(ModelSet.parse("efi,hfrs,charlson"))
        let day = ISODate.parse("2025-04-01")!
        var scorer = AdmissionScorer(model: model, models: models, asOf: day, deprivation: .bundled)
        func score(_ line: String) throws -> [String: Any] {
            var bytes = Array(line.utf8)
            return try bytes.withUnsafeMutableBufferPointer { buf in
                let b = UnsafeBufferPointer(buf)
                var facts = PersonFacts()
                try facts.read(b, reading: .everything)
                let results = models.score(facts, asOf: day)
                let member = scorer.member(line: b, facts: facts, results: results, asOf: day)!
                let object = try JSONSerialization.jsonObject(with: Data(("{" + String(decoding: member, as: UTF8.self) + "}").utf8)) as! [String: Any]
                return object["admission"] as! [String: Any]
            }
        }
        // 89 on the day, two emergency admissions in the last 6 months.
        let a = try score(personLine(birth: "1936-01-01", emergencies: [("2025-01-10", "2025-01-12"), ("2025-03-01", "2025-03-02")]))
        #expect(a["in_population"] as? Bool == true)
        let row = try features(personLine(birth: "1936-01-01", emergencies: [("2025-01-10", "2025-01-12"), ("2025-03-01", "2025-03-02")]), horizon: nil).get()
        #expect(abs((a["probability"] as! Double) - model.probability(row.features)) < 1e-6)
        let reasons = a["reasons"] as! [[String: Any]]
        #expect(reasons.count == AdmissionScorer.reasons)
        let contributions = reasons.map { abs($0["contribution"] as! Double) }
        #expect(contributions == contributions.sorted(by: >))
        // The three found without sorting are the first three of them all, sorted.
        #expect(model.largestContributions(row.features, 3).map(\.feature) == model.contributions(row.features).prefix(3).map(\.feature))
        for k in [1, 5, 25] {
            #expect(model.largestContributions(row.features, k).map(\.contribution) == model.contributions(row.features).prefix(k).map(\.contribution))
        }
        #expect(reasons.map { $0["feature"] as! String }.contains("emergency_admissions_0_6m"))
        #expect(reasons.contains { ($0["text"] as! String).hasPrefix("2 emergency admissions in the last 6 months: +") })
        #expect(AdmissionBand(rawValue: a["band"] as! String) != nil)
        // A child is not scored, and says why.
        let child = try score(personLine(birth: "2015-01-01"))
        #expect(child["in_population"] as? Bool == false)
        #expect((child["population_note"] as? String)?.contains("under 18") == true)
        #expect(child["probability"] == nil)
    }
}
