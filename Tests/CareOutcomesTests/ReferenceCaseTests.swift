import Foundation
import Testing
@testable import CareOutcomes
@testable import CareStatistics

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
            case "funnel_rate":
                let theta = d("target_per_100000") / 100_000
                let rows = expected["rows"] as! [[String: Any]]
                for (n, row) in zip(ds("population"), rows) {
                    for (conf, suffix) in [(0.95, "95"), (0.998, "99_8")] {
                        let l = Funnels.rate(theta: theta, population: n, confidence: conf)
                        for (got, key) in [(l.exact.lower, "exact_lower"), (l.exact.upper, "exact_upper"),
                                           (l.normal.lower, "normal_lower"), (l.normal.upper, "normal_upper")] {
                            let want = (row[key + suffix] as! NSNumber).doubleValue
                            #expect(close(got * 100_000, want, abs: tol["abs"] ?? 0), "\(id) n=\(n) \(key)\(suffix): \(got * 100_000) vs \(want)")
                        }
                    }
                }
            case "funnel_overdispersion":
                let o = Funnels.overdispersion(x: ds("x"), n: ds("n"), winsorise: d("winsorise"))
                check(o.theta, "theta"); check(o.phi, "phi"); check(o.tau2, "tau2")
                for (got, want) in zip(o.z, expected["z"] as! [NSNumber]) { #expect(close(got, want.doubleValue, abs: tol["abs"] ?? 0), "\(id) z") }
                let wb = (expected["winsor_bounds"] as! [NSNumber]).map(\.doubleValue)
                #expect(close(o.winsorBounds.lower, wb[0], abs: 1e-8) && close(o.winsorBounds.upper, wb[1], abs: 1e-8))
                for row in expected["limits"] as! [[String: Any]] {
                    let n = (row["n"] as! NSNumber).doubleValue
                    for (conf, suffix) in [(0.95, "95"), (0.998, "99_8")] {
                        let l = o.limits(n: n, confidence: conf)
                        for (got, key) in [(l.unadjusted.lower, "unadj_lower"), (l.unadjusted.upper, "unadj_upper"), (l.phi.lower, "phi_lower"),
                                           (l.phi.upper, "phi_upper"), (l.tau2.lower, "tau2_lower"), (l.tau2.upper, "tau2_upper")] {
                            let want = (row[key + suffix] as! NSNumber).doubleValue
                            #expect(close(got, want, abs: tol["abs"] ?? 0), "\(id) n=\(n) \(key)\(suffix)")
                        }
                    }
                }
            case "xmr_mdc":
                let direction: XmRChart.Improvement
                switch input["improvement_direction"] as? String {
                case "increase"?: direction = .increase
                case "decrease"?: direction = .decrease
                default: direction = .neutral
                }
                let chart = XmRChart(ds("y"), improvement: direction, screenOutliers: input["screen_outliers"] as? Bool ?? true,
                                     fixAfter: (input["fix_after_n_points"] as? NSNumber)?.intValue)
                check(chart.mean, "mean"); check(chart.lpl, "lpl"); check(chart.upl, "upl")
                if expected["amr"] != nil { check(chart.amr, "amr"); check(chart.nlpl, "nlpl"); check(chart.nupl, "nupl") }
                if let types = expected["special_cause_type"] as? [String] { #expect(chart.specialCause == types, "\(id) special causes") }
                if let types = expected["point_type"] as? [String] { #expect(chart.pointType == types, "\(id) point types") }
                if let icon = expected["variation_icon"] as? String { #expect(chart.variationIcon == icon, "\(id) icon") }
                if let flags = expected["flags"] as? [String: [Bool]] {
                    #expect(flags["outside_limits"] == chart.outside && flags["close_to_limits"] == chart.close, "\(id) flags")
                    #expect(flags["shift"] == chart.shift && flags["trend"] == chart.trend && flags["two_in_three"] == chart.twoInThree, "\(id) runs")
                }
                if let a = expected["assurance"] as? [String: String] {
                    for (t, want) in a { #expect(chart.assurance(target: Double(t)!) == want, "\(id) assurance \(t)") }
                }
            default:
                notYet.append(id)
                continue
            }
            checked += 1
        }
        #expect(checked >= 20)
        #expect(notYet.isEmpty, "methods not implemented: \(notYet)")
    }
}

/// SPC and funnels against the upstream oracle values quoted in METHODS.md §6 (no ../shared needed).
@Suite struct SPCAndFunnelTests {
    @Test func makingDataCountOracles() {
        // NHSRplotthedots deviations vignette: 1,2,1,2,10,1,2,… screened UPL 4.60, mean 1.94, LPL −0.72;
        // unscreened 6.95 / −3.06.
        let series: [Double] = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
        let screened = XmRChart(series, improvement: .increase)
        #expect((screened.upl * 100).rounded() / 100 == 4.6 && (screened.mean * 100).rounded() / 100 == 1.94
                && (screened.lpl * 100).rounded() / 100 == -0.72)
        #expect(screened.pointType[4] == "special_cause_improvement")
        let raw = XmRChart(series, improvement: .increase, screenOutliers: false)
        #expect((raw.upl * 100).rounded() / 100 == 6.95 && (raw.lpl * 100).rounded() / 100 == -3.06)
        // nhspy-plotthedots: 1…8 with limits fixed after 3 points: mean 2, LPL −0.66, UPL 4.66.
        let fixed = XmRChart([1, 2, 3, 4, 5, 6, 7, 8], fixAfter: 3)
        #expect(fixed.mean == 2 && abs(fixed.lpl - -0.66) < 1e-12 && abs(fixed.upl - 4.66) < 1e-12)
    }

    @Test func runRules() {
        // Seven rising points (2 … 8, indices 4-10) inside wide limits: a trend, all seven flagged.
        let rising = XmRChart([5, 9, 1, 8, 2, 3, 4, 5, 6, 7, 8, 2, 9], improvement: .increase)
        #expect(rising.trend == [false, false, false, false, true, true, true, true, true, true, true, false, false])
        #expect(rising.specialCause[4] == "7 Point Trend (Increasing)" && rising.pointType[4] == "special_cause_improvement")
        // Six rising points are not a trend.
        let six = XmRChart([5, 9, 1, 8, 2, 3, 4, 5, 6, 7, 2, 9, 1])
        #expect(!six.trend.contains(true))
        // Seven points above the mean, then seven below, all inside the limits and the 2σ lines.
        let shifted = XmRChart([4.2, 4.1, 4.2, 4.1, 4.2, 4.1, 4.2, 3.8, 3.9, 3.8, 3.9, 3.8, 3.9, 3.8], improvement: .decrease)
        #expect(!shifted.outside.contains(true) && !shifted.close.contains(true))
        #expect(shifted.shift.allSatisfy { $0 })
        #expect(shifted.specialCause.first == "7 Points Above CL" && shifted.specialCause.last == "7 Points Below CL")
        #expect(shifted.pointType.first == "special_cause_concern" && shifted.variationIcon == "improvement_low")
        #expect(XmRChart([1, 2, 3]).assurance(target: 100) == nil, "no assurance for a neutral measure")
    }

    @Test func funnelRateLimits() {
        // Target 600 per 100,000 at population 2,000: λ = 12; normal 600 ± 1.96·√(0.006/2000)·10⁵.
        let l = Funnels.rate(theta: 0.006, population: 2000, confidence: 0.95)
        #expect(abs(l.normal.lower * 100_000 - 260.5242797771) < 1e-6)
        // Exact: F(5) = 0.0203, F(6) = 0.0458 for λ = 12 → r = 6, limit (6 − α)/2000 ≈ 259.14 per 10⁵.
        #expect(abs(l.exact.lower * 100_000 - 259.1419486096) < 1e-6)
    }
}
