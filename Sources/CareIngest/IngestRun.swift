import CareCore
import Foundation

/// Settings of one ingest run.
public struct IngestOptions: Sendable {
    public var sources: [SourceSpec]
    /// Bytes the grouping may hold in memory before it spills sorted runs to `temporaryFolder`.
    public var memoryBudget: Int
    public var temporaryFolder: String
    public var pseudonymKeyFile: String?
    public var pseudonymMapFile: String?
    public var optOutFile: String?
    /// Keep each event's description (`term`) where the source has one.
    public var withTerms: Bool
    /// Threads reading tables at once (each also has a parsing thread). 1 reads in order.
    public var readers: Int
    /// Local file and column names for the tables preset.
    public var mapping: TableMapping
    /// Allow a run that emits nobody, or whose source has every record rejected (normally exit 65).
    public var allowEmpty = false
    /// Codes of GP entries that record ethnicity, with their categories (`--ethnicity-codes`).
    public var ethnicityCodes: EthnicityCodes?
    /// Only these tables of table folders (`--only`); nil reads every table.
    public var only: TableSelection?

    public static let defaultMemoryBudget = 128 << 20
    /// Two readers: with their parsing threads they keep two cores busy; more only contend.
    public static let defaultReaders = 2

    public init(sources: [SourceSpec], memoryBudget: Int = IngestOptions.defaultMemoryBudget, temporaryFolder: String = "/tmp",
                pseudonymKeyFile: String? = nil, pseudonymMapFile: String? = nil, optOutFile: String? = nil, withTerms: Bool = false,
                readers: Int = IngestOptions.defaultReaders, mapping: TableMapping = TableMapping(), allowEmpty: Bool = false) {
        self.sources = sources; self.memoryBudget = memoryBudget; self.temporaryFolder = temporaryFolder
        self.pseudonymKeyFile = pseudonymKeyFile; self.pseudonymMapFile = pseudonymMapFile
        self.optOutFile = optOutFile; self.withTerms = withTerms; self.readers = readers
        self.mapping = mapping
        self.allowEmpty = allowEmpty
    }
}

/// What a run did, for the summary line and for tests.
public struct IngestSummary: Sendable, Equatable {
    public var people = 0
    public var mergedPeople = 0
    public var conflicts = 0
    public var optedOutPeople = 0
    public var spilledRuns = 0
}

/// Reads every source, groups rows by person in bounded memory, merges people found in several
/// sources, and writes one JSON line per person sorted by `id`.
///
/// Grouping is an external sort of rows by (join key, item, date): each person's rows from every
/// source arrive together, already in date order, and the record is assembled from the
/// fragments as bytes. The join key is the NHS number where tables are keyed by it, so sources
/// merge there. Only when final ids differ from join keys (pseudonyms; patient_id-keyed tables
/// that carry NHS numbers) does a second sort, by id, bring records together for merging.
public enum IngestRun {
    public static func run(_ options: IngestOptions, diagnostics: Diagnostics, output: OutputTarget) throws -> IngestSummary {
        let optOut = try options.optOutFile.map { try OptOutList(path: $0) } ?? OptOutList()
        let pseudonymiser = try options.pseudonymKeyFile.map { try Pseudonymiser(keyFile: $0) }
        if options.pseudonymMapFile != nil && pseudonymiser == nil {
            throw CareError(.usage, "--pseudonym-map needs --pseudonymise KEYFILE")
        }
        let privacy = try Privacy(optOut: optOut, pseudonymiser: pseudonymiser, mapPath: options.pseudonymMapFile)

        // Plan: every source's tables, files registered in command-line order.
        let registry = IngestRegistry(withTerms: options.withTerms)
        var jobs: [TableJob] = []
        var jobSources: [Int] = []
        for (i, spec) in options.sources.enumerated() {
            registry.sourceIndex = UInt32(i)
            let planned = try spec.preset.preset(mapping: options.mapping, only: options.only).plan(path: spec.path, registry: registry, diagnostics: diagnostics)
            jobs += planned
            jobSources += Array(repeating: i, count: planned.count)
        }
        // Read: tables shared out to reader threads; each table's counts and rejects are kept in
        // its own shard and reported in file order, so nothing depends on the threads' timing.
        // With --strict one reader goes in file order, so the first bad row is always the same.
        let readerCount = max(1, min(diagnostics.strict ? 1 : options.readers, jobs.count))
        let sorters = (0..<readerCount).map { _ in
            ExternalSorter(memoryBudget: options.memoryBudget / readerCount, temporaryParent: options.temporaryFolder)
        }
        let shards = jobs.map { _ in diagnostics.shard() }
        try readTables(jobs, shards: shards, sorters: sorters, registry: registry)
        for s in shards { try diagnostics.absorb(s) }
        if !options.allowEmpty { try guardSources(options.sources, shards: shards, jobSources: jobSources) }

        // Ids equal join keys unless pseudonymised or remapped: then the merged order is the
        // output order and no second sort is needed.
        let needsSecondSort = pseudonymiser != nil || registry.remapsIdentity
        let inMemory = sorters.reduce(0) { $0 + ($1.hasSpilled ? 0 : $1.bytesInMemory) }
        let secondBudget = max(options.memoryBudget - inMemory, options.memoryBudget / 4)
        let byID = needsSecondSort ? ExternalSorter(memoryBudget: secondBudget, temporaryParent: options.temporaryFolder) : nil
        let assembler = PersonAssembler(registry: registry, diagnostics: diagnostics, privacy: privacy,
                                        sink: byID.map { .sortByID($0) } ?? .output(output))
        assembler.ethnicityCodes = options.ethnicityCodes
        assembler.tablesRead = options.only?.recordMember
        try ExternalSorter.merge(sorters, pipelined: true) { key, payload in try assembler.consume(key: key, payload: payload) }
        try assembler.finish()
        var summary = IngestSummary(people: assembler.people, mergedPeople: assembler.mergedPeople, conflicts: assembler.conflicts,
                                    optedOutPeople: assembler.optedOut, spilledRuns: sorters.reduce(0) { $0 + $1.runCount })
        if let byID {
            let merger = PersonMerger(output: output, diagnostics: diagnostics)
            try byID.finish { key, payload in try merger.consume(key: key, payload: payload) }
            try merger.finish()
            summary.people = merger.people
            summary.mergedPeople += merger.merged
            summary.conflicts += merger.conflicts
            summary.spilledRuns += byID.runCount
        }
        try privacy.map?.commit()

        let d = diagnostics
        guard d.read == d.emitted + d.filteredTotal + d.rejectedTotal else {
            throw CareError(.software, "internal error: counts do not reconcile (read \(d.read), emitted \(d.emitted), filtered \(d.filteredTotal), rejected \(d.rejectedTotal))")
        }
        if summary.people == 0 && !options.allowEmpty {
            throw CareError(.dataError, "no person was emitted (read \(d.read) records: \(d.filteredTotal) filtered, \(d.rejectedTotal) rejected): "
                            + "an empty extract is not a night with nobody at risk. Check the sources and --format; --allow-empty if an empty run is meant")
        }
        return summary
    }

    /// A source whose every record was rejected is a broken extract (a wrong --format, a
    /// renamed column): the run stops before anything is written.
    static func guardSources(_ sources: [SourceSpec], shards: [DiagnosticsShard], jobSources: [Int]) throws {
        for (i, spec) in sources.enumerated() {
            let mine = shards.indices.filter { jobSources[$0] == i }.map { shards[$0] }
            let read = mine.reduce(0) { $0 + $1.read }
            let rejected = mine.reduce(0) { $0 + $1.rejected.values.reduce(0, +) }
            guard read > 0, rejected == read else { continue }
            let reasons = mine.reduce(into: [String: Int]()) { all, s in for (k, v) in s.rejected { all[k, default: 0] += v } }
            let top = reasons.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(2).map { "\($0.key): \($0.value)" }
            var hint = ""
            if spec.preset == .tables, (try? SourceDetection.detect(spec.path))??.format == .synthea { hint = "; it looks like Synthea output: --format synthea" }
            throw CareError(.dataError, "every record of \(spec.preset.rawValue):\(Mask.path(spec.path)) was rejected (\(read): \(top.joined(separator: ", ")))\(hint); "
                            + "nothing was written. --allow-empty to write the rest anyway")
        }
    }

    /// Reads the tables on `sorters.count` threads. Tables go largest first to the reader with
    /// the least work so far; the first error (in reader order) is thrown after all stop.
    static func readTables(_ jobs: [TableJob], shards: [DiagnosticsShard], sorters: [ExternalSorter], registry: IngestRegistry) throws {
        var assignment = Array(repeating: [Int](), count: sorters.count)
        var load = Array(repeating: 0, count: sorters.count)
        for j in jobs.indices.sorted(by: { jobs[$0].size != jobs[$1].size ? jobs[$0].size > jobs[$1].size : $0 < $1 }) {
            let r = load.indices.min { load[$0] != load[$1] ? load[$0] < load[$1] : $0 < $1 }!
            assignment[r].append(j)
            load[r] += jobs[j].size
        }
        let work = ReaderWork(jobs: jobs, shards: shards, sorters: sorters, registry: registry, assignment: assignment)
        if sorters.count == 1 { return try work.run(0) }
        let done = NSCondition()
        nonisolated(unsafe) var errors = [Error?](repeating: nil, count: sorters.count)
        nonisolated(unsafe) var running = sorters.count
        for r in 1..<sorters.count {
            let t = Thread {
                var failure: Error?
                do { try work.run(r) } catch { failure = error }
                done.lock(); errors[r] = failure; running -= 1; done.broadcast(); done.unlock()
            }
            t.stackSize = 4 << 20
            t.start()
        }
        var first: Error?
        do { try work.run(0) } catch { first = error }
        done.lock(); errors[0] = first; running -= 1
        while running > 0 { done.wait() }
        done.unlock()
        if let e = errors.compactMap({ $0 }).first { throw e }
    }
}

/// What each reader thread does: its tables, in file order, into its own sorter. Each thread
/// touches only its own sorter, context and shards; the registry locks what it shares.
final class ReaderWork: @unchecked Sendable {
    let jobs: [TableJob]
    let shards: [DiagnosticsShard]
    let sorters: [ExternalSorter]
    let registry: IngestRegistry
    let assignment: [[Int]]

    init(jobs: [TableJob], shards: [DiagnosticsShard], sorters: [ExternalSorter], registry: IngestRegistry, assignment: [[Int]]) {
        self.jobs = jobs; self.shards = shards; self.sorters = sorters; self.registry = registry; self.assignment = assignment
    }

    func run(_ r: Int) throws {
        let mine = assignment[r].sorted()
        guard let firstJob = mine.first else { return }
        let context = IngestContext(registry: registry, sorter: sorters[r], accounting: shards[firstJob])
        for j in mine {
            context.accounting = shards[j]
            try jobs[j].read(context)
        }
    }
}
