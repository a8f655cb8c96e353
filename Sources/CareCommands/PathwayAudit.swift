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

        Definitions are checked first: an unknown field, a bad window, an expression that does not \
        parse or steps that refer to each other in a cycle stop the run with the file, line and \
        column (exit 78).

        Examples:
          pathway-audit scored.jsonl --pathways examples/pathways --as-of 2026-04-01 > audited.jsonl
          pathway-audit scored.jsonl --pathways examples/pathways/emergency-discharge-follow-up.yaml --summary --group-by practice
          pathway-audit scored.jsonl --pathways examples/pathways --summary --format csv -o compliance.csv
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

    @Flag(help: "Only check the definitions, then exit.")
    public var check = false

    @Option(help: ArgumentHelp("Threads auditing at once (output is the same whatever the number).", valueName: "n"))
    public var threads: Int = 2

    @OptionGroup public var asOf: AsOfOption
    @OptionGroup public var common: CommonOptions

    public init() {}

    public func validate() throws {
        if pathways.isEmpty { throw ValidationError("give at least one --pathways file or folder (examples/pathways has a library)") }
        if !["jsonl", "csv"].contains(format) { throw ValidationError("--format is jsonl or csv") }
        if format == "csv" && !summary { throw ValidationError("--format csv goes with --summary (records are JSON Lines)") }
        try CommonOptions.validateThreads(threads)
    }

    /// The definition files: each file given, and the .yaml/.yml files of each folder, by name.
    func files() throws -> [String] {
        var out: [String] = []
        for p in pathways {
            var st = stat()
            guard stat(p, &st) == 0 else { throw CareError(.noInput, "cannot open \(p): \(String(cString: strerror(errno)))") }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                guard let dir = opendir(p) else { throw CareError(.noInput, "cannot read the folder \(p)") }
                var names: [String] = []
                while let e = readdir(dir) {
                    let name = withUnsafeBytes(of: e.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
                    if name.hasSuffix(".yaml") || name.hasSuffix(".yml") { names.append(name) }
                }
                closedir(dir)
                out += names.sorted().map { "\(p)/\($0)" }
            } else {
                out.append(p)
            }
        }
        return out
    }

    public func run() throws {
        try ProgramRunner.run("pathway-audit") {
            var definitions: [PathwayDefinition] = []
            for f in try files() {
                do { definitions.append(try PathwayDefinition(path: f)) } catch let e as PathwayError {
                    throw CareError(.config, e.description)
                }
            }
            if let dup = Dictionary(grouping: definitions, by: \.id).first(where: { $0.value.count > 1 }) {
                throw CareError(.config, "pathway id '\(dup.key)' is defined twice (\(dup.value.map(\.file).joined(separator: ", ")))")
            }
            if check {
                if !common.quiet { Stderr.write("pathway-audit: \(definitions.count) pathways checked: \(definitions.map(\.id).joined(separator: ", "))") }
                return
            }
            let diagnostics = try common.diagnostics(program: "pathway-audit", unit: "people")
            var options = PathwayOptions(asOf: try asOf.asOf())
            options.summary = summary
            options.csv = format == "csv"
            _ = try ExpressionChecker().checkField(groupBy.split(separator: ".", omittingEmptySubsequences: false).map(String.init), option: "--group-by")
            options.groupBy = groupBy
            options.threads = threads
            let file = try InputFile(path: input)
            try ProgramRunner.stream(diagnostics, output: common.output) { write in
                try PathwayRun.run(input: file, pathways: definitions, options: options, diagnostics: diagnostics, write: write)
                return "\(definitions.count) pathways; as of \(options.asOf)"
            }
        }
    }
}
