import ArgumentParser
import CareCore
import CareEvaluation
import CareModel
import CareOutcomes

/// `impact-report`: did the intervention work? Matched controls and difference-in-differences.
public struct ImpactReport: ParsableCommand {
    public enum Format: String, ExpressibleByArgument, CaseIterable, Sendable { case html, markdown, csv, jsonl }

    public static let configuration = CommandConfiguration(
        commandName: "impact-report",
        abstract: "Evaluate an intervention with matched controls: balance, difference-in-differences, the naive change beside it.",
        discussion: """
        Takes person records (as risk-score or pathway-audit write them) and an intervention: a \
        list and a condition on its elements (--intervention 'encounters where kind = "mdt-review"'). \
        A person whose first matching element falls in --from to --to is treated, indexed at the \
        first of that month. Controls are people not treated before the index month, adults alive \
        and registered at it, meeting --eligible; for each index month a seeded sample of up to \
        --pool per treated person is drawn. The features are the admission model's \
        (docs/admission-model.md), from records before the index. A propensity score (logistic \
        regression) is matched exactly on the index month, the band of emergency admissions in the \
        year before and --exact fields, then 1:--ratio nearest neighbour on its logit within \
        --caliper standard deviations, without replacement; with --prognostic MODEL.json also on \
        a fitted admission model's predicted log-odds, within the same caliper on its scale. \
        Unmatched treated people are counted and described.

        For emergency admissions, bed days, A&E attendances, elective admissions, permanent \
        care-home admission and death, in --window before and after the index: the matched \
        difference-in-differences with a 95 % interval from a cluster bootstrap over matched sets \
        (--bootstrap, --seed), beside the treated people's own before-after change, which \
        regression to the mean moves by itself. Deaths end follow-up. With --unit-costs \
        (outcome-report's file) the cost difference is estimated. Balance: standardised mean \
        differences and variance ratios before and after matching, as a table and a Love plot.

        Counts from 1 to 4 are suppressed in every output; --no-suppression turns it off and \
        says so. The records are read twice, so the input is a file. docs/evaluation.md explains \
        the design and how to read the report.

        Examples:
          impact-report planted.jsonl --intervention 'events where kind = "mdt-review"' --from 2024-04-01 --to 2025-03-31 --eligible 'age >= 65' -o impact.html
          impact-report planted.jsonl --intervention 'events where kind = "mdt-review"' --from 2024-04-01 --to 2025-03-31 --exact sex --ratio 2 --format markdown
          impact-report planted.jsonl --intervention 'events where kind = "mdt-review"' --from 2024-04-01 --to 2025-03-31 --prognostic planted-model.json -o impact.html
          impact-report planted.jsonl --intervention 'events where kind = "mdt-review"' --from 2024-04-01 --to 2025-03-31 --unit-costs examples/outcomes/unit-costs.csv --format jsonl -o impact.jsonl
        """,
        version: ToolVersion.text)

    @Argument(help: ArgumentHelp("Person records (JSON Lines): a file (it is read twice).", valueName: "file"), completion: .file(extensions: ["jsonl"]))
    public var input: String

    @Option(help: ArgumentHelp("The intervention: a list and a condition on its elements, like 'encounters where kind = \"mdt-review\"'.", valueName: "list where condition"))
    public var intervention: String

    @Option(help: ArgumentHelp("First day of the period the index dates fall in.", valueName: "date"))
    public var from: String

    @Option(help: ArgumentHelp("Last day of that period.", valueName: "date"))
    public var to: String

    @Option(help: ArgumentHelp("Who can be treated or a control, at the index (besides adults alive and registered), like 'age >= 65'.", valueName: "condition"))
    public var eligible: String?

    @Option(help: ArgumentHelp("Fields matched exactly besides the index month, comma-separated (like sex,age_band,practice).", valueName: "fields"))
    public var exact: String?

    @Option(help: ArgumentHelp("Controls per treated person.", valueName: "k"))
    public var ratio: Int = 1

    @Option(help: ArgumentHelp("Caliper in standard deviations of the propensity logit.", valueName: "sd"))
    public var caliper: Double = 0.2

    @Option(help: ArgumentHelp("Length of the before and after windows (like 12m).", valueName: "duration"))
    public var window: String = "12m"

    @Option(help: ArgumentHelp("Candidate controls drawn per treated person in each index month.", valueName: "n"))
    public var pool: Int = 50

    @Option(help: ArgumentHelp("Bootstrap resamples of the matched sets for the intervals.", valueName: "n"))
    public var bootstrap: Int = 1000

    @Option(help: ArgumentHelp("Seed of the control sample and the bootstrap.", valueName: "n"))
    public var seed: UInt64 = 20261130

    @Option(help: ArgumentHelp("A fitted admission model (risk-model writes it): match also on its prognostic score.", valueName: "model.json"),
            completion: .file(extensions: ["json"]))
    public var prognostic: String?

    @Option(help: ArgumentHelp("L2 penalty of the propensity model.", valueName: "lambda"))
    public var penalty: Double = 1

    @Option(name: .customLong("unit-costs"), help: ArgumentHelp("CSV of item,cost (emergency_admission, bed_day, ae_attendance): an estimated cost difference.", valueName: "file"),
            completion: .file(extensions: ["csv"]))
    public var unitCosts: String?

    @Option(help: "Output format.")
    public var format: Format = .html

    @Flag(name: .customLong("no-suppression"), help: "Turn disclosure control off (stamped into the output).")
    public var noSuppression = false

    @Option(help: ArgumentHelp("eFI code lists for the eFI feature (as risk-score --codelists).", valueName: "dir"), completion: .directory)
    public var codelists: String?

    @Option(help: ArgumentHelp("Threads reading at once.", valueName: "n"))
    public var threads: Int = 2

    @OptionGroup public var deprivation: DeprivationOption
    @OptionGroup public var common: CommonOptions

    public init() {}

    public func validate() throws {
        if input == "-" { throw ValidationError("give the records as a file: impact-report reads them twice") }
        if ratio < 1 || ratio > 10 { throw ValidationError("--ratio is from 1 to 10") }
        if !(caliper > 0) || !caliper.isFinite { throw ValidationError("--caliper is above 0") }
        if pool < 1 || pool > 1000 { throw ValidationError("--pool is from 1 to 1000") }
        if bootstrap < 100 || bootstrap > 100_000 { throw ValidationError("--bootstrap is from 100 to 100000") }
        if penalty < 0 || !penalty.isFinite { throw ValidationError("--penalty is 0 or more") }
        try CommonOptions.validateThreads(threads)
    }

    public func run() throws {
        try ProgramRunner.run("impact-report") {
            guard let start = ISODate.parse(from), start.precision == .day else { throw CareError(.usage, "--from: '\(from)' is not a date (YYYY-MM-DD)") }
            guard let end = ISODate.parse(to), end.precision == .day else { throw CareError(.usage, "--to: '\(to)' is not a date (YYYY-MM-DD)") }
            guard start <= end else { throw CareError(.usage, "--from \(start) is after --to \(end)") }
            guard case .literal(.duration(let w))? = try? Expression.parse(window), w.days > 0 || w.months > 0 else {
                throw CareError(.usage, "--window: '\(window)' is not a duration (like 12m)")
            }
            let checker = ExpressionChecker()
            var design = ImpactDesign(intervention: try Intervention(intervention, checker: checker), from: start, to: end)
            if let eligible {
                do { design.eligibility = try checker.checkCondition(try Expression.parse(eligible), text: eligible) } catch {
                    throw CareError(.usage, "--eligible: \(error)")
                }
                design.eligibilityText = eligible
            }
            if let exact {
                design.exact = try exact.split(separator: ",").map { f in
                    let path = String(f).trimmingSpaces.split(separator: ".").map(String.init)
                    _ = try checker.checkField(path, option: "--exact")
                    return path
                }
            }
            design.ratio = ratio; design.caliper = caliper; design.window = w; design.pool = pool
            design.bootstrap = bootstrap; design.seed = seed; design.penalty = penalty
            design.deprivation = try deprivation.table(); design.codelists = codelists
            if let prognostic { design.prognostic = try AdmissionModel(path: prognostic) }
            if let unitCosts { design.unitCosts = try TargetsAndCosts.readCosts(unitCosts) }
            let diagnostics = try common.diagnostics(program: "impact-report", unit: "people")
            let path = input
            let data = try ImpactData.read({ try InputFile(path: path) }, design: design, threads: threads, diagnostics: diagnostics)
            var evaluation = try ImpactEvaluation(design: design, data: data)
            if noSuppression { evaluation.suppressionThreshold = 0; diagnostics.warn("disclosure control is off (--no-suppression): do not publish this output") }
            try ProgramRunner.stream(diagnostics, output: common.output) { write in
                switch format {
                case .html: try write(Array(ImpactDocuments.html(evaluation).utf8))
                case .markdown: try write(Array(ImpactDocuments.markdown(evaluation).utf8))
                case .csv: try write(Array(ImpactDocuments.csv(evaluation).utf8))
                case .jsonl: try write(ImpactDocuments.jsonl(evaluation))
                }
                let effect = evaluation.effects.rows.first { $0.outcome == .emergencyAdmissions }!.effect
                return "\(data.treated.count) treated, \(evaluation.matching.sets.count) matched (\(evaluation.matching.unmatched.count) not); emergency admissions per person-year \(ModelCard.n(effect.value)) (\(ModelCard.n(effect.lower)) to \(ModelCard.n(effect.upper)))"
            }
        }
    }
}
