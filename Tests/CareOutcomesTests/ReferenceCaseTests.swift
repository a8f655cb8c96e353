import Foundation
import Testing
@testable import CareOutcomes

/// The statistics against published values: the upstream oracle values quoted in
/// ../shared/reference/outcomes/METHODS.md §6 (kept here, so a fresh clone checks them), and
/// every case of reference_cases.json whose method is implemented (skipped, with a note, when
/// ../shared is absent).
@Suite struct StatisticsTests {
    func close(_ a: Double, _ b: Double, rel: Double = 1e-9, abs: Double = 0) -> Bool {
        Swift.abs(a - b) <= max(abs, rel * Swift.abs(b))
    }

    @Test func normalQuantiles() {
        #expect(close(Distributions.z(confidence: 0.95), 1.959963984540054, rel: 1e-14))
        #expect(close(Distributions.z(confidence: 0.998), 3.090232306167813, rel: 1e-14))
        #expect(close(Distributions.normalQuantile(0.001), -3.090232306167813, rel: 1e-14))
    }

    @Test func upstreamOracleValues() throws {
        // PHEindicatormethods test data (METHODS.md §6), to the 6 decimals quoted there.
        let b65 = Intervals.byar(count: 65)
        #expect(close(b65.lower, 50.163188, abs: 1e-6) && close(b65.upper, 82.849139, abs: 1e-6))
        #expect(close(Intervals.byar(count: 1045).lower, 982.593202, abs: 1e-6))
        #expect(close(Intervals.byar(count: 1).upper, 5.563756, abs: 1e-6))
        let b10 = Intervals.byar(count: 10, confidence: 0.998)
        #expect(close(b10.lower, 2.916318, abs: 1e-6) && close(b10.upper, 24.193725, abs: 1e-6))
        #expect(close(Intervals.wilson(65, of: 100).lower, 0.552544, abs: 1e-6))
        #expect(close(Intervals.wilson(1045, of: 5000).upper, 0.220491, abs: 1e-6))
        // phe_rate 5/100 per 100: exact lower 1.623486; 20/100: Byar upper 30.889880.
        #expect(close(Intervals.crudeRate(5, per: 100, multiplier: 100).interval.lower, 1.623486, abs: 1e-6))
        let r20 = Intervals.crudeRate(20, per: 100, multiplier: 100)
        #expect(r20.method == "byar" && close(r20.interval.upper, 30.889880, abs: 1e-6))
        #expect(StandardPopulation.esp2013.reduce(0, +) == 100_000)
        #expect(StandardPopulation.esp2013.suffix(6).reduce(0, +) == 19_500)
    }

    @Test func dsrIsSuppressedBelowTenEvents() {
        #expect(Intervals.dsr(counts: [0, 1, 2, 1, 3, 1], populations: [310, 260, 190, 120, 70, 30],
                              standard: Array(StandardPopulation.esp2013.suffix(6))) == nil)
    }

    @Test func referenceCases() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path + "/../shared/reference/outcomes/reference_cases.json"
        guard FileManager.default.fileExists(atPath: path) else {
            print("note: skipping the reference cases: ../shared/reference/outcomes is not beside this clone")
            return
        }
        let root = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        var checked = 0, notYet: [String] = []
        for case let c as [String: Any] in root["cases"] as! [Any] {
            let id = c["id"] as! String, method = c["method"] as! String
            let input = c["inputs"] as! [String: Any], expected = c["expected"] as! [String: Any]
            let tol = c["tolerance"] as? [String: Double] ?? [:]
            func check(_ got: Double?, _ key: String) {
                let want = expected[key]
                if want is NSNull || want == nil { #expect(got == nil, "\(id) \(key) should be suppressed"); return }
                guard let got, let w = (want as? NSNumber)?.doubleValue else { Issue.record("\(id) \(key): no value"); return }
                #expect(close(got, w, rel: tol["rel"] ?? 0, abs: tol["abs"] ?? 0), "\(id) \(key): \(got) vs \(w)")
            }
            func d(_ k: String) -> Double { (input[k] as! NSNumber).doubleValue }
            func ds(_ k: String) -> [Double] { (input[k] as! [NSNumber]).map(\.doubleValue) }
            switch method {
            case "standard_population":
                #expect((expected["weights"] as! [NSNumber]).map(\.doubleValue) == StandardPopulation.esp2013, "\(id)")
                #expect((input["bands"] as! [String]) == StandardPopulation.bands)
            case "byar_count_ci":
                let i = Intervals.byar(count: d("x"), confidence: d("confidence"))
                check(i.lower, "lower"); check(i.upper, "upper")
            case "exact_poisson_count_ci":
                let i = Intervals.exactPoisson(count: d("x"), confidence: d("confidence"))
                check(i.lower, "lower"); check(i.upper, "upper")
            case "crude_rate_per_100000":
                let r = Intervals.crudeRate(d("x"), per: d("n"), multiplier: d("multiplier"), confidence: d("confidence"))
                check(r.value, "value"); check(r.interval.lower, "lower"); check(r.interval.upper, "upper")
                #expect(r.method == expected["method"] as? String)
            case "wilson_proportion_ci":
                let i = Intervals.wilson(d("x"), of: d("n"), confidence: d("confidence"))
                check(d("x") / d("n"), "value"); check(i.lower, "lower"); check(i.upper, "upper")
            case "dsr_dobson":
                let args = (ds("counts"), ds("populations"), ds("standard_population"), d("multiplier"))
                let r95 = Intervals.dsr(counts: args.0, populations: args.1, standard: args.2, multiplier: args.3)
                let r998 = Intervals.dsr(counts: args.0, populations: args.1, standard: args.2, multiplier: args.3, confidence: 0.998)
                check(r95?.value, "value"); check(r95?.interval.lower, "lower95"); check(r95?.interval.upper, "upper95")
                check(r998?.interval.lower, "lower99_8"); check(r998?.interval.upper, "upper99_8")
            case "indirectly_standardised_ratio":
                let r95 = Intervals.isr(observed: d("observed"), denominators: ds("local_denominators"), referenceRates: ds("reference_rates"))
                let r998 = Intervals.isr(observed: d("observed"), denominators: ds("local_denominators"), referenceRates: ds("reference_rates"), confidence: 0.998)
                check(r95.expected, "expected"); check(r95.ratio, "ratio")
                check(r95.interval.lower, "lower95"); check(r95.interval.upper, "upper95")
                check(r998.interval.lower, "lower99_8"); check(r998.interval.upper, "upper99_8")
            default:
                notYet.append(id)
                continue
            }
            checked += 1
        }
        #expect(checked >= 14)   // every case of the implemented methods (20 cases, 6 for funnels and SPC to come)
        print("note: reference cases checked: \(checked); not implemented yet (outcome-report, issue open): \(notYet.joined(separator: ", "))")
    }
}
