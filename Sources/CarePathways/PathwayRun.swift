import CareCore

/// One pathway-audit run: person lines in, the same lines with `pathways` (or, with `summary`,
/// the compliance table), every line accounted for.
public struct PathwayOptions: Sendable {
    public var asOf: ISODate
    public var summary = false
    public var csv = false
    /// `practice`, `team`, or any record path (summary groups).
    public var groupBy = "practice"
    public var threads = 2
    /// Who entered which `date: entered` group when, as of the last run (`--history`).
    public var history: PathwayHistory?
    /// Where `imd_decile`, `imd_quintile` and `core20` come from.
    public var deprivation: DeprivationTable = .bundled
    public init(asOf: ISODate) { self.asOf = asOf }
}

public enum PathwayRun {
    struct Worker {
        var summary = PathwaySummary()
        var writer = JSONWriter(capacity: 1 << 16)
        var record: RecordScope
        var scope: PathwayScope
        var asOfCheck = AsOfCheck()
        /// Tonight's `date: entered` groups, for the next run's history.
        var entered = PathwayHistory()
    }

    /// Returns tonight's `date: entered` group members, for `--history`.
    @discardableResult
    public static func run(input: InputFile, pathways: [PathwayDefinition], options: PathwayOptions, diagnostics: Diagnostics,
                           write: ([UInt8]) throws -> Void) throws -> PathwayHistory {
        let workers = (0..<max(1, options.threads)).map { _ -> Worker in
            let record = RecordScope(asOf: options.asOf, deprivation: options.deprivation)
            return Worker(record: record, scope: PathwayScope(record: record, history: options.history))
        }
        var parallel = ParallelLines(workers: workers)
        let source = input.name
        let groupPath = options.groupBy.split(separator: ".").map(String.init)
        try parallel.run(LineReader(input), diagnostics: diagnostics, write: write) { worker, line, number, out, shard in
            shard.countRead(1)
            let record = worker.record
            guard try record.loadPerson(line, number: number, source: source, accounting: shard, reader: "pathway-audit") else { return 0 }
            let scope = worker.scope
            scope.reset()
            var results: [(PathwayDefinition, [PathwayInstance])] = []
            for p in pathways { results.append((p, PathwayEvaluator.evaluate(p, scope))) }
            if !scope.entered.isEmpty, let id = record.string("id") {
                for e in scope.entered { worker.entered.set(pathway: e.pathway, person: id, entered: e.date) }
            }
            worker.asOfCheck.seeStamps(in: record, pathways: false)
            if let d = scope.newestReadDay { worker.asOfCheck.see(day: d) }
            if options.summary {
                let g = record.value(groupPath)
                let group = g == .null ? "(no \(options.groupBy))" : g.description
                for (i, r) in results.enumerated() { worker.summary.add(i, r.0, group: group, r.1) }
                return 1
            }
            swap(&worker.writer.bytes, &out)
            writeRecord(record, results, asOf: options.asOf, to: &worker.writer)
            worker.writer.raw(UInt8(ascii: "\n"))
            swap(&worker.writer.bytes, &out)
            return 1
        }
        AsOfCheck.warn(parallel.workers.map(\.asOfCheck), asOf: options.asOf, to: diagnostics)
        if options.summary {
            var total = PathwaySummary()
            for w in parallel.workers { total.merge(w.summary) }
            try write(total.render(pathways, csv: options.csv))
        }
        var history = PathwayHistory()
        for w in parallel.workers {
            for (k, d) in w.entered.entries { history.set(pathway: k.pathway, person: k.person, entered: d) }
        }
        return history
    }

    /// The record with `pathways` set: replaced where it was, else appended; the rest byte for byte.
    static func writeRecord(_ record: RecordScope, _ results: [(PathwayDefinition, [PathwayInstance])], asOf: ISODate, to w: inout JSONWriter) {
        let existing = record.memberIndex("pathways")
        if existing == nil, let first = record.members.first, let last = record.members.last {
            // The usual case: the record as it came, then pathways. One copy.
            w.raw(UInt8(ascii: "{"))
            w.raw(UnsafeBufferPointer(rebasing: record.line[first.lowerBound..<last.upperBound]))
            w.raw(UInt8(ascii: ","))
            PathwayJSON.write(results, asOf: asOf, to: &w)
            w.raw(UInt8(ascii: "}"))
            return
        }
        w.raw(UInt8(ascii: "{"))
        var first = true
        for (i, m) in record.members.enumerated() {
            if !first { w.raw(UInt8(ascii: ",")) }
            first = false
            if i == existing { PathwayJSON.write(results, asOf: asOf, to: &w) } else { w.raw(UnsafeBufferPointer(rebasing: record.line[m])) }
        }
        if existing == nil {
            if !first { w.raw(UInt8(ascii: ",")) }
            PathwayJSON.write(results, asOf: asOf, to: &w)
        }
        w.raw(UInt8(ascii: "}"))
    }
}
