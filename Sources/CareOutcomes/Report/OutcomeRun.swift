import CareCore

public struct OutcomeOptions: Sendable {
    public var asOf: ISODate
    public var baseline: Period
    public var period: Period
    /// Group rows by this record field besides the whole system (`practice` by default).
    public var groupBy = "practice"
    /// Counts from 1 to threshold − 1 are suppressed; 0 turns disclosure control off.
    public var suppressionThreshold = 5
    public var threads = 2
    /// Where each person's IMD quintile comes from.
    public var deprivation: DeprivationTable = .bundled
    /// Population denominators by age band (`--population`), instead of the person stream's.
    public var population: PopulationFile?
    /// SPC: the length of a shift or trend, and whether the limits come from the baseline only.
    public var spcRunLength = 7
    public var spcLimitsFromBaseline = false

    public init(asOf: ISODate, baseline: Period, period: Period) {
        self.asOf = asOf; self.baseline = baseline; self.period = period
    }
}

/// One outcome-report run: person lines in, aggregates (groups × periods × metrics) out.
public enum OutcomeRun {
    struct Worker {
        var aggregates = Aggregates()
        var record: RecordScope
        var asOfCheck = AsOfCheck()
    }

    /// Reads the person records and adds them up: the tallies, before any statistics.
    public static func tally(input: InputFile, options: OutcomeOptions, diagnostics: Diagnostics) throws -> OutcomeTallies {
        let periods = [options.baseline, options.period]
        var parallel = ParallelLines(workers: (0..<max(1, options.threads)).map { _ in Worker(record: RecordScope(asOf: options.asOf, deprivation: options.deprivation)) })
        let source = input.name
        let groupPath = options.groupBy.split(separator: ".").map(String.init)
        try parallel.run(LineReader(input), diagnostics: diagnostics, write: { _ in }) { worker, line, number, _, shard in
            shard.countRead(1)
            guard try worker.record.loadPerson(line, number: number, source: source, accounting: shard, reader: "outcome-report") else { return 0 }
            let g = worker.record.value(groupPath)
            let group = g == .null ? "(no \(options.groupBy))" : g.description
            worker.aggregates.add(worker.record, groups: [group], periods: periods, asOf: options.asOf)
            // The newest encounter (the list is in date order and already parsed), and the days
            // earlier programs computed for.
            if let s = worker.record.elements("encounters").last?["start"]?.stringValue, let d = ISODate.parse(s) { worker.asOfCheck.see(d) }
            worker.asOfCheck.seeStamps(in: worker.record)
            return 1
        }
        var total = Aggregates()
        var check = AsOfCheck()
        for w in parallel.workers { total.merge(w.aggregates); check.merge(w.asOfCheck) }
        return OutcomeTallies(asOf: options.asOf, periods: periods, groupBy: options.groupBy, deprivation: options.deprivation.edition,
                              program: "outcome-report \(ToolVersion.number)",
                              people: diagnostics.read - diagnostics.rejectedTotal - diagnostics.filteredTotal,
                              aggregates: total, asOfCheck: check)
    }

    /// One whole run: the person records read, added up and reported.
    public static func run(input: InputFile, options: OutcomeOptions, diagnostics: Diagnostics) throws -> Report {
        try report(tally(input: input, options: options, diagnostics: diagnostics), options: options, diagnostics: diagnostics)
    }

    /// The report of tallies (one run's, or several merged): the day, the periods and the groups
    /// are the tallies'; disclosure control, population denominators and the charts' settings are
    /// `options`'. Nobody in them is an error: a report on no one is not a report.
    public static func report(_ tallies: OutcomeTallies, options: OutcomeOptions, diagnostics: Diagnostics) throws -> Report {
        guard tallies.people > 0 else {
            throw CareError(.dataError, "no person records to report on: an empty or wholly rejected input is not a report of nobody")
        }
        let periods = tallies.periods
        var options = options
        options.asOf = tallies.asOf
        options.baseline = periods[0]
        options.period = periods[1]
        var total = tallies.aggregates
        AsOfCheck.warn([tallies.asOfCheck], asOf: options.asOf, to: diagnostics)
        var denominators = "the person stream (people registered in each period)"
        if let population = options.population {
            let missing = population.apply(to: &total, periods: periods)
            denominators = "the population file \(population.name)"
            if !missing.isEmpty {
                diagnostics.warn("\(population.name) has no population for \(missing.joined(separator: ", ")): their denominators are the person stream's")
                denominators += " (the person stream for \(missing.joined(separator: ", ")))"
            }
        }
        var metrics = MetricDefinition.standard
        for (id, title) in total.pathwayTitles.sorted(by: { $0.key < $1.key }) {
            metrics.append(MetricDefinition(id: id, title: title.item, kind: .proportion, section: title.pathway, higherIsBetter: true))
        }
        let rows = MetricRows.rows(total, metrics: metrics, periods: periods, threshold: options.suppressionThreshold)
        // The monthly series over both periods (months with nothing count 0), to --as-of.
        var months: [String] = []
        var m = ISODate(year: options.baseline.from.year, month: options.baseline.from.month, day: 1)
        while m <= options.period.to && m <= options.asOf {
            months.append(String(m.description.prefix(7)))
            m = Duration(months: 1).moving(m)
        }
        let allSeries = Aggregates.seriesMetrics.compactMap { id -> MonthlySeries? in
            guard let metric = metrics.first(where: { $0.id == id }), !months.isEmpty else { return nil }
            return MonthlySeries(metric: metric, points: months.map { (month: $0, value: total.monthly[id]?[$0] ?? 0) },
                                 baselineMonths: months.filter { $0 <= String(options.baseline.to.description.prefix(7)) }.count,
                                 runLength: options.spcRunLength, limitsFromBaseline: options.spcLimitsFromBaseline)
        }
        // Disclosure control reaches the charts too: a month with a count from 1 to threshold − 1
        // turns the series quarterly, and one still small by quarter is withheld (and said).
        var series: [MonthlySeries] = [], withheld: [String] = []
        for s in allSeries {
            if let safe = s.disclosureSafe(threshold: options.suppressionThreshold) { series.append(safe) } else { withheld.append(s.metric.title) }
        }
        var report = Report(rows: rows, changes: MetricRows.changes(rows, periods: periods), periods: periods,
                      monthly: series, asOf: options.asOf,
                      suppressionThreshold: options.suppressionThreshold, people: tallies.people,
                      denominators: denominators)
        report.withheldSeries = withheld
        report.inequalities = Inequality.compute(rows, metrics: metrics, periods: periods)
        return report
    }
}
