import CareCore

/// One risk-score run: person lines in, the same lines with `risk` out (or text with
/// `--format text`), every line accounted for.
public struct RiskOptions: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        /// The records with `risk` added (every byte validated, every other key kept).
        case jsonl
        /// `{"id":…,"risk":{…}}` per person: only what the models read is looked at.
        case risk
        /// One CSV row of scores per person: only what the models read is looked at.
        case csv
        /// An explanation per person for people to read.
        case text
    }
    public var asOf: ISODate
    public var format: Format = .jsonl
    /// With `--explain`: only these ids are written (as text); the rest are filtered.
    public var explain: Set<String>?
    public var threads: Int = 2

    public init(asOf: ISODate) { self.asOf = asOf }
}

public enum RiskRun {
    struct Worker {
        var addition: (any RiskAddition)?
        var facts = PersonFacts()
        var writer = JSONWriter(capacity: 1 << 16)
        var scratch = ModelSet.Scratch()
        var asOfCheck = AsOfCheck()
    }

    /// `addition` makes each thread's extra score (nil: none).
    public static func run(input: InputFile, models: ModelSet, options: RiskOptions, diagnostics: Diagnostics,
                           addition: (() -> any RiskAddition)? = nil, write: ([UInt8]) throws -> Void) throws {
        var parallel = ParallelLines(workers: (0..<max(1, options.threads)).map { _ in Worker(addition: addition?()) })
        let asOf = options.asOf
        let explain = options.explain
        let format = explain != nil ? .text : options.format
        // An addition (the admission model) reads the whole record.
        let reading: PersonFacts.Reading = (format == .risk || format == .csv) && addition == nil
            ? .onlyWhatModelsRead(events: models.readsEvents, encounters: models.readsEncounters) : .everything
        let source = input.name
        // What each model reads, for records made from only some tables (worked out once).
        let tablesNeeded = models.tablesNeeded + (addition == nil ? [] : [("the admission model", TablesRead.everything)])
        if format == .csv {
            var header = RiskCSV.header(models)
            if let a = parallel.workers.first?.addition { header.removeLast(); header += a.csvHeader + "\n" }
            try write(Array(header.utf8))
        }
        try parallel.run(LineReader(input), diagnostics: diagnostics, write: write) { worker, line, number, out, shard in
            shard.countRead(1)
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                shard.filter(reason: "blank line")
                return 0
            }
            do {
                try worker.facts.read(line, reading: reading)
            } catch let error as JSONError {
                try shard.reject(Reject(source: source, line: number, reason: "invalid JSON", detail: error.description))
                return 0
            }
            guard worker.facts.id != nil else {
                try shard.reject(Reject(source: source, line: number, field: "id", reason: "missing id"))
                return 0
            }
            if let r = worker.facts.tablesReadValue {
                for (what, needs) in tablesNeeded {
                    try TablesRead.require(needs, for: what, tablesRead: worker.facts.slice(r), source: source, line: number)
                }
            }
            if let explain, !explain.contains(worker.facts.idText ?? "") {
                shard.filter(reason: "not asked for by --explain")
                return 0
            }
            // The newest date of the record, for the stale-data warning.
            for e in worker.facts.events { if let d = e.day { worker.asOfCheck.see(day: d) } }
            for a in worker.facts.admissions { if let d = a.endDay ?? a.startDay { worker.asOfCheck.see(day: d) } }
            if let d = worker.facts.aeDays.max() { worker.asOfCheck.see(day: d) }
            models.score(worker.facts, asOf: asOf, scratch: &worker.scratch)
            let results = worker.scratch.results
            if format == .text {
                var s = ""
                RiskText.write(worker.facts, results: results, asOf: asOf, to: &s)
                if let t = worker.addition?.text(line: line, facts: worker.facts, results: results, asOf: asOf) { s += t }
                out.append(contentsOf: Array(s.utf8))
                return 1
            }
            // Write straight into the batch's output: lend it to the writer and take it back.
            swap(&worker.writer.bytes, &out)
            switch format {
            case .jsonl:
                // In place: a copy of the addition would share its buffers and copy them at each use.
                let extra = worker.addition?.member(line: line, facts: worker.facts, results: results, asOf: asOf)
                RiskJSON.writePerson(worker.facts, results: results, asOf: asOf, extra: extra, to: &worker.writer)
                worker.writer.raw(UInt8(ascii: "\n"))
            case .risk:
                // In place: a copy of the addition would share its buffers and copy them at each use.
                let extra = worker.addition?.member(line: line, facts: worker.facts, results: results, asOf: asOf)
                RiskJSON.writeRiskOnly(worker.facts, results: results, asOf: asOf, extra: extra, to: &worker.writer)
                worker.writer.raw(UInt8(ascii: "\n"))
            case .csv, .text:
                RiskCSV.writeRow(worker.facts, results: results, to: &worker.writer)
                if let fields = worker.addition?.csv(line: line, facts: worker.facts, results: results, asOf: asOf) {
                    worker.writer.bytes.removeLast()
                    worker.writer.raw(Array(fields.utf8))
                    worker.writer.raw(UInt8(ascii: "\n"))
                }
            }
            swap(&worker.writer.bytes, &out)
            return 1
        }
        AsOfCheck.warn(parallel.workers.map(\.asOfCheck), asOf: asOf, to: diagnostics)
    }
}
