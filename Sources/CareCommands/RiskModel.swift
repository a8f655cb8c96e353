import ArgumentParser
import CareCore
import CareModel
import CareRisk

/// `risk-model`: fit and validate a local, transparent emergency-admission model.
public struct RiskModel: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "risk-model",
        abstract: "Fit and validate a transparent emergency-admission model on your own records; write it for risk-score.",
        discussion: """
        Takes person records (as ingest-gp and risk-score write them) and a day in the past \
        (--as-of). Everyone aged 18 or over, alive and registered on that day is in; each gets \
        the features of docs/admission-model.md computed only from what was recorded \
        before the day, and the outcome: at least one emergency admission starting in the \
        --horizon after it (the records must reach that far). A logistic regression (optionally \
        with an L2 --penalty) is fitted by Newton-Raphson; the model file (-o, JSON) holds every \
        feature's definition, coefficient, standard error, odds ratio and 95 % interval, the \
        fit's C-statistic (DeLong interval), calibration and deciles, and the AUC of each \
        published index (eFI, HFRS, Charlson, Elixhauser) on the same people and outcome.

        --validate-as-of applies the fitted model at a later day and reports the same figures on \
        what then happened (temporal validation); --bootstrap N corrects the AUC and calibration \
        slope for optimism by N refits on resamples. --card writes a model card (HTML, or Markdown \
        for .md) with the ROC curve, the calibration plot and a forest plot; --design writes the \
        design matrix and outcome the fit used (CSV), to check it elsewhere (scripts/check-logistic.py).

        risk-score --models admission:MODEL.json applies the model tonight.

        Examples:
          risk-model history.jsonl --as-of 2024-04-01 --validate-as-of 2025-04-01 --penalty 1 -o admission-model.json --card model-card.html
          risk-model history.jsonl --as-of 2024-04-01 --horizon 6m --penalty 1 --bootstrap 20 -o model.json
          risk-model history.jsonl --as-of 2024-04-01 --penalty 1 --design design.csv -o model.json --card model-card.md
        """,
        version: ToolVersion.text)

    @Argument(help: ArgumentHelp("Person records (JSON Lines): a file (it is read once per day).", valueName: "file"),
              completion: .file(extensions: ["jsonl"]))
    public var input: String

    @Option(help: ArgumentHelp("How far ahead the outcome looks (like 12m, 6m, 365d).", valueName: "duration"))
    public var horizon: String = "12m"

    @Option(name: .customLong("validate-as-of"), help: ArgumentHelp("Apply the fitted model on this later day and report how it did (temporal validation).", valueName: "date"))
    public var validateAsOf: String?

    @Option(help: ArgumentHelp("L2 penalty on the coefficients (0: none).", valueName: "lambda"))
    public var penalty: Double = 0

    @Option(help: ArgumentHelp("Bootstrap refits for the optimism-corrected AUC and calibration slope (0: none).", valueName: "n"))
    public var bootstrap: Int = 0

    @Option(help: ArgumentHelp("Write the model card: HTML, or Markdown when FILE ends .md.", valueName: "file"), completion: .file(extensions: ["html", "md"]))
    public var card: String?

    @Option(help: ArgumentHelp("Write the design matrix and outcome the fit used (CSV).", valueName: "file"), completion: .file(extensions: ["csv"]))
    public var design: String?

    @Option(help: ArgumentHelp("eFI code lists for the eFI feature (as risk-score --codelists).", valueName: "dir"), completion: .directory)
    public var codelists: String?

    @Option(help: ArgumentHelp("Threads reading at once.", valueName: "n"))
    public var threads: Int = 2

    @OptionGroup public var asOf: AsOfOption
    @OptionGroup public var deprivation: DeprivationOption
    @OptionGroup public var common: CommonOptions

    public init() {}

    public func validate() throws {
        if input == "-" { throw ValidationError("give the records as a file: risk-model reads them once for each day") }
        if penalty < 0 || !penalty.isFinite { throw ValidationError("--penalty is 0 or more") }
        if bootstrap < 0 || bootstrap > 10_000 { throw ValidationError("--bootstrap is between 0 and 10000") }
        try CommonOptions.validateThreads(threads)
    }

    public func run() throws {
        try ProgramRunner.run("risk-model") {
            guard case .literal(.duration(let h))? = try? Expression.parse(horizon), h.days > 0 || h.months > 0 else {
                throw CareError(.usage, "--horizon: '\(horizon)' is not a duration (like 12m or 365d)")
            }
            let day = try asOf.asOf()
            var later: ISODate?
            if let v = validateAsOf {
                guard let d = ISODate.parse(v) else { throw CareError(.usage, "--validate-as-of: '\(v)' is not a date (YYYY-MM-DD)") }
                guard d > day else { throw CareError(.usage, "--validate-as-of \(d) must be after --as-of \(day)") }
                later = d
            }
            let diagnostics = try common.diagnostics(program: "risk-model", unit: "people")
            let models = try ModelSet(ModelSet.parse("efi,hfrs,charlson,elixhauser"), codelists: codelists, warn: diagnostics.warn)
            let table = try deprivation.table()
            let file = try InputFile(path: input)
            let data = try AdmissionData.read(file, day: day, horizon: h, models: models, deprivation: table, threads: threads, diagnostics: diagnostics)
            // The design first: when the fit fails, it is what to look at.
            if let design {
                let out = try OutputFile(path: design)
                try out.write(Array((["y"] + AdmissionFeature.allCases.map(\.rawValue)).joined(separator: ",").utf8) + [0x0A])
                for r in data.rows {
                    try out.write(Array(((r.outcome! ? "1" : "0") + "," + r.features.map { "\($0)" }.joined(separator: ",") + "\n").utf8))
                }
                try out.commit()
            }
            var model = try AdmissionFitting.fit(data, asOf: day, horizon: h, penalty: penalty, input: Mask.path(input))
            if bootstrap > 0 {
                let o = try AdmissionFitting.optimism(model, data, repetitions: bootstrap)
                model.optimism = (bootstrap, o.auc, o.slope)
            }
            if let later {
                let quiet = try Diagnostics(program: "risk-model", unit: "people", quiet: true)
                let validation = try AdmissionData.read(try InputFile(path: input), day: later, horizon: h, models: models, deprivation: table,
                                                        threads: threads, diagnostics: quiet)
                model.validation = try AdmissionFitting.evaluate(model, validation, asOf: later)
            }
            model.setReference(model.validation ?? model.fit!)
            if let card {
                let out = try OutputFile(path: card)
                try out.write(Array((card.hasSuffix(".md") ? ModelCard.markdown(model) : ModelCard.html(model)).utf8))
                try out.commit()
            }
            try ProgramRunner.stream(diagnostics, output: common.output) { write in
                try write(model.json)
                let fit = model.fit!
                var extra = "fitted on \(fit.people) people on \(day), \(fit.events) admitted in the \(h) after; AUC \(ModelCard.n(fit.auc.value, 3))"
                if let v = model.validation { extra += "; validated on \(v.people) people on \(v.asOf): AUC \(ModelCard.n(v.auc.value, 3)), calibration slope \(ModelCard.n(v.calibration.slope))" }
                return extra
            }
        }
    }
}
