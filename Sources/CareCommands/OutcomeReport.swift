import ArgumentParser
import CareCore
import CareOutcomes

/// `outcome-report`: person records in, the commissioners' outcome report out.
public struct OutcomeReport: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "outcome-report",
        abstract: "The commissioners' outcome report: rates with intervals, baseline against period, practices compared, charts.",
        discussion: """
        Reads person records (after risk-score and pathway-audit, or straight from ingest-gp) and \
        adds up, for the whole system and each practice (--group-by), the metrics of docs/metrics.md \
        for a baseline and a period (financial years by default: the last complete year before \
        --as-of, against the year before it): emergency admissions (crude, and age-standardised to \
        the European Standard Population 2013) and bed days, A&E attendances, 30-day readmissions, \
        permanent care-home admissions 65+ (ASCOF 2A), at home 91 days after reablement (ASCOF \
        2B(1)), deaths in usual place of residence, MDT reviews, and each pathway step's \
        compliance from "pathways". Population denominators are the people registered in each \
        period, or a file by five-year age band (--population).

        Rates carry 95 % intervals (exact Poisson below 10 events, Byar from 10), standardised \
        rates Dobson intervals, percentages Wilson intervals, changes a rate ratio or a difference \
        with its interval. The HTML report (inline CSS and SVG: no network, no scripts; prints to \
        A4) adds monthly XmR charts with their variation and assurance (Making Data Count) and \
        funnel plots of practices with outliers named. Disclosure control is on: counts from 1 to \
        4 are suppressed, with the next smallest practice where one would be recoverable; \
        --no-suppression turns it off and says so in the output.

        Inequalities (NHS England Core20PLUS5): every metric also by IMD quintile of the person's \
        area (from lsoa; the English Indices of Deprivation 2019, MHCLG, bundled: contains public \
        sector information licensed under the Open Government Licence v3.0; --imd FILE for another \
        edition), by ethnic group (the five ONS groups) and Core20 against the rest, with the same \
        intervals and disclosure control (worked out within each breakdown); the slope and \
        relative index of inequality across IMD quintiles as PHEindicatormethods' phe_sii \
        (simulated 95 % intervals, seeded), the Core20 rate ratio, and in words whether the gap \
        narrowed. Rows are grouped imd_quintile=1 … 5 and =unknown, ethnic_group=…, core20=yes/no.

        Memory is groups × periods × metrics (and months), never the number of people.

        Examples:
          outcome-report audited.jsonl --as-of 2026-04-01 -o report.html
          outcome-report audited.jsonl --baseline 2023-24 --period 2025-26 --format markdown
          outcome-report scored.jsonl --period 2025-04-01..2025-09-30 --baseline 2024-04-01..2024-09-30 --format csv -o rows.csv
          outcome-report audited.jsonl --targets examples/outcomes/targets.csv \\
            --unit-costs examples/outcomes/unit-costs.csv -o report.html
          outcome-report audited.jsonl --population list-sizes.csv --format markdown
          outcome-report audited.jsonl --group-by team --format jsonl | jq .

        Tallies that merge (docs/scale-out.md): --format tallies writes what the report adds up \
        (counts, denominators, age-band counts, monthly series) before any rounding, suppression or \
        statistics; --merge reads tallies files made for the same --as-of, periods and --group-by \
        (from any split of the people: Spark partitions, or organisations that share only \
        aggregates) and writes the report, byte for byte the one a single run on all the people \
        gives. Tallies are not disclosure-controlled: suppression is applied at the merge.
          outcome-report part-1.jsonl --as-of 2026-04-01 --format tallies -o part-1.tallies
          outcome-report --merge part-*.tallies --targets examples/outcomes/targets.csv -o report.html
        """,
        version: ToolVersion.text)

    public enum Format: String, ExpressibleByArgument, CaseIterable { case html, markdown, csv, jsonl, tallies }

    @Argument(help: ArgumentHelp("Person records (JSON Lines), or - for standard input; with --merge, tallies files.", valueName: "file"),
              completion: .file(extensions: ["jsonl", "tallies"]))
    public var inputs: [String] = []

    @Flag(help: "Read tallies files (--format tallies) and report on them all, as one run on all their people would.")
    public var merge = false

    @Option(help: ArgumentHelp("The baseline: a financial year (2024-25 or FY2024) or FROM..TO dates.", valueName: "period"))
    public var baseline: String?

    @Option(help: ArgumentHelp("The period reported on, as --baseline.", valueName: "period"))
    public var period: String?

    @Option(name: .customLong("group-by"), help: ArgumentHelp("Compare practices, teams, or values of any field path (default: practice).", valueName: "field"))
    public var groupBy: String?

    @Option(help: ArgumentHelp("html, markdown, csv, jsonl, or tallies (what the report adds up, to --merge).", valueName: "format"))
    public var format: Format = .html

    @Option(name: .customLong("suppress-below"), help: ArgumentHelp("Suppress counts from 1 to N − 1 (default: 5).", valueName: "n"))
    public var suppressBelow: Int?

    @Flag(name: .customLong("no-suppression"), help: "Turn disclosure control off (stamped into the output).")
    public var noSuppression = false

    @Option(help: ArgumentHelp("CSV of metric,change_percent: progress of each against its target change from the baseline.", valueName: "file"),
            completion: .file(extensions: ["csv"]))
    public var targets: String?

    @Option(name: .customLong("unit-costs"), help: ArgumentHelp("CSV of item,cost (bed_day, care_home_week, ae_attendance, emergency_admission): an estimated cost difference.", valueName: "file"),
            completion: .file(extensions: ["csv"]))
    public var unitCosts: String?

    @Option(help: ArgumentHelp("CSV of [group,][period,]age_band,population: population denominators by five-year band (0-4 … 90+) instead of the people in the stream.", valueName: "file"),
            completion: .file(extensions: ["csv"]))
    public var population: String?

    public enum SPCLimits: String, ExpressibleByArgument, CaseIterable { case all, baseline }

    @Option(name: .customLong("spc-limits"),
            help: ArgumentHelp("XmR process limits from every month (all, the default), or from the baseline months and then held (is the period different from before?).", valueName: "from"))
    public var spcLimits: SPCLimits?

    @Option(name: .customLong("spc-run-length"), help: ArgumentHelp("Points in a run that signals a shift or a trend (Making Data Count: 7, the default).", valueName: "n"))
    public var spcRunLength: Int?

    @Option(help: ArgumentHelp("Threads reading at once (the report is the same whatever the number; default: 2).", valueName: "n"))
    public var threads: Int?

    @OptionGroup public var asOf: AsOfOption
    @OptionGroup public var deprivation: DeprivationOption
    @OptionGroup public var common: CommonOptions

    public init() {}

    public func validate() throws {
        if let s = suppressBelow, s < 1 { throw ValidationError("--suppress-below must be at least 1 (use --no-suppression to turn it off)") }
        for (name, v) in [("--baseline", baseline), ("--period", period)] {
            if let v, Period(parsing: v) == nil { throw ValidationError("\(name): '\(v)' is not a financial year (2024-25, FY2024) or FROM..TO") }
        }
        if let threads { try CommonOptions.validateThreads(threads) }
        if let n = spcRunLength, n < 5 || n > 12 { throw ValidationError("--spc-run-length must be between 5 and 12 (Making Data Count uses 7; some use 6 or 8)") }
        // Each option belongs to one side of a split run: what is added up (the day, the periods,
        // the groups, the areas) is fixed by the tallies; how they are reported, at the merge.
        let reportOptions: [(String, Bool)] = [("--targets", targets != nil), ("--unit-costs", unitCosts != nil), ("--population", population != nil),
                                               ("--suppress-below", suppressBelow != nil), ("--no-suppression", noSuppression),
                                               ("--spc-limits", spcLimits != nil), ("--spc-run-length", spcRunLength != nil)]
        let tallyOptions: [(String, Bool)] = [("--as-of", asOf.asOfText != nil), ("--baseline", baseline != nil), ("--period", period != nil),
                                              ("--group-by", groupBy != nil), ("--imd", deprivation.imd != nil), ("--threads", threads != nil)]
        if merge {
            if inputs.isEmpty { throw ValidationError("--merge needs the tallies files to merge (made by --format tallies)") }
            if format == .tallies { throw ValidationError("--merge writes a report: --format html, markdown, csv or jsonl (to add tallies up into one file, merge them at the end instead)") }
            if let (name, _) = tallyOptions.first(where: \.1) {
                throw ValidationError("\(name) is fixed when the tallies are made (their header records it); --merge takes it from them")
            }
        } else {
            if inputs.count > 1 { throw ValidationError("one input file (or - for standard input); to report on several tallies files, use --merge") }
            if format == .tallies, let (name, _) = reportOptions.first(where: \.1) {
                throw ValidationError("\(name) shapes the report, which --format tallies does not write: give it to outcome-report --merge")
            }
        }
    }

    public func run() throws {
        try ProgramRunner.run("outcome-report") {
            let diagnostics = try common.diagnostics(program: "outcome-report", unit: merge ? "tallies files" : "people")
            let tallies: OutcomeTallies
            var options: OutcomeOptions
            if merge {
                var merged: OutcomeTallies?
                for path in inputs {
                    let t = try OutcomeTallies.read(try InputFile(path: path))
                    diagnostics.countRead(1)
                    diagnostics.countEmitted(1)
                    if merged == nil { merged = t } else { try merged!.merge(t, name: path) }
                }
                tallies = merged!
                options = OutcomeOptions(asOf: tallies.asOf, baseline: tallies.periods[0], period: tallies.periods[1])
            } else {
                let day = try asOf.asOf()
                let reported = period.flatMap(Period.init(parsing:)) ?? Period.financialYear(containing: Duration(months: 12).moving(day, sign: -1))
                let base = baseline.flatMap(Period.init(parsing:))
                    ?? Period(parsing: "FY\(reported.from.year - 1)").map { p in reported.name.contains("..") ? Period(name: "baseline", from: Duration(months: 12).moving(reported.from, sign: -1), to: Duration(months: 12).moving(reported.to, sign: -1)) : p }!
                options = OutcomeOptions(asOf: day, baseline: base, period: reported)
                options.deprivation = try deprivation.table()
                let groupBy = self.groupBy ?? "practice"
                _ = try ExpressionChecker().checkField(groupBy.split(separator: ".", omittingEmptySubsequences: false).map(String.init), option: "--group-by")
                options.groupBy = groupBy
                options.threads = threads ?? 2
                let file = try InputFile(path: inputs.first ?? "-")
                if format == .tallies {
                    // What is added up, and nothing else: no report, so no report options.
                    try ProgramRunner.stream(diagnostics, output: common.output) { write in
                        let t = try OutcomeRun.tally(input: file, options: options, diagnostics: diagnostics)
                        guard t.people > 0 else {
                            throw CareError(.dataError, "no person records to add up (read \(diagnostics.read)): an empty or wholly rejected input")
                        }
                        try write(t.render())
                        return "tallies of \(t.people) people for \(reported.name) against \(base.name); as of \(day)"
                    }
                    return
                }
                tallies = try OutcomeRun.tally(input: file, options: options, diagnostics: diagnostics)
            }
            options.suppressionThreshold = noSuppression ? 0 : suppressBelow ?? 5
            options.population = try population.map { try PopulationFile(path: $0) }
            options.spcRunLength = spcRunLength ?? 7
            options.spcLimitsFromBaseline = spcLimits == .baseline
            if noSuppression { diagnostics.warn("disclosure control is off: the output shows small numbers and says so") }
            let targetList = try targets.map { try TargetsAndCosts.readTargets($0) }
            let costList = try unitCosts.map { try TargetsAndCosts.readCosts($0) }
            let day = tallies.asOf
            try ProgramRunner.stream(diagnostics, output: common.output) { write in
                var report = try OutcomeRun.report(tallies, options: options, diagnostics: diagnostics)
                if let targetList { report.targets = TargetsAndCosts.progress(report, targets: targetList) }
                if let costList { report.costs = TargetsAndCosts.costs(report, unitCosts: costList) }
                switch format {
                case .html: try write(Array(ReportDocuments.html(report).utf8))
                case .markdown: try write(Array(ReportDocuments.markdown(report).utf8))
                case .csv: try write(ReportCSV.render(report))
                case .jsonl: try write(ReportJSON.render(report))
                case .tallies: preconditionFailure("--format tallies is written above")
                }
                let unknownArea = report.rows.first { $0.metric.id == "emergency_admissions" && $0.group == "imd_quintile=unknown" && $0.period == report.periods[1] }
                let unknown = unknownArea.map { $0.suppressed ? "; IMD unknown for a few people (suppressed)" : "; IMD unknown for \(Int($0.denominator)) people (no or unknown LSOA)" } ?? ""
                let people = merge ? "; \(report.people) people" : ""
                return "\(report.periods[1].name) against \(report.periods[0].name)\(people); as of \(day)\(unknown)"
            }
        }
    }
}
