import ArgumentParser
import CareCore
import CareMDT

extension ListFormat: ExpressibleByArgument {}

/// `mdt-list`: scored person records in, the review list each MDT needs out.
public struct MDTList: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "mdt-list",
        abstract: "Pick, rank and shape the people each multidisciplinary team (MDT) should review.",
        discussion: """
        Reads person records with "risk" (as risk-score writes them) and writes, per practice, team \
        or any field (--group-by), the top people by --rank-by among those matching --where. Left \
        out of every list, and counted by reason: people who have died, opted out (--opt-out), \
        have no active registration, are on the exclusions list until its date (--exclusions), or \
        had an mdt-review encounter within --review-gap. With --previous (last night's JSON Lines \
        list) each entry is new or continuing, and those who left are listed with the reason. \
        When the records carry "pathways" (pathway-audit's output), each person's open pathway \
        steps (with the day each is due) and those missed in the last 28 days (overdue) are listed \
        under "What happens next", in every format. --title names the selection for people; the \
        expression is then kept in small print. An empty night says so, with where everyone went.

        --where takes an expression (docs/expressions.md): paths into the record (risk.efi.category, \
        practice), derived fields (age, age_band, deceased, registered), comparisons (= != < <= > >=; \
        category words compare in order: fit < mild < moderate < severe, low < intermediate < high), \
        and, or, not, + and - with durations (365d, 12w, 6m, 2y), and \
        count(encounters|events|care where EXPR in last DURATION).

        For cron: --out-dir writes one file per group and an index, each atomically, holding a lock \
        so two runs never overlap (a second run exits 75); re-running with the same inputs and \
        --as-of gives byte-identical files. examples/cron/ has a nightly script.

        Examples:
          mdt-list scored.jsonl --as-of 2026-04-01 --top 10 --format markdown
          mdt-list scored.jsonl --where 'risk.efi.category >= moderate and age >= 65 and not deceased' --top-percent 2
          mdt-list audited.jsonl --title "Moderate or severe frailty, 65 and over" --where 'risk.efi.category >= moderate and age >= 65' --format html --out-dir lists/
          mdt-list scored.jsonl --where 'risk.hfrs.score > 15 or count(encounters where kind = "admission" and method = "emergency" in last 365d) >= 2'
          mdt-list scored.jsonl --group-by team --teams teams.csv --rank-by risk.efi.score,risk.lace.score:desc --format html --out-dir lists/
          mdt-list scored.jsonl --previous lists/last-night.jsonl --exclusions reviewed.csv -o tonight.jsonl
          mdt-list scored.jsonl --codelists examples/pathways/codelists --where 'age >= 65 and count(events where code in codelist("falls")) > 0'
          mdt-list pseudonymised.jsonl --format csv --reidentify pseudonym-map.csv -o list.csv
          risk-score history.jsonl --models hfrs,admission:admission-model.json -q | mdt-list --where 'risk.admission.band >= top_5' --rank-by risk.admission.probability --top 20
        """,
        version: ToolVersion.text)

    @Argument(help: ArgumentHelp("Scored person records (JSON Lines), or - for standard input.", valueName: "file"),
              completion: .file(extensions: ["jsonl"]))
    public var input: String = "-"

    @Option(name: .customLong("where"), help: ArgumentHelp("Only people for whom EXPR holds (docs/expressions.md).", valueName: "expr"))
    public var filter: String?

    @Option(name: .customLong("rank-by"), help: ArgumentHelp("Fields to rank by, each :desc (default) or :asc; ties go by id.", valueName: "list"))
    public var rankBy: String = "risk.efi.score:desc,risk.hfrs.score:desc"

    @Option(name: .customLong("group-by"), help: ArgumentHelp("One list per practice, team, or value of any field path.", valueName: "field"),
            completion: .list(["practice", "team"]))
    public var groupBy: String = "practice"

    @Option(help: ArgumentHelp("People per group.", valueName: "n"))
    public var top: Int?

    @Option(name: .customLong("top-percent"), help: ArgumentHelp("Per cent of each group's eligible people, rounded up (the risk-stratification \"top 2 %\").", valueName: "p"))
    public var topPercent: Double?

    @Option(help: ArgumentHelp("CSV of practice,team[,meeting]: teams that span practices, and their meetings' names.", valueName: "file"),
            completion: .file(extensions: ["csv"]))
    public var teams: String?

    @Option(help: ArgumentHelp("CSV of id,reason,until: people left out up to and including that date.", valueName: "file"),
            completion: .file(extensions: ["csv"]))
    public var exclusions: String?

    @Option(help: ArgumentHelp("A title for the selection, printed at the head of every list (the --where expression then goes in small print).", valueName: "text"))
    public var title: String?

    @Option(help: ArgumentHelp("A folder of code lists (OpenCodelists CSV files, NAME.csv) that --where may name: code in codelist(\"NAME\"). Repeat for more.", valueName: "dir"),
            completion: .directory)
    public var codelists: [String] = []

    @Option(name: .customLong("opt-out"), help: ArgumentHelp("Ids or NHS numbers (one per line) left out of every list.", valueName: "file"),
            completion: .file())
    public var optOut: String?

    @Option(name: .customLong("review-gap"), help: ArgumentHelp("After an mdt-review encounter, leave the person out for this long (like 90d, 12w, 3m).", valueName: "duration"))
    public var reviewGap: String = "90d"

    @Option(help: ArgumentHelp("The previous run's JSON Lines list: mark entries new or continuing and list who left, and why.", valueName: "file"),
            completion: .file(extensions: ["jsonl"]))
    public var previous: String?

    @Option(help: ArgumentHelp("CSV of pseudonym,nhs_number (from ingest-gp --pseudonym-map): show NHS numbers on lists of pseudonymised records.", valueName: "file"),
            completion: .file(extensions: ["csv"]))
    public var reidentify: String?

    @Option(help: ArgumentHelp("jsonl, csv, markdown or html.", valueName: "format"))
    public var format: ListFormat = .jsonl

    @Option(name: .customLong("out-dir"), help: ArgumentHelp("Write one file per group and an index here (each atomically) instead of one stream.", valueName: "dir"),
            completion: .directory)
    public var outDir: String?

    @Option(help: ArgumentHelp("Hold this lock file for the run (default with --out-dir: DIR/.mdt-list.lock); a second run exits 75.", valueName: "file"),
            completion: .file())
    public var lock: String?

    @Option(name: .customLong("field"), help: ArgumentHelp("Declare a field the records carry outside the schema, for --where, --rank-by and --group-by: PATH:TYPE, TYPE number, date, text, bool or category(a,b,c). Repeatable.", valueName: "path:type"))
    public var fields: [String] = []

    @Option(name: .customLong("min-people"), help: ArgumentHelp("Guard: stop, writing nothing, when fewer people than this are read (an empty or broken extract).", valueName: "n"))
    public var minPeople: Int = 1

    @Option(name: .customLong("max-left"), help: ArgumentHelp("Guard, with --previous: stop, writing nothing, when more than this per cent of last night's list (of 10 or more) would leave at once.", valueName: "percent"))
    public var maxLeft: Double = 50

    @Option(help: ArgumentHelp("Threads choosing at once (the lists are the same whatever the number).", valueName: "n"))
    public var threads: Int = 2

    @OptionGroup public var asOf: AsOfOption
    @OptionGroup public var deprivation: DeprivationOption
    @OptionGroup public var common: CommonOptions

    public init() {}

    public func validate() throws {
        if top != nil && topPercent != nil { throw ValidationError("give --top or --top-percent, not both") }
        if let top, top < 1 { throw ValidationError("--top must be at least 1") }
        if let p = topPercent, !(p > 0 && p <= 100) { throw ValidationError("--top-percent must be above 0 and at most 100") }
        if outDir != nil && common.output != nil { throw ValidationError("give -o or --out-dir, not both") }
        if minPeople < 0 { throw ValidationError("--min-people must be 0 or more") }
        try CommonOptions.validateThreads(threads)
        if !(maxLeft >= 0 && maxLeft <= 100) { throw ValidationError("--max-left must be a percentage from 0 to 100") }
    }

    func duration(_ text: String) throws -> Duration {
        guard case .literal(.duration(let d))? = try? Expression.parse(text) else {
            throw ValidationError("--review-gap must be a duration like 90d, 12w or 3m, not '\(text)'")
        }
        return d
    }

    func settings() throws -> MDTSettings {
        var s = MDTSettings(asOf: try asOf.asOf(), rankBy: try RankKey.parseList(rankBy))
        // Every path is checked against the record schema before a record is read.
        var library = CodeListLibrary()
        do { for c in codelists { try library.addFolder(c) } } catch let e as CareError where e.status == .dataError { throw CareError(.config, e.message) }
        let checker = ExpressionChecker(schema: try CommonOptions.schema(declaring: fields), codeLists: library)
        if let filter {
            do { s.filter = try checker.checkCondition(try Expression.parse(filter), text: filter) } catch {
                throw CareError(.usage, "--where: \(error)")
            }
            s.filterText = filter
        }
        s.title = title
        s.deprivation = try deprivation.table()
        for key in s.rankBy { _ = try checker.checkField(key.path, option: "--rank-by") }
        let groupPath = groupBy.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        _ = try checker.checkField(groupPath, option: "--group-by")
        for p in (s.filter?.recordPaths ?? []) + s.rankBy.map(\.path) + [groupPath] where !s.watchedPaths.contains(p) {
            s.watchedPaths.append(p)
        }
        s.groupBy = groupBy
        if let top { s.size = .top(top) }
        if let topPercent { s.size = .topPercent(topPercent) }
        if let teams { s.teams = try TeamMap(path: teams) }
        if groupBy == "team" && teams == nil { Stderr.write("mdt-list: note: --group-by team uses each record's \"team\" (give --teams FILE to map practices)") }
        s.exclusions.reviewGap = try duration(reviewGap)
        if let exclusions { try s.exclusions.readList(exclusions) }
        if let optOut { try s.exclusions.readOptOut(optOut) }
        if let previous { s.previous = try PreviousList(path: previous) }
        if let reidentify {
            let t = try CSVTable(path: reidentify)
            s.reidentify = Dictionary(zip(try t.requiredValues("pseudonym"), try t.requiredValues("nhs_number")), uniquingKeysWith: { a, _ in a })
            if s.reidentify?.isEmpty == true { throw CareError(.dataError, "--reidentify: \(Mask.path(reidentify)) maps nobody (no rows)") }
        }
        return s
    }

    /// Before anything is written: the guards a cron operator relies on, and the paths no
    /// record held. A tripped guard leaves every earlier output as it was.
    func checkGuards(_ lists: MDTLists, diagnostics: Diagnostics) throws {
        AsOfCheck.warn([lists.asOfCheck], asOf: lists.settings.asOf, checkStale: false, to: diagnostics)
        for p in lists.neverHeld {
            let dotted = p.joined(separator: ".")
            if !RecordSchema.isStandard(p) {
                throw CareError(.dataError, "'\(dotted)' (declared with --field) held a value in no record: a misspelt key, or the program that adds it did not run; no list was written")
            }
            diagnostics.warn("'\(dotted)' held a value in no record of \(lists.peopleRead): every comparison with it was false")
        }
        if lists.peopleRead < minPeople {
            throw CareError(.dataError, "guard: \(lists.peopleRead) people read, fewer than --min-people \(minPeople): an empty or broken extract, so no list was written and the previous lists are as they were")
        }
        if let previous = lists.settings.previous, previous.groups.count >= 10 {
            let left = lists.groups.map { $0.left.filter { !$0.reason.hasPrefix("moved to") }.count }.reduce(0, +)
            let share = Double(left) / Double(previous.groups.count) * 100
            if share > maxLeft {
                throw CareError(.dataError, "guard: \(left) of last night's \(previous.groups.count) listed people would leave at once (\(Int(share.rounded())) %, more than --max-left \(Self.percent(maxLeft))): "
                                + "a partial or broken extract is likelier than so many recoveries, so no list was written and the previous lists are as they were")
            }
        }
    }

    /// "1 list", "2 lists".
    static func count(_ n: Int, _ one: String, _ many: String? = nil) -> String { "\(n) \(n == 1 ? one : many ?? one + "s")" }

    static func percent(_ p: Double) -> String { p == p.rounded() ? "\(Int(p)) %" : "\(p) %" }

    public func run() throws {
        try ProgramRunner.run("mdt-list") {
            let settings = try settings()
            if let outDir { try FileProbe.makeFolder(outDir) }
            let lockPath = lock ?? outDir.map { $0 + "/.mdt-list.lock" }
            let held = try lockPath.map { try RunLock(path: $0, program: "mdt-list") }
            defer { withExtendedLifetime(held) {} }
            let diagnostics = try common.diagnostics(program: "mdt-list", unit: "people")
            var files: [OutputFile] = []
            do {
                let lists = try MDTRun.run(inputPath: input, settings: settings, diagnostics: diagnostics, threads: threads)
                try checkGuards(lists, diagnostics: diagnostics)
                if let map = settings.reidentify, lists.peopleRead > 0 {
                    let listed = lists.groups.flatMap(\.entries)
                    if !listed.isEmpty && !listed.contains(where: { map[$0.id] != nil }) {
                        throw CareError(.dataError, "--reidentify: the map names none of the \(listed.count) listed people (a map from another key, or records not pseudonymised): no list was written")
                    }
                }
                if let outDir {
                    // Each file is written out and closed as it is made (so thousands of groups
                    // need no more descriptors than one), then all are renamed into place
                    // together: tonight's whole set, or last night's untouched.
                    for i in lists.groups.indices {
                        let f = try OutputFile(path: "\(outDir)/\(MDTLists.fileName(lists.groups[i].name)).\(format.fileExtension)")
                        files.append(f)
                        try f.write(format.render(lists.groups[i...i], lists: lists))
                        try f.prepare()
                    }
                    let index = try OutputFile(path: "\(outDir)/index.\(format.fileExtension)")
                    files.append(index)
                    try index.write(format.index(lists))
                    try OutputFile.commitAll(files)
                } else {
                    let output = try OutputTarget(path: common.output)
                    do {
                        try output.write(format.render(lists.groups[...], lists: lists))
                        try output.commit()
                    } catch { output.abandon(); throw error }
                }
                let listed = lists.groups.map(\.entries.count).reduce(0, +)
                let new = lists.groups.map { $0.entries.filter { $0.status == "new" }.count }.reduce(0, +)
                var extra = "\(Self.count(lists.groups.count, "list")), \(Self.count(listed, "person", "people")) listed"
                if settings.previous != nil { extra += " (\(new) new), \(lists.groups.map(\.left.count).reduce(0, +)) left since the last list" }
                try diagnostics.finish(extra: extra + "; as of \(settings.asOf)")
            } catch {
                for f in files { f.abandon() }
                diagnostics.abandon()
                throw error
            }
        }
    }
}
