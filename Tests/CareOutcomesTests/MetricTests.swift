import Foundation
import Testing
@testable import CareCore
@testable import CareOutcomes
@testable import CareStatistics

/// Numerators and denominators on hand-built people; the 30- and 91-day edges; suppression.
@Suite struct MetricTests {
    let fy = Period(parsing: "2025-26")!   // 2025-04-01 … 2026-03-31
    let asOf = ISODate.parse("2026-04-01")!

    func aggregate(_ lines: [String], periods: [Period]? = nil) throws -> Aggregates {
        var agg = Aggregates()
        for line in lines {
            let r = RecordScope(asOf: asOf)
            var bytes = Array(line.utf8)
            try bytes.withUnsafeMutableBufferPointer { buf in
                try r.load(UnsafeBufferPointer(buf), validate: true)
                agg.add(r, groups: [r.string("practice") ?? "?"], periods: periods ?? [fy], asOf: asOf)
            }
        }
        agg.settle()
        return agg
    }

    func tally(_ a: Aggregates, _ metric: String, group: String = MetricRows.system) -> Tally {
        a.tallies[Aggregates.Key(metric: metric, group: group, period: 0)] ?? Tally()
    }

    func person(_ id: String, birth: String = "1940-01-01", extra: String = "", encounters: [String] = [], care: [String] = []) -> String {
        #"{"id":"\#(id)","birth_date":"\#(birth)","practice":"P1"\#(extra),"encounters":[\#(encounters.joined(separator: ","))],"care":[\#(care.joined(separator: ","))]}"#
    }

    func admission(_ start: String, _ end: String, emergency: Bool = true, destination: String = "usual-residence") -> String {
        #"{"kind":"admission","method":"\#(emergency ? "emergency" : "elective")","start":"\#(start)","end":"\#(end)","destination":"\#(destination)"}"#
    }

    @Test func thePopulationAndItsEvents() throws {
        let a = try aggregate([
            person("a", encounters: [admission("2025-05-01", "2025-05-04"), admission("2025-03-31", "2025-04-02")]),
            person("b", birth: "1980-01-01", extra: #","registration_start":"2026-03-31""#),   // registered on the last day: counts
            person("c", extra: #","death_date":"2025-03-31""#),                                // died before the year: not
            person("d", extra: #","registration_end":"2025-03-31""#),                          // left before the year: not
            person("e", birth: "2026-04-01"),                                                    // born after: not
        ])
        #expect(tally(a, "emergency_admissions") == Tally(numerator: 1, denominator: 2))      // the admission of 2025-03-31 is last year's
        #expect(tally(a, "emergency_admissions_65") == Tally(numerator: 1, denominator: 1))   // b is 45
        // Bed days by discharge in the year: 3 (May) + 2 (the spell from March ending 2 April).
        #expect(tally(a, "emergency_bed_days").numerator == 5)
    }

    @Test func readmissionWithin30DaysIsZeroTo29() throws {
        let a = try aggregate([
            person("a", encounters: [admission("2025-05-01", "2025-05-10", emergency: false), admission("2025-06-08", "2025-06-09")]),   // 29 days: readmitted
            person("b", encounters: [admission("2025-05-01", "2025-05-10", emergency: false), admission("2025-06-09", "2025-06-10")]),   // 30 days: not
            person("c", encounters: [admission("2025-07-01", "2025-07-10", destination: "died")]),                                     // died: not a discharge
        ])
        // Discharges alive in the year: a ×2, b ×2 → 4; readmitted: a's first only.
        #expect(tally(a, "readmissions_30d") == Tally(numerator: 1, denominator: 4))
    }

    @Test func atHome91DaysAfterReablement() throws {
        let reablement = #"{"kind":"reablement","start":"2025-10-01","route":"discharge-from-hospital"}"#
        let a = try aggregate([
            person("home", care: [reablement]),
            person("died91", extra: #","death_date":"2025-12-31""#, care: [reablement]),   // day 91 is 2025-12-31: not alive after it
            person("died92", extra: #","death_date":"2026-01-01""#, care: [reablement]),   // alive on day 91: at home
            person("carehome", care: [reablement, #"{"kind":"nursing","start":"2025-12-31","permanent":true}"#]),
            person("young", birth: "1970-01-01", care: [reablement]),
            person("late", care: [#"{"kind":"reablement","start":"2026-01-15","route":"discharge-from-hospital"}"#]),   // day 91 after as-of
        ])
        #expect(tally(a, "at_home_91_days") == Tally(numerator: 2, denominator: 4))
        #expect(tally(a, "care_home_admissions_65") == Tally(numerator: 1, denominator: 5))
    }

    @Test("A&E attendances and MDT reviews: counted by start date in the period")
    func attendancesAndReviews() throws {
        let ae = { (d: String) in #"{"kind":"ae","start":"\#(d)"}"# }
        let review = { (d: String) in #"{"kind":"mdt-review","start":"\#(d)"}"# }
        let a = try aggregate([
            person("a", encounters: [ae("2025-04-01"), ae("2026-03-31"), ae("2025-03-31"), review("2025-06-01")]),   // first and last days count
            person("b", birth: "2000-01-01", encounters: [ae("2025-09-09"), review("2026-04-01"), #"{"kind":"outpatient","start":"2025-09-09"}"#]),
            person("c", extra: #","death_date":"2024-12-01""#, encounters: [ae("2025-05-05")]),   // not in the population
        ])
        #expect(tally(a, "ae_attendances") == Tally(numerator: 3, denominator: 2))
        #expect(tally(a, "mdt_reviews") == Tally(numerator: 1, denominator: 0))   // b's review is after the year
    }

    @Test("pathway compliance: steps met of met, late and missed, for instances triggered in the period; markers and pending steps left out")
    func pathwayCompliance() throws {
        let pathways = #","pathways":{"falls":[{"trigger":{"start":"2025-06-01"},"steps":[{"id":"assess","status":"met"},{"id":"refer","status":"late"},{"id":"flag","status":"met","marker":true}]},"#
            + #"{"trigger":{"start":"2025-08-01"},"steps":[{"id":"assess","status":"missed"},{"id":"refer","status":"pending"}]},"#
            + #"{"trigger":{"start":"2024-08-01"},"steps":[{"id":"assess","status":"met"}]}]}"#
        let a = try aggregate([person("a", extra: pathways)])
        #expect(tally(a, "pathway:falls:assess") == Tally(numerator: 1, denominator: 2))
        #expect(tally(a, "pathway:falls:refer") == Tally(numerator: 0, denominator: 1))
        #expect(a.tallies.keys.contains { $0.metric == "pathway:falls:flag" } == false)
        #expect(a.pathwayTitles["pathway:falls:assess"] != nil)
    }

    @Test("deaths in usual place of residence: home and care home of deaths with a known place; a hospital death from the spell")
    func deathsInUsualPlace() throws {
        let a = try aggregate([
            person("home", extra: #","death_date":"2025-07-01","death_place":"home""#),
            person("carehome", extra: #","death_date":"2025-08-01","death_place":"care-home""#),
            person("hospice", extra: #","death_date":"2025-09-01","death_place":"hospice""#),
            person("spell", extra: #","death_date":"2025-10-03""#, encounters: [admission("2025-10-01", "2025-10-03", destination: "died")]),
            person("unknown", extra: #","death_date":"2025-11-01""#),                                  // place unknown: left out
            person("lastyear", extra: #","death_date":"2025-03-31","death_place":"home""#),            // not in the year
        ])
        #expect(tally(a, "deaths_usual_residence") == Tally(numerator: 2, denominator: 4))
    }

    @Test("the age-standardised rate: events and people by ESP band, every band weighted (hand-computed: 630 per 100,000)")
    func directlyStandardised() throws {
        var lines: [String] = []
        // 100 people aged 70 (band 70-74, weight 5,000) with 10 admissions; 100 aged 30 (30-34,
        // weight 6,500) with 2. DSR = (5000 × 10/100 + 6500 × 2/100) / 100,000 × 100,000 = 630.
        for i in 0..<100 { lines.append(person("old\(i)", birth: "1955-01-01", encounters: i < 10 ? [admission("2025-05-01", "2025-05-02")] : [])) }
        for i in 0..<100 { lines.append(person("young\(i)", birth: "1995-01-01", encounters: i < 2 ? [admission("2025-06-01", "2025-06-02")] : [])) }
        let agg = try aggregate(lines)
        let bands = try #require(agg.bands[Aggregates.Key(metric: "emergency_admissions_dsr", group: MetricRows.system, period: 0)])
        #expect(bands[14] == Tally(numerator: 10, denominator: 100) && bands[6] == Tally(numerator: 2, denominator: 100))
        let dsr = MetricDefinition.standard.first { $0.id == "emergency_admissions_dsr" }!
        let row = try #require(MetricRows.rows(agg, metrics: [dsr], periods: [fy], threshold: 5).first { $0.group == MetricRows.system })
        #expect(abs((row.value ?? 0) - 630) < 1e-9 && row.method == "dsr (dobson)")
        #expect((row.lower ?? 0) < 630 && (row.upper ?? 0) > 630)
        // Below 10 events: not calculated (and said so), not suppressed.
        let few = try aggregate(Array(lines[0..<5] + lines[10..<200]))   // 5 + 2 admissions
        let small = try #require(MetricRows.rows(few, metrics: [dsr], periods: [fy], threshold: 0).first { $0.group == MetricRows.system })
        #expect(small.value == nil && small.method == "not standardised: fewer than 10 events" && !small.suppressed)
    }

    @Test("a population file replaces the stream's denominators; bands fold; the system falls back unless covered")
    func populationFile() throws {
        let dir = NSTemporaryDirectory() + "joinedup-pop-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "group,period,age_band,population\nP1,,65-69,400\nP1,,90-94,30\nP1,,95+,20\nP1,2025-26,0-4,1000\nP2,,0-4,50\n"
            .write(toFile: dir + "/pop.csv", atomically: true, encoding: .utf8)
        let pop = try PopulationFile(path: dir + "/pop.csv")
        let b = try #require(pop.bands(group: "P1", period: fy))
        #expect(b[13] == 400 && b[18] == 50 && b[0] == 1000 && b.reduce(0, +) == 1450)
        #expect(pop.bands(group: "P1", period: Period(parsing: "2024-25")!)?.reduce(0, +) == 450)   // the 2025-26 row is not 2024-25's
        var agg = try aggregate([person("a", encounters: [admission("2025-05-01", "2025-05-02")]),
                                 person("b", encounters: []).replacingOccurrences("P1", "P3")])
        let missing = pop.apply(to: &agg, periods: [fy])
        #expect(missing == [MetricRows.system, "P3"])   // P3 is not in the file, so the system is not covered either
        #expect(tally(agg, "emergency_admissions", group: "P1") == Tally(numerator: 1, denominator: 1450))
        #expect(tally(agg, "emergency_admissions_65", group: "P1") == Tally(numerator: 1, denominator: 450))
        #expect(tally(agg, "emergency_admissions") == Tally(numerator: 1, denominator: 2))   // the stream's
        // A bad band names the file and line.
        try "age_band,population\n0-4,10\n85+,3\n".write(toFile: dir + "/bad.csv", atomically: true, encoding: .utf8)
        #expect(throws: CareError.self) { try PopulationFile(path: dir + "/bad.csv") }
        do { _ = try PopulationFile(path: dir + "/bad.csv") } catch let e as CareError { #expect(e.description.contains("bad.csv:3: age_band")) }
    }

    @Test("monthly series: admissions by start month, bed days by discharge month, A&E, care-home admissions 65+")
    func monthlySeries() throws {
        let a = try aggregate([
            person("a", encounters: [admission("2025-05-30", "2025-06-02"), #"{"kind":"ae","start":"2025-05-30"}"#,
                                     #"{"kind":"ae","start":"2026-04-02"}"#],   // after as-of: not in a series
                   care: [#"{"kind":"residential","start":"2025-07-01","permanent":true}"#, #"{"kind":"residential","start":"2025-08-01","permanent":false}"#]),
            person("young", birth: "1990-01-01", care: [#"{"kind":"nursing","start":"2025-07-01","permanent":true}"#]),   // under 65
        ])
        #expect(a.monthly["emergency_admissions"] == ["2025-05": 1])
        #expect(a.monthly["emergency_bed_days"] == ["2025-06": 3])
        #expect(a.monthly["ae_attendances"] == ["2025-05": 1])
        #expect(a.monthly["care_home_admissions_65"] == ["2025-07": 1])
    }

    @Test("SPC: words and symbols for variation and assurance; a target's monthly value from the baseline months")
    func spcWords() {
        let metric = MetricDefinition.standard.first { $0.id == "emergency_admissions" }!
        // 12 baseline months at 10, then a fall to 2 for 12 months: special cause improvement (lower).
        let values: [Double] = [10, 11, 9, 10, 12, 8, 10, 11, 9, 10, 10, 10] + Array(repeating: 2, count: 12)
        let series = MonthlySeries(metric: metric, points: values.enumerated().map { (month: "m\($0.offset)", value: $0.element) }, baselineMonths: 12)
        #expect(series.chart.variationIcon == "improvement_low")
        #expect(MonthlySeries.variation(series.chart.variationIcon) == ("▼", "special cause: improvement (lower)"))
        #expect(series.monthlyTarget(changePercent: -10) == 9)
        let assurance = series.chart.assurance(target: 9)
        #expect(MonthlySeries.assurance(assurance).words.contains("target"))
        #expect(MonthlySeries.assurance(nil) == ("", "no target"))
        // Limits from the baseline months, then held: the fall to 2 is below the lower limit.
        var held = series
        held.limitsFromBaseline = true
        #expect(held.chart.mean == 10 && held.chart.lpl > 2)
        #expect(held.chart.specialCause.last == "Below LCL" && held.chart.pointType.last == "special_cause_improvement")
        #expect(held.method.contains("the 12 baseline months, then held"))
        // The run length is the caller's: 6 points below the mean make a shift at 6, not at 7.
        let six = MonthlySeries(metric: metric, points: ([10, 10, 10, 10, 10, 10] + Array(repeating: 9.5, count: 6)).map { (month: "m", value: $0) },
                                baselineMonths: 6, runLength: 6)
        #expect(six.chart.shift.suffix(6).allSatisfy { $0 })
        #expect(MonthlySeries(metric: metric, points: six.points, baselineMonths: 6, runLength: 7).chart.shift.allSatisfy { !$0 })
    }

    @Test("funnel plots for rates and percentages name the practices outside 99.8 %")
    func funnels() throws {
        func row(_ id: String, _ group: String, _ x: Double, _ n: Double) -> MetricRow {
            MetricRow(metric: MetricDefinition.standard.first { $0.id == id }!, group: group, period: fy, numerator: x, denominator: n)
        }
        // Readmissions: the system 20 %; P1 60 of 100 is far above; P2 38 of 200 (19 %) is
        // inside (99.8 % limits at 200: 20 ± 3.09 × √(0.2 × 0.8 / 200) = 11.3–28.7 %).
        let rows = [row("readmissions_30d", MetricRows.system, 200, 1000), row("readmissions_30d", "P1", 60, 100),
                    row("readmissions_30d", "P2", 38, 200)]
        let f = try #require(SVGCharts.funnel(rows))
        #expect(f.outliers.map(\.group) == ["P1"] && f.outliers[0].high && f.svg.contains(">P1<"))
        let rates = [row("ae_attendances", MetricRows.system, 100, 1000), row("ae_attendances", "P1", 50, 500), row("ae_attendances", "P2", 50, 500)]
        #expect(try #require(SVGCharts.funnel(rates)).outliers.isEmpty)
        #expect(SVGCharts.funnel(Array(rates.prefix(2))) == nil)   // one practice: nothing to compare
        // Twenty practices spread far wider than chance (10 % … 48 %, 200 each): the limits widen
        // for overdispersion, and a practice at 48 % is then not named, though about 6 standard
        // errors from the system's 29 % (beyond the unadjusted 99.8 % limit of 38.9 %).
        var spread = [row("readmissions_30d", MetricRows.system, 0, 4000)]
        for i in 0..<20 { spread.append(row("readmissions_30d", "P\(i)", Double(20 + 4 * i), 200)) }
        spread[0].numerator = spread.dropFirst().map(\.numerator).reduce(0, +)
        let wide = try #require(SVGCharts.funnel(spread))
        #expect((wide.overdispersion ?? 0) > 0)
        #expect(!wide.outliers.contains { $0.group == "P19" })
        #expect(Funnels.proportion(theta: 0.29, denominator: 200, confidence: 0.998).upper < 0.48)
    }

    @Test func smallCountsAreSuppressedAndCannotBeRecovered() throws {
        var lines: [String] = []
        for i in 0..<40 { lines.append(person("p\(i)", encounters: i < 3 ? [admission("2025-05-01", "2025-05-02")] : []).replacingOccurrences("P1", i % 2 == 0 ? "P1" : "P2")) }
        for i in 0..<20 { lines.append(person("q\(i)", encounters: [admission("2025-05-01", "2025-05-02")]).replacingOccurrences("P1", "P3")) }
        let rows = MetricRows.rows(try aggregate(lines), metrics: [MetricDefinition.standard[0]], periods: [fy], threshold: 5)
        let byGroup = Dictionary(uniqueKeysWithValues: rows.map { ($0.group, $0) })
        // P1 has 2 admissions, P2 1: both suppressed; P3 (20) shown; the system (23) shown.
        #expect(byGroup["P1"]!.suppressed && byGroup["P2"]!.suppressed && !byGroup["P3"]!.suppressed)
        #expect(byGroup["P1"]!.value == nil)
        #expect(byGroup[MetricRows.system]!.numerator == 23 && byGroup[MetricRows.system]!.value != nil)
        let off = MetricRows.rows(try aggregate(lines), metrics: [MetricDefinition.standard[0]], periods: [fy], threshold: 0)
        #expect(off.allSatisfy { !$0.suppressed })
    }

    @Test func periodsParse() {
        #expect(Period(parsing: "2024-25") == Period(name: "2024-25", from: ISODate.parse("2024-04-01")!, to: ISODate.parse("2025-03-31")!))
        #expect(Period(parsing: "FY2024")?.name == "2024-25")
        #expect(Period(parsing: "2024-26") == nil)
        #expect(Period(parsing: "2025-04-01..2025-09-30")?.days == 183)
        #expect(Period.financialYear(containing: ISODate.parse("2026-03-31")!).name == "2025-26")
    }
}

extension String {
    func replacingOccurrences(_ a: String, _ b: String) -> String {
        components(separatedBy: a).joined(separator: b)
    }
}

@Suite struct TargetAndCostTests {
    @Test func progressAndEstimatedCosts() {
        // Bed days: 1,000 in 10,000 people (100 per 1,000) → 800 in 10,000 (80): −20 %.
        var agg = Aggregates()
        agg.tallies[Aggregates.Key(metric: "emergency_bed_days", group: MetricRows.system, period: 0)] = Tally(numerator: 1000, denominator: 10000)
        agg.tallies[Aggregates.Key(metric: "emergency_bed_days", group: MetricRows.system, period: 1)] = Tally(numerator: 800, denominator: 10000)
        let periods = [Period(parsing: "2024-25")!, Period(parsing: "2025-26")!]
        let rows = MetricRows.rows(agg, metrics: [MetricDefinition.standard.first { $0.id == "emergency_bed_days" }!], periods: periods, threshold: 5)
        var report = Report(rows: rows, changes: MetricRows.changes(rows, periods: periods), periods: periods, monthly: [],
                            asOf: ISODate.parse("2026-04-01")!, suppressionThreshold: 5, people: 10000)
        report.targets = TargetsAndCosts.progress(report, targets: ["emergency_bed_days": -14])
        #expect(report.targets.count == 1 && report.targets[0].achievedPercent == -20 && report.targets[0].met == true)
        #expect(TargetsAndCosts.progress(report, targets: ["emergency_bed_days": -25])[0].met == false)
        // 200 fewer bed days at 10,000 people × £400 = −£80,000.
        report.costs = TargetsAndCosts.costs(report, unitCosts: ["bed_day": 400])
        #expect(report.costs.count == 1 && abs(report.costs[0].activityDifference - -200) < 1e-9 && abs(report.costs[0].costDifference - -80_000) < 1e-6)
        let json = String(decoding: ReportJSON.render(report), as: UTF8.self)
        #expect(json.contains(#""target_met":true"#) && json.contains(#""cost_estimate":"bed_day""#) && json.contains("estimate:"))
        #expect(ReportDocuments.markdown(report).contains("an estimate, not an accounting figure"))
    }
}

@Suite("XmR limits for counts")
struct XmRFloorTests {
    @Test("a count's limits are never below zero (Making Data Count); without a floor they are as computed")
    func floor() {
        let y: [Double] = [0, 1, 0, 5, 0, 1, 0, 2, 0, 1]
        let free = XmRChart(y)
        #expect(free.lpl < 0)
        let counts = XmRChart(y, floor: 0)
        #expect(counts.lpl == 0 && counts.nlpl >= 0 && counts.upl == free.upl)
        #expect(!counts.outside.contains(true) || y.enumerated().allSatisfy { !counts.outside[$0.offset] || $0.element > counts.upl })
    }
}

@Suite("XmR trend turning points")
struct XmRTurningPointTests {
    /// NHSRplotthedots labels a point shared by a falling and a rising 7-point trend by the
    /// trend to its right (the issue's differential test on 3,000 series found the trough
    /// labelled "Decreasing" here).
    @Test("a trough between a falling and a rising trend is Increasing; a peak between a rising and a falling one is Decreasing")
    func turningPoints() {
        // Big steps at the ends, small ones near the turn: the turning point is inside the limits.
        let trough: [Double] = [20, 14, 13.9, 13.8, 13.7, 13.6, 13.5, 13.6, 13.7, 13.8, 13.9, 14, 20]
        let t = XmRChart(trough, screenOutliers: false)
        #expect(t.specialCause[6] == "7 Point Trend (Increasing)")
        #expect(t.specialCause[5] == "7 Point Trend (Decreasing)" && t.specialCause[7] == "7 Point Trend (Increasing)")
        let peak = trough.map { 34 - $0 }
        let p = XmRChart(peak, screenOutliers: false)
        #expect(p.specialCause[6] == "7 Point Trend (Decreasing)")
        #expect(p.specialCause[5] == "7 Point Trend (Increasing)")
    }
}

/// Numbers as the report writes them for people.
@Suite struct ReportFormatTests {
    @Test func thousandsSignsAndMoney() {
        #expect(ReportFormat.grouped(5473.4) == "5,473.4" && ReportFormat.grouped(1234567) == "1,234,567" && ReportFormat.grouped(-980.25, places: 2) == "−980.25")
        #expect(ReportFormat.signed(7.8) == "+7.8" && ReportFormat.signed(-18) == "−18" && ReportFormat.signed(0.01) == "±0")
        #expect(ReportFormat.pounds(2500, pence: true) == "£2,500.00" && ReportFormat.pounds(12.5, pence: true) == "£12.50")
        #expect(ReportFormat.pounds(-3076.4, sign: true) == "−£3,076" && ReportFormat.pounds(1016, sign: true) == "+£1,016")
        #expect("weeks of care".singular == "week of care" && "bed days".singular == "bed day")
    }

    @Test func axisTicksAreRound() {
        #expect(SVGCharts.ticks(0, 70) == [0, 10, 20, 30, 40, 50, 60, 70])
        #expect(SVGCharts.ticks(18.5, 51) == [20, 25, 30, 35, 40, 45, 50])
        #expect(SVGCharts.ticks(0, 0.9).count >= 4)
    }
}
