import ArgumentParser
import CareCore
import CareModel
import CareRisk

extension RiskOptions.Format: ExpressibleByArgument {}

/// `risk-score`: person records in, the same records with published risk scores and the
/// reasons behind them out.
public struct RiskScore: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "risk-score",
        abstract: "Add published risk scores (eFI, HFRS, Charlson, Elixhauser, LACE), with their reasons, to person records.",
        discussion: """
        Reads person records (JSON Lines, one person per line, as ingest-gp writes them) and adds \
        "risk": one object per model with its score, category or band, version, whether the person \
        is in the population the model was made for, and the reasons - every deficit, condition or \
        category that counted, with the code, system, date and source behind it. Every other key \
        is passed through byte for byte; an earlier "risk" is replaced.

        Models (docs/models.md gives each definition and its source):
          efi          electronic Frailty Index, Clegg 2016 (36 deficits; 65 and over)
          hfrs         Hospital Frailty Risk Score, Gilbert 2018 (ICD-10, 2 years; 75 and over)
          charlson     Charlson index over Quan 2005 ICD-10; variants quan2011 (default), charlson1987
          elixhauser   Elixhauser over Quan 2005 ICD-10, van Walraven 2009 weights
          lace         LACE readmission index, van Walraven 2010 (latest discharge)
          admission:MODEL.json
                       a locally fitted emergency-admission model (risk-model writes it): the
                       probability, its centile and band (top 0.5/2/5 %) in the population the
                       model was validated on, and the largest contributions, in words

        The bundled eFI code list is a starter list (the published example codes); each run says \
        so. --codelists DIR gives the full lists: a local clone of the Greater Manchester SDE code \
        sets (github.com/UoM-Data-Science-Platforms/gm-sde, its shared/clinical-code-sets folder as \
        published), or a folder of OpenCodelists CSV files named after each deficit.

        Examples:
          ingest-gp examples/data/ics/gp examples/data/ics/hospital examples/data/ics/council | risk-score --as-of 2026-04-01 > scored.jsonl
          risk-score people.jsonl --models efi,hfrs -o scored.jsonl
          risk-score people.jsonl --models charlson:charlson1987,elixhauser --lookback-years 3
          risk-score people.jsonl --explain 9990000034 --as-of 2026-04-01
          risk-score people.jsonl --format text | head -40
          risk-score people.jsonl --codelists ~/codelists/efi --rejects bad-lines.jsonl -o scored.jsonl
          risk-score people.jsonl --codelists ~/gm-sde/shared/clinical-code-sets -o scored.jsonl
          risk-score history.jsonl --models efi,hfrs,charlson,admission:admission-model.json --as-of 2026-04-01 -o scored.jsonl
        """,
        version: ToolVersion.text)

    @Argument(help: ArgumentHelp("Person records (JSON Lines), or - for standard input.", valueName: "file"),
              completion: .file(extensions: ["jsonl"]))
    public var input: String = "-"

    @Option(help: ArgumentHelp("Models to compute, comma-separated, each optionally with :variant (default: efi,hfrs,charlson,elixhauser,lace).", valueName: "list"),
            completion: .list(["efi", "hfrs", "charlson", "charlson:quan2011", "charlson:charlson1987", "elixhauser", "lace"]))
    public var models: String?

    @Option(help: ArgumentHelp("Folder of eFI code lists replacing the bundled starter list: OpenCodelists CSV files (SLUG.csv or SLUG.SYSTEM.csv with a code column), or a gm-sde clinical-code-sets folder (CATEGORY/efi-SLUG/1/efi-SLUG.SYSTEM.txt).", valueName: "dir"),
            completion: .directory)
    public var codelists: String?

    @Option(name: .customLong("lookback-years"), help: ArgumentHelp("Years of hospital diagnoses Charlson, Elixhauser and LACE read, up to --as-of.", valueName: "n"))
    public var lookbackYears: Int = 5

    @Option(help: ArgumentHelp("Output: jsonl (records with \"risk\") or text (an explanation per person).", valueName: "format"))
    public var format: RiskOptions.Format = .jsonl

    @Option(help: ArgumentHelp("Explain one person's scores as text (repeat for several); everyone else is left out.", valueName: "id"))
    public var explain: [String] = []

    @Option(help: ArgumentHelp("Threads scoring at once (output is the same whatever the number).", valueName: "n"))
    public var threads: Int = 2

    @OptionGroup public var asOf: AsOfOption
    @OptionGroup public var deprivation: DeprivationOption
    @OptionGroup public var common: CommonOptions

    public init() {}

    public func validate() throws {
        if lookbackYears < 1 || lookbackYears > 100 { throw ValidationError("--lookback-years must be between 1 and 100") }
        try CommonOptions.validateThreads(threads)
    }

    public func run() throws {
        try ProgramRunner.run("risk-score") {
            let diagnostics = try common.diagnostics(program: "risk-score", unit: "people")
            // admission:MODEL.json is the locally fitted model (risk-model); the rest are published.
            var modelText = models
            var admissionPath: String?
            if let text = models {
                let items = text.split(separator: ",").map { String($0).trimmingSpaces }
                let admission = items.filter { $0 == "admission" || $0.hasPrefix("admission:") }
                if admission.count > 1 { throw CareError(.usage, "--models: admission given twice") }
                if let a = admission.first {
                    guard a.hasPrefix("admission:"), a.count > 10 else { throw CareError(.usage, "--models: admission needs its model file: admission:MODEL.json (risk-model writes it)") }
                    admissionPath = String(a.dropFirst(10))
                    let rest = items.filter { $0 != a }
                    modelText = rest.isEmpty ? nil : rest.joined(separator: ",")
                    if rest.isEmpty { modelText = "efi,hfrs,charlson" }
                }
            }
            let choices = try modelText.map { try ModelSet.parse($0) } ?? ModelSet.Name.allCases.map { ModelSet.Choice(name: $0) }
            let modelSet = try ModelSet(choices, codelists: codelists, lookbackYears: lookbackYears, warn: diagnostics.warn)
            if let efi = modelSet.efi {
                if efi.codeList == EFIModel.starterName { diagnostics.note(EFIModel.starterNote) }
                else { diagnostics.note("eFI code lists: \(efi.codeCount) codes from \(codelists ?? "")\(efi.skipped.isEmpty ? "" : "; not read: " + efi.skipped.joined(separator: ", "))") }
            }
            var options = RiskOptions(asOf: try asOf.asOf())
            options.format = format
            // An NHS number as lists print it ("999 000 0034") is the same id.
            options.explain = explain.isEmpty ? nil : Set(explain.map { id in
                let digits = id.filter { $0 != " " }
                return digits.count == 10 && digits.allSatisfy(\.isNumber) ? digits : id
            })
            options.threads = threads
            let file = try InputFile(path: input)
            var addition: (() -> any RiskAddition)?
            if let admissionPath {
                let model = try AdmissionModel(path: admissionPath)
                let indexModels = try ModelSet(ModelSet.parse("efi,hfrs,charlson"), codelists: codelists)
                let table = try deprivation.table()
                let day = options.asOf
                addition = { AdmissionScorer(model: model, models: indexModels, asOf: day, deprivation: table) }
                if model.reference == nil { diagnostics.warn("\(admissionPath) has no reference population: no centiles or bands (refit with this risk-model)") }
            }
            try ProgramRunner.stream(diagnostics, output: common.output) { write in
                try RiskRun.run(input: file, models: modelSet, options: options, diagnostics: diagnostics, addition: addition, write: write)
                if let explain = options.explain, diagnostics.emitted < explain.count {
                    diagnostics.warn("\(explain.count - diagnostics.emitted) of the --explain ids were not in the input")
                }
                return "as of \(options.asOf)"
            }
        }
    }
}
