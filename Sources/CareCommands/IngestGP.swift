import ArgumentParser
import CareCore
import CareIngest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension PresetName: ExpressibleByArgument {}

/// `ingest-gp`: GP, hospital and social-care extracts → one merged person record per line.
public struct IngestGP: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "ingest-gp",
        abstract: "Join GP, hospital and social-care extracts into one person record per line (JSON Lines).",
        discussion: """
        Each SOURCE is read with the format given by --format, or by a FORMAT: prefix on the \
        source (synthea:DIR, tables:DIR, gp2gp:PATH, fhir:PATH, demographics:FILE). CSV formats \
        take a folder of tables; gp2gp and fhir take a file, a folder (sub-folders too) or - for \
        standard input. Rows need not be sorted: they are grouped by person in bounded memory \
        (--memory), spilling sorted runs to --temp-dir. People found in several sources are merged \
        into one record, keyed by NHS number; disagreements are kept in the record's "conflicts". \
        Output is sorted by id.

        Every record read (a table row, a GP2GP statement, a FHIR resource) ends up emitted, \
        filtered (opt-out, free text without a code, ...) or rejected with its file, line, field \
        and reason; the summary on standard error reconciles the counts.

        XML is read with libxml2, hardened: no network, no DTD (a <!DOCTYPE> is refused, so no \
        entity can be declared: no XXE, no billion laughs), libxml2's depth and size limits, and at \
        most 64 MB per expanded entry; memory does not grow with the file.

        Formats:
          synthea       Synthea CSV output folder (patients, encounters, conditions...)
          tables        flat UK tables: patients, clinical_events, medications, apcs,
                        ec, opa, social_care
          gp2gp         GP2GP EHR extracts (HL7 v3 RCMR_IN030000UK06/UK07 XML),
                        one person per EhrExtract
          fhir          FHIR R4 (UK Core) and STU3 (GP Connect) resources and
                        Bundles: .json, .ndjson, .xml
          demographics  a patients-table CSV (nhs_number, date_of_birth, sex, ...)
                        completing people found in other sources
        Columns and mappings, field by field: docs/formats.md.

        Examples:
          ingest-gp examples/data/ics/gp examples/data/ics/hospital \\
            examples/data/ics/council -o people.jsonl
          ingest-gp --format synthea examples/data/synthea > people.jsonl
          ingest-gp --format gp2gp examples/data/gp2gp \\
            --demographics examples/data/gp2gp-demographics.csv
          ingest-gp gp2gp:examples/data/gp2gp fhir:examples/data/fhir \\
            tables:examples/data/ics/hospital -o people.jsonl
          ingest-gp --format fhir bulk/Patient.ndjson bulk/Condition.ndjson
          jq -c . gpconnect-record.json | ingest-gp fhir:- | head -1
          ingest-gp hes-extract/ --mapping hes-columns.csv -o people.jsonl
          ingest-gp extract/ --pseudonymise key.bin --pseudonym-map map.csv \\
            --opt-out optout.txt -o people.jsonl
          ingest-gp big-extract/ --memory 1G --temp-dir /var/tmp -o people.jsonl
        """,
        version: ToolVersion.text)

    @Argument(help: ArgumentHelp("Sources, each PATH or FORMAT:PATH (a folder of tables; for gp2gp and fhir also a file, or -).", valueName: "source"),
              completion: .file())
    public var sources: [String] = []

    @Option(name: [.customLong("format"), .customLong("preset")],
            help: ArgumentHelp("Format of sources given without a FORMAT: prefix (--preset is the older name); without it, each such source's format is told from its content, and said.", valueName: "format"))
    public var preset: PresetName?

    @Flag(name: .customLong("allow-empty"), help: "Let a run emit nobody, or keep going when a source has every record rejected (otherwise exit 65, nothing written).")
    public var allowEmpty = false

    @Option(help: ArgumentHelp("A demographics CSV (nhs_number, date_of_birth, sex, practice, ...) completing people found in the sources; repeatable.", valueName: "file"),
            completion: .file(extensions: ["csv"]))
    public var demographics: [String] = []

    @Option(help: ArgumentHelp("Memory the grouping may use before spilling to disk (e.g. 64M, 1G).", valueName: "size"))
    public var memory: ByteSize = ByteSize(bytes: IngestOptions.defaultMemoryBudget)

    @Option(name: .customLong("temp-dir"), help: ArgumentHelp("Folder for spilled runs (default: $TMPDIR or /tmp).", valueName: "dir"),
            completion: .directory)
    public var tempDir: String?

    @Option(help: ArgumentHelp("Replace NHS numbers by HMAC-SHA256 pseudonyms keyed by KEYFILE (mode 600, at least 32 bytes); nhs_number is dropped.", valueName: "keyfile"),
            completion: .file())
    public var pseudonymise: String?

    @Option(name: .customLong("pseudonym-map"), help: ArgumentHelp("With --pseudonymise: also write a pseudonym,nhs_number CSV (mode 600) for re-identification where allowed.", valueName: "file"))
    public var pseudonymMap: String?

    @Option(name: .customLong("ethnicity-codes"), help: ArgumentHelp("An OpenCodelists CSV of the codes GP entries record ethnicity with (code or snomedcode, and Grouping_16: 1-16), such as OpenSAFELY's ethnicity-snomed-0removed: the latest such entry sets the person's ethnicity.", valueName: "file"),
            completion: .file(extensions: ["csv"]))
    public var ethnicityCodes: String?

    @Option(name: .customLong("opt-out"), help: ArgumentHelp("Leave out the people whose NHS numbers FILE lists (one per line); counted in the summary.", valueName: "file"),
            completion: .file())
    public var optOut: String?

    @Flag(help: "Keep each event's description as \"term\" where the source has one.")
    public var terms = false

    @Option(help: ArgumentHelp("Tables preset: a CSV of table,column,their_column giving the extract's own file and column names (docs/formats.md).", valueName: "file"),
            completion: .file(extensions: ["csv"]))
    public var mapping: String?

    @Option(help: ArgumentHelp("Tables read at once, each on its own thread (output is the same whatever the number).", valueName: "n"))
    public var threads: Int = IngestOptions.defaultReaders

    @Option(help: ArgumentHelp("Read only these tables of CSV table folders (with every patients table): comma-separated names (clinical_events, medications, apcs, ec, opa, social_care) or groups (gp, hospital, social-care). Records say which tables they hold (tables_read), and programs that need others refuse them.", valueName: "tables"))
    public var only: String?

    @OptionGroup public var common: CommonOptions

    public init() {}

    public func validate() throws {
        if sources.isEmpty { throw ValidationError("give at least one source (see --help)") }
        if sources.filter({ $0 == "-" || $0.hasSuffix(":-") }).count > 1 { throw ValidationError("standard input (-) can be given once") }
        try CommonOptions.validateThreads(threads)
        if let only {
            do { _ = try TableSelection(parsing: only) } catch let e as CareError { throw ValidationError(e.message) }
        }
        for s in sources where s.contains(":") {
            let name = String(s.split(separator: ":", maxSplits: 1)[0])
            if PresetName(rawValue: name) == nil && !FileProbe.exists(s) {
                throw ValidationError("unknown format '\(name)' in '\(s)' (formats: \(PresetName.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }
    }

    /// DIR or PRESET:DIR → a source spec. A source with neither a prefix nor --format is read
    /// in the format its content shows (SourceDetection), and the run says so.
    func specs() throws -> [SourceSpec] {
        try sources.map { s in
            if let colon = s.firstIndex(of: ":"), !FileProbe.exists(s),
               let p = PresetName(rawValue: String(s[..<colon])) {
                return SourceSpec(preset: p, path: String(s[s.index(after: colon)...]))
            }
            if let preset { return SourceSpec(preset: preset, path: s) }
            guard let choice = try SourceDetection.detect(s) else { return SourceSpec(preset: .tables, path: s) }
            if !common.quiet && choice.format != .tables {
                Stderr.write("ingest-gp: note: reading \(Mask.path(s)) as \(choice.format.rawValue): \(choice.because) (say \(choice.format.rawValue):PATH or --format to choose)")
            }
            return SourceSpec(preset: choice.format, path: s)
        } + demographics.map { SourceSpec(preset: .demographics, path: $0) }
    }

    public func run() throws {
        try ProgramRunner.run("ingest-gp") {
            let diagnostics = try common.diagnostics(program: "ingest-gp", unit: "records")
            let output = try OutputTarget(path: common.output, asynchronous: true)
            var options = IngestOptions(sources: try specs(), memoryBudget: memory.bytes,
                                        temporaryFolder: tempDir ?? FileProbe.temporaryFolder,
                                        pseudonymKeyFile: pseudonymise, pseudonymMapFile: pseudonymMap,
                                        optOutFile: optOut, withTerms: terms, readers: threads,
                                        mapping: try mapping.map { try TableMapping(path: $0) } ?? TableMapping(),
                                        allowEmpty: allowEmpty)
            options.ethnicityCodes = try ethnicityCodes.map { try EthnicityCodes(path: $0) }
            if let only {
                options.only = try TableSelection(parsing: only)
                if let other = options.sources.first(where: { $0.preset != .tables && $0.preset != .demographics }) {
                    throw CareError(.usage, "--only chooses tables of CSV table folders; \(Mask.path(other.path)) is read as \(other.preset.rawValue)")
                }
            }
            do {
                let summary = try IngestRun.run(options, diagnostics: diagnostics, output: output)
                try output.commit()
                var extra = "\(summary.people) people"
                if summary.mergedPeople > 0 { extra += " (\(summary.mergedPeople) merged from several sources, \(summary.conflicts) conflicts kept)" }
                if summary.optedOutPeople > 0 { extra += "; \(summary.optedOutPeople) people opted out" }
                if summary.spilledRuns > 0 { extra += "; spilled \(summary.spilledRuns) sorted runs to disk" }
                try diagnostics.finish(extra: extra)
            } catch {
                output.abandon()
                diagnostics.abandon()
                throw error
            }
        }
    }
}

extension FileProbe {
    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }
}
