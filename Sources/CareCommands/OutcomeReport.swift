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
        """,
        version: ToolVersion.text)

    public enum Format: String, ExpressibleByArgument, CaseIterable { case html, markdown, csv, jsonl }

    @Argument(help: ArgumentHelp("Person records (JSON Lines), or - for standard input.", valueName: "file"),
              completion: .file(extensions: ["jsonl"]))
    public var input: String = "-"

    @Option(help: ArgumentHelp("The baseline: a financial year (2024-25 or FY2024) or FROM..TO dates.", valueName: "period"))
    public var baseline: String?

    @Option(help: ArgumentHelp("The period reported on, as --baseline.", valueName: "period"))
    public var period: String?

    @Option(name: .customLong("group-by"), help: ArgumentHelp("Compare practices, teams, or values of any field path.", valueName: "field"))
    public var groupBy: String = "practice"

    @Option(help: ArgumentHelp("html, markdown, csv or jsonl.", valueName: "format"))
    public var format: Format = .html

    @Option(name: .customLong("suppress-below"), help: ArgumentHelp("Suppress counts from 1 to N − 1.", valueName: "n"))
    public var suppressBelow: Int = 5

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
            help: ArgumentHelp("XmR process limits from every month, or from the baseline months and then held (is the period different from before?).", valueName: "from"))
    public var spcLimits: SPCLimits = .all

    @Option(name: .customLong("spc-run-length"), help: ArgumentHelp("Points in a run that signals a shift or a trend (Making Data Count: 7).", valueName: "n"))
    public var spcRunLength: Int = 7

    @Option(help: ArgumentHelp("Threads reading at once (the report is the same whatever the number).", valueName: "n"))
    public var threads: Int = 2

    @OptionGroup public var asOf: AsOfOption
    @OptionGroup public var deprivation: DeprivationOption
    @OptionGroup public var common: CommonOptions

    public init() {}

    public func validate() throws {
        if suppressBelow < 1 { throw ValidationError("--suppress-below must be at least 1 (use --no-suppression to turn it off)") }
        for (name, v) in [("--baseline", baseline), ("--period", period)] {
            if let v, Period(parsing: v) == nil { throw ValidationError("\(name): '\(v)' is not a financial year (2024-25, FY2024) or FROM..TO") }
        }
        try CommonOptions.validateThreads(threads)
        if spcRunLength < 5 || spcRunLength > 12 { throw ValidationError("--spc-run-length must be between 5 and 12 (Making Data Count uses 7; some use 6 or 8)") }
    }

    public func run() throws {
        try ProgramRunner.run("outcome-report") {
            let day = try asOf.asOf()
            let reported = period.flatMap(Period.init(parsing:)) ?? Period.financialYear(containing: Duration(months: 12).moving(day, sign: -1))
            let base = baseline.flatMap(Period.init(parsing:))
                ?? Period(parsing: "FY\(reported.from.year - 1)").map { p in reported.name.contains("..") ? Period(name: "baseline", from: Duration(months: 12).moving(reported.from, sign: -1), to: Duration(months: 12).moving(reported.to, sign: -1)) : p }!
            var options = OutcomeOptions(asOf: day, baseline: base, period: reported)
            options.deprivation = try deprivation.table()
            _ = try ExpressionChecker().checkField(groupBy.split(separator: ".", omittingEmptySubsequences: false).map(String.init), option: "--group-by")
            options.groupBy = groupBy
            options.suppressionThreshold = noSuppression ? 0 : suppressBelow
            options.threads = threads
            options.population = try population.map { try PopulationFile(path: $0) }
            options.spcRunLength = spcRunLength
            options.spcLimitsFromBaseline = spcLimits == .baseline
            let diagnostics = try common.diagnostics(program: "outcome-report", unit: "people")
            if noSuppression { diagnostics.warn("disclosure control is off: the output shows small numbers and says so") }
            let targetList = try targets.map { try TargetsAndCosts.readTargets($0) }
            let costList = try unitCosts.map { try TargetsAndCosts.readCosts($0) }
            let file = try InputFile(path: input)
            try ProgramRunner.stream(diagnostics, output: common.output) { write in
                var report = try OutcomeRun.run(input: file, options: options, diagnostics: diagnostics)
                if let targetList { report.targets = TargetsAndCosts.progress(report, targets: targetList) }
                if let costList { report.costs = TargetsAndCosts.costs(report, unitCosts: costList) }
                switch format {
                case .html: try write(Array(ReportDocuments.html(report).utf8))
                case .markdown: try write(Array(ReportDocuments.markdown(report).utf8))
                case .csv: try write(ReportCSV.render(report))
                case .jsonl: try write(ReportJSON.render(report))
                }
                let unknownArea = report.rows.first { $0.metric.id == "emergency_admissions" && $0.group == "imd_quintile=unknown" && $0.period == report.periods[1] }
                let unknown = unknownArea.map { $0.suppressed ? "; IMD unknown for a few people (suppressed)" : "; IMD unknown for \(Int($0.denominator)) people (no or unknown LSOA)" } ?? ""
                return "\(report.periods[1].name) against \(report.periods[0].name); as of \(day)\(unknown)"
            }
        }
    }
}
