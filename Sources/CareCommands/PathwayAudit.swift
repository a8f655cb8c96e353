import ArgumentParser
import CareCore
import CarePathways
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `pathway-audit`: person records in, each person's journey checked against care pathways.
public struct PathwayAudit: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "pathway-audit",
        abstract: "Check each person's journey against declarative care pathways; flag missed, late and duplicated steps.",
        discussion: """
        Each --pathways file (YAML; a folder means every .yaml in it) defines a trigger (an \
        encounter, event or care episode matched by an expression, or the person on a date), steps \
        with windows (within 7d after trigger.end, before trigger.start, between A and B), optional \
        outcomes at a horizon (at: trigger.end + 91d, holds: not deceased and …), and what counts \
        as a duplicated assessment. docs/pathways.md is the reference; examples/pathways/ is a \
        library of pathways from integrated-care programmes.

        Adds "pathways" to each record: per pathway, one instance per trigger, each step met (date, \
        days taken), late (days late), missed, pending (window still open at --as-of) or \
        not-applicable, outcomes likewise, the instance's status, the contacts in its episode and \
        repeated assessments by different services. --summary writes instead the compliance per \
        step and outcome per group (JSON Lines, or CSV with --format csv), for outcome-report.

        A step or trigger may look in several lists: from: [encounters, events] with one match, or \
        any: a list of {from, match}. A match may name a code list: code in codelist("falls") reads \
        falls.csv (OpenCodelists CSV: code,term, optionally system) from the pathway's own codelists/ \
        folder or a --codelists folder, which wins where both have a list of that name. A person \
        trigger dated "entered" (date: entered, with a where) starts the day the person entered the \
        group where defines: --history FILE carries those days from night to night.

        Definitions are checked first: an unknown field, a bad window, an expression that does not \
        parse or steps that refer to each other in a cycle stop the run with the file, line and \
        column (exit 78).

        Examples:
          pathway-audit scored.jsonl --pathways examples/pathways --as-of 2026-04-01 > audited.jsonl
          pathway-audit scored.jsonl --pathways examples/pathways/emergency-discharge-follow-up.yaml --summary --group-by practice
          pathway-audit scored.jsonl --pathways examples/pathways --summary --format csv -o compliance.csv
          pathway-audit scored.jsonl --pathways examples/pathways --history lists/pathway-history.csv -o audited.jsonl
          pathway-audit scored.jsonl --pathways examples/pathways --codelists ~/opencodelists --summary
          pathway-audit --check --pathways my-pathways/
        """,
        version: ToolVersion.text)

    @Argument(help: ArgumentHelp("Person records (JSON Lines), or - for standard input.", valueName: "file"),
              completion: .file(extensions: ["jsonl"]))
    public var input: String = "-"

    @Option(help: ArgumentHelp("A pathway definition (YAML), or a folder of them; repeat for more.", valueName: "path"),
            completion: .file(extensions: ["yaml", "yml"]))
    public var pathways: [String] = []

    @Flag(help: "Write the compliance per step and outcome per group instead of the records.")
    public var summary = false

    @Option(help: ArgumentHelp("With --summary: jsonl or csv.", valueName: "format"), completion: .list(["jsonl", "csv"]))
    public var format: String = "jsonl"

    @Option(name: .customLong("group-by"), help: ArgumentHelp("With --summary: one row set per practice, team or value of any field path.", valueName: "field"))
    public var groupBy: String = "practice"

    @Option(help: ArgumentHelp("A folder of code lists (OpenCodelists CSV files, NAME.csv) that codelist(\"NAME\") may name; its lists replace a pathway folder's own of the same name. Repeat for more.", valueName: "dir"),
            completion: .directory)
    public var codelists: [String] = []

    @Option(help: ArgumentHelp("Read, then rewrite, the days people entered the groups of pathways dated 'entered' (the MDT-review pathway's high-risk group): give the same file every night.", valueName: "file"),
            completion: .file(extensions: ["csv"]))
    public var history: String?

    @Flag(help: "Only check the definitions, then exit.")
    public var check = false

    @Option(help: ArgumentHelp("Threads auditing at once (output is the same whatever the number).", valueName: "n"))
    public var threads: Int = 2

    @OptionGroup public var asOf: AsOfOption
    @OptionGroup public var deprivation: DeprivationOption
    @OptionGroup public var common: CommonOptions

    public init() {}

    public func validate() throws {
        if pathways.isEmpty { throw ValidationError("give at least one --pathways file or folder (examples/pathways has a library)") }
        if !["jsonl", "csv"].contains(format) { throw ValidationError("--format is jsonl or csv") }
        if format == "csv" && !summary { throw ValidationError("--format csv goes with --summary (records are JSON Lines)") }
        try CommonOptions.validateThreads(threads)
    }

    public func run() throws {
        try ProgramRunner.run("pathway-audit") {
            let library: PathwayLibrary
            do { library = try PathwayLibrary(paths: pathways, codelists: codelists) } catch let e as PathwayError {
                throw CareError(.config, e.description)
            } catch let e as CareError where e.status == .dataError {
                throw CareError(.config, e.message)
            }
            let definitions = library.definitions
            if check {
                if !common.quiet { Stderr.write("pathway-audit: \(definitions.count) pathways checked: \(definitions.map(\.id).joined(separator: ", "))") }
                return
            }
            let diagnostics = try common.diagnostics(program: "pathway-audit", unit: "people")
            for n in Set(library.notes).sorted() { diagnostics.note(n) }
            var options = PathwayOptions(asOf: try asOf.asOf())
            options.deprivation = try deprivation.table()
            let entered = definitions.filter(\.trigger.entered).map(\.id)
            var historyOut: OutputFile?
            if let history {
                if access(history, F_OK) == 0 {
                    options.history = try PathwayHistory(path: history, tonight: options.asOf)
                } else if !entered.isEmpty {
                    diagnostics.note("no history yet at \(history): everyone in the groups of \(entered.joined(separator: ", ")) enters tonight")
                }
                historyOut = try OutputFile(path: history)
            } else if !entered.isEmpty {
                diagnostics.warn("\(entered.joined(separator: ", ")) \(entered.count == 1 ? "is" : "are") dated by the day each person entered the group; without --history FILE that day is tonight for everyone, so no instance can be late or missed: give the same --history file every night")
            }
            options.summary = summary
            options.csv = format == "csv"
            _ = try ExpressionChecker().checkField(groupBy.split(separator: ".", omittingEmptySubsequences: false).map(String.init), option: "--group-by")
            options.groupBy = groupBy
            options.threads = threads
            let file = try InputFile(path: input)
            try ProgramRunner.stream(diagnostics, output: common.output) { write in
                let tonight = try PathwayRun.run(input: file, pathways: definitions, options: options, diagnostics: diagnostics, write: write)
                if let historyOut {
                    try historyOut.write(tonight.rendered(asOf: options.asOf))
                    try historyOut.commit()
                }
                return "\(definitions.count) pathways; as of \(options.asOf)" + (historyOut == nil ? "" : "; \(tonight.count) in entered groups")
            }
        }
    }
}
