import CareCore

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

    public static let defaultMemoryBudget = 192 << 20

    public init(sources: [SourceSpec], memoryBudget: Int = IngestOptions.defaultMemoryBudget, temporaryFolder: String = "/tmp",
                pseudonymKeyFile: String? = nil, pseudonymMapFile: String? = nil, optOutFile: String? = nil, withTerms: Bool = false) {
        self.sources = sources; self.memoryBudget = memoryBudget; self.temporaryFolder = temporaryFolder
        self.pseudonymKeyFile = pseudonymKeyFile; self.pseudonymMapFile = pseudonymMapFile
        self.optOutFile = optOutFile; self.withTerms = withTerms
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

        let rows = ExternalSorter(memoryBudget: options.memoryBudget, temporaryParent: options.temporaryFolder)
        let context = IngestContext(diagnostics: diagnostics, sorter: rows, withTerms: options.withTerms)
        for (i, spec) in options.sources.enumerated() {
            context.sourceIndex = UInt16(i)
            let folder = try SourceFolder(path: spec.path)
            try spec.preset.preset.read(folder: folder, context: context)
        }
        // Ids equal join keys unless pseudonymised or remapped: then phase 1's order is the
        // output order and no second sort is needed.
        let needsSecondSort = pseudonymiser != nil || context.remapsIdentity
        let secondBudget = max(options.memoryBudget - (rows.runCount == 0 ? rows.bytesInMemory : 0), options.memoryBudget / 4)
        let byID = needsSecondSort ? ExternalSorter(memoryBudget: secondBudget, temporaryParent: options.temporaryFolder) : nil
        let assembler = PersonAssembler(context: context, privacy: privacy, sink: byID.map { .sortByID($0) } ?? .output(output))
        try rows.finish { key, payload in try assembler.consume(key: key, payload: payload) }
        try assembler.finish()
        var summary = IngestSummary(people: assembler.people, mergedPeople: assembler.mergedPeople, conflicts: assembler.conflicts,
                                    optedOutPeople: assembler.optedOut, spilledRuns: rows.runCount)
        if let byID {
            let merger = PersonMerger(output: output)
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
        return summary
    }
}
