import CareCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What decides a night's lists.
public struct MDTSettings: Sendable {
    public enum Size: Sendable, Equatable {
        case top(Int)
        /// Per cent of the group's eligible people (not left out), rounded up.
        case topPercent(Double)
    }

    public var asOf: ISODate
    public var filter: Expression?
    public var filterText: String?
    /// A title for the selection, for people (`--title`): the expression is then small print.
    public var title: String?
    public var rankBy: [RankKey]
    /// `practice`, `team`, or any record path.
    public var groupBy = "practice"
    public var size: Size = .top(20)
    public var teams = TeamMap()
    public var exclusions = Exclusions()
    public var previous: PreviousList?
    /// Pseudonym → NHS number (`--reidentify`).
    public var reidentify: [String: String]?
    /// Record paths the selection reads, watched until a record holds a value at each: a path
    /// no record ever held is a typo or a missing enricher (`MDTLists.neverHeld`).
    public var watchedPaths: [[String]] = []
    /// Where `imd_decile`, `imd_quintile` and `core20` come from.
    public var deprivation: DeprivationTable = .bundled

    public init(asOf: ISODate, rankBy: [RankKey]) {
        self.asOf = asOf
        self.rankBy = rankBy
    }
}

/// The lists of one run, by group (in name order), and who left since the previous run.
public struct MDTLists: Sendable {
    public var groups: [(name: String, team: String?, entries: [ListEntry], left: [LeftEntry], eligible: Int)]
    public var settings: MDTSettings
    public var meetingNames: [String: String]
    /// People read (records with an id), for the guards.
    public var peopleRead = 0
    /// Why the others were not listed, with how many (for an empty night's message).
    public var filtered: [String: Int] = [:]
    /// Of `settings.watchedPaths`, those no record held a value at.
    public var neverHeld: [[String]] = []
    /// The `as_of` days earlier programs stamped.
    public var asOfCheck = AsOfCheck()
}

public enum MDTRun {
    /// What became of one person.
    enum Fate { case excluded(String), notMatching, candidate(group: String) }

    /// One thread's share of the choosing pass.
    struct ChoosingWorker {
        let record: RecordScope
        var unseen: [[String]]
        var selections: [String: GroupSelection] = [:]
        var fates: [String: Fate] = [:]
        var peopleRead = 0
        var asOfCheck = AsOfCheck()
    }

    /// `threads` choose at once, each from batches of about `batchBytes` of input.
    public static func run(inputPath: String, settings: MDTSettings, diagnostics: Diagnostics, threads: Int = 2,
                           batchBytes: Int = 2 << 20) throws -> MDTLists {
        let order = RankOrder(settings.rankBy)
        // Standard input spooled for --top-percent's second pass: a file with no name on disk.
        var spooled: InputFile?

        // --top-percent needs each group's size before choosing: one pass to count (spooling
        // standard input to a temporary file so it can be read twice), one to choose.
        var limits: [String: Int] = [:]
        var eligible: [String: Int] = [:]
        if case .topPercent(let p) = settings.size {
            var spool: OutputStream?
            if inputPath == "-" {
                let folder = FileProbe.temporaryFolder
                let file = InputFile(descriptor: try TemporaryNames.unnamedFile(in: folder, hint: "set TMPDIR"), name: "standard input")
                spooled = file
                spool = OutputStream(fd: file.fd, name: "a temporary file in \(folder)")
            }
            let record = RecordScope(asOf: settings.asOf, deprivation: settings.deprivation)
            var counting = LineReader(try InputFile(path: inputPath))
            // Rejected in the second pass; spooled standard input keeps a one-byte stand-in (a
            // NUL, which no JSON line is) so the second pass sees it at its place.
            counting.onOverLong = { _ in
                if let spool { try spool.write(CollectionOfOne(UInt8(0))); try spool.write(CollectionOfOne(UInt8(ascii: "\n"))) }
            }
            try counting.forEachLine { line, _ in
                if let spool { try spool.write(line); try spool.write(CollectionOfOne(UInt8(ascii: "\n"))) }
                guard (try? record.load(line, validate: false)) != nil, let id = record.string("id") else { return }
                if settings.exclusions.reason(record, id: id, nhsNumber: record.string("nhs_number")) == nil {
                    eligible[group(record, settings), default: 0] += 1
                }
            }
            if let spool { try spool.flush(); lseek(spool.fd, 0, SEEK_SET) }
            for (g, n) in eligible { limits[g] = Int((Double(n) * p / 100).rounded(.up)) }
        }

        // The choosing pass, on `threads` threads: each keeps its own best of each group (and
        // what became of the people last night's list tracks); then they are merged. Ranks are
        // total (ties go by id), so the lists are the same whatever the number of threads.
        let limitsNow = limits
        let isSpooled = spooled != nil
        var parallel = ParallelLines(workers: (0..<max(1, threads)).map { _ in
            ChoosingWorker(record: RecordScope(asOf: settings.asOf, deprivation: settings.deprivation), unseen: settings.watchedPaths)
        }, batchBytes: batchBytes)
        let source = inputPath == "-" ? "standard input" : inputPath
        let reader = LineReader(try spooled ?? InputFile(path: inputPath))
        let maxLineMiB = reader.maxLineLength >> 20
        try parallel.run(reader, diagnostics: diagnostics, write: { _ in }) { worker, line, number, _, shard in
            if isSpooled, line.count == 1, line[0] == 0 {
                shard.countRead(1)
                try shard.reject(Reject(source: source, line: number, reason: "record too long",
                                        detail: "longer than \(maxLineMiB) MiB: skipped, the rest of the input read on"))
                return 0
            }
            shard.countRead(1)
            let record = worker.record
            // Every record is validated (PersonRecordCheck): a list must not be built from a
            // record two programs would read differently. A list reads what a record holds, so
            // one made from only some tables is listed (its --where sees what was read).
            guard try record.loadPerson(line, number: number, source: source, accounting: shard, reader: nil),
                  let id = record.string("id") else { return 0 }
            worker.peopleRead += 1
            worker.asOfCheck.seeStamps(in: record)
            if !worker.unseen.isEmpty { worker.unseen.removeAll { record.value($0) != .null } }
            let nhs = record.string("nhs_number")
            let tracked = settings.previous?.groups[id] != nil
            if let reason = settings.exclusions.reason(record, id: id, nhsNumber: nhs) {
                shard.filter(reason: reason)
                if tracked { worker.fates[id] = .excluded(reason) }
                return 0
            }
            if let filter = settings.filter, !filter.holds(record) {
                shard.filter(reason: "does not meet --where")
                if tracked { worker.fates[id] = .notMatching }
                return 0
            }
            let g = group(record, settings)
            if tracked { worker.fates[id] = .candidate(group: g) }
            let rank = RankValues(values: settings.rankBy.map { record.value($0.path) }, id: id)
            // Taken out of the dictionary while it changes, so its heap is never copied (a copy per
            // person made the run quadratic in --top).
            var selection = worker.selections.removeValue(forKey: g) ?? GroupSelection(limit: limit(g, settings, limitsNow))
            defer { worker.selections[g] = selection }
            guard selection.admits(rank, order: order) else {
                shard.filter(reason: "ranked below the top of its group")
                return 0
            }
            var entry = ListEntry(id: id, nhsNumber: nhs ?? settings.reidentify?[id], group: g, team: team(record, settings),
                                  practice: record.string("practice"), rank: rank)
            entry.describe(record)
            if selection.insert(entry, order: order) != nil { shard.filter(reason: "ranked below the top of its group") }
            return 0
        }
        var selections: [String: GroupSelection] = [:]
        var fates: [String: Fate] = [:]
        var unseen = settings.watchedPaths
        var peopleRead = 0
        var asOfCheck = AsOfCheck()
        for w in parallel.workers {
            for (g, theirs) in w.selections {
                var selection = selections.removeValue(forKey: g) ?? GroupSelection(limit: theirs.limit)
                for item in theirs.heap.unordered where selection.insert(item.entry, order: order) != nil {
                    diagnostics.filter(reason: "ranked below the top of its group")
                }
                selections[g] = selection
            }
            fates.merge(w.fates) { a, _ in a }
            unseen.removeAll { !w.unseen.contains($0) }
            peopleRead += w.peopleRead
            asOfCheck.merge(w.asOfCheck)
        }

        var groups: [(name: String, team: String?, entries: [ListEntry], left: [LeftEntry], eligible: Int)] = []
        var listed: [String: String] = [:]
        for (name, selection) in selections {
            for e in selection.heap.unordered { listed[e.entry.id] = name }
        }
        var leftByGroup: [String: [LeftEntry]] = [:]
        if let previous = settings.previous {
            for (id, oldGroup) in previous.groups where listed[id] != oldGroup {
                let reason: String
                if let now = listed[id] {
                    reason = "moved to \(now)"
                } else {
                    switch fates[id] {
                    case .excluded(let why)?: reason = why == "died" ? "died" : "left out: \(why)"
                    case .notMatching?: reason = "improved: no longer meets --where"
                    case .candidate(let g)? where g != oldGroup: reason = "moved to \(g)"
                    case .candidate?: reason = "improved: ranked below the top of the group"
                    case nil: reason = "not in tonight's data"
                    }
                }
                leftByGroup[oldGroup, default: []].append(LeftEntry(id: id, nhsNumber: previous.nhsNumbers[id] ?? settings.reidentify?[id], group: oldGroup, reason: reason))
            }
        }
        let names = Set(selections.keys).union(leftByGroup.keys).sorted()
        for name in names {
            var entries = selections[name]?.ranked(order: order) ?? []
            for i in entries.indices {
                entries[i].position = i + 1
                if let old = settings.previous?.groups[entries[i].id] { entries[i].status = old == name ? "continuing" : "new" }
            }
            diagnostics.countEmitted(entries.count)
            let left = (leftByGroup[name] ?? []).sorted { $0.id < $1.id }
            groups.append((name, entries.first?.team ?? settings.teams.teams[name].map { _ in name }, entries, left, eligible[name] ?? 0))
        }
        var lists = MDTLists(groups: groups, settings: settings, meetingNames: settings.teams.meetings)
        lists.peopleRead = peopleRead
        lists.filtered = diagnostics.filtered
        lists.neverHeld = unseen
        lists.asOfCheck = asOfCheck
        return lists
    }

    static func limit(_ group: String, _ settings: MDTSettings, _ limits: [String: Int]) -> Int {
        switch settings.size {
        case .top(let n): return n
        case .topPercent: return limits[group] ?? 0
        }
    }

    /// The group a person's list is made for.
    static func group(_ record: RecordScope, _ settings: MDTSettings) -> String {
        switch settings.groupBy {
        case "practice": return record.string("practice") ?? "(no practice)"
        case "team": return team(record, settings) ?? "(no team)"
        default:
            let v = record.value(settings.groupBy.split(separator: ".").map(String.init))
            return v == .null ? "(no \(settings.groupBy))" : v.description
        }
    }

    static func team(_ record: RecordScope, _ settings: MDTSettings) -> String? {
        if let p = record.string("practice"), let t = settings.teams.teams[p] { return t }
        return record.string("team")
    }
}
