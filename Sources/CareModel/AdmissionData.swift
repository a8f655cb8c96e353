import CareCore
import CareRisk

/// The people of one day: their features and outcomes, in input order (so a fit is the same
/// whatever the number of threads), read in one pass over person records.
public struct AdmissionData: Sendable {
    public var rows: [AdmissionFeatureReader.Row] = []
    /// The newest day in the input, for checking the outcome window is covered.
    public var newestDay: Int?

    struct Worker {
        var record: RecordScope
        var reader: AdmissionFeatureReader
        var rows: [(line: Int, row: AdmissionFeatureReader.Row)] = []
        var newest: Int?
    }

    /// Reads `input` for `day` (and the outcome in `horizon` after it). Every line is accounted
    /// for: used, filtered with the reason (no birth date, under 18, died, not registered), or
    /// rejected. An input that does not reach the end of the outcome window is an error.
    public static func read(_ input: InputFile, day: ISODate, horizon: CareCore.Duration?, models: ModelSet,
                            deprivation: DeprivationTable, threads: Int, diagnostics: Diagnostics) throws -> AdmissionData {
        var parallel = ParallelLines(workers: (0..<max(1, threads)).map { _ in
            Worker(record: RecordScope(asOf: day, deprivation: deprivation), reader: AdmissionFeatureReader(models: models))
        })
        let source = input.name
        try parallel.run(LineReader(input), diagnostics: diagnostics, write: { _ in }) { worker, line, number, _, shard in
            shard.countRead(1)
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { shard.filter(reason: "blank line"); return 0 }
            do { try worker.record.load(line, validate: false) } catch let error as JSONError {
                try shard.reject(Reject(source: source, line: number, reason: "invalid JSON", detail: error.description))
                return 0
            }
            guard worker.record.string("id") != nil else {
                try shard.reject(Reject(source: source, line: number, field: "id", reason: "missing id"))
                return 0
            }
            let result: Result<AdmissionFeatureReader.Row, AdmissionFeatureReader.Exclusion>
            do { result = try worker.reader.read(line, record: worker.record, day: day, horizon: horizon) } catch let error as JSONError {
                try shard.reject(Reject(source: source, line: number, reason: "invalid JSON", detail: error.description))
                return 0
            }
            if let d = worker.reader.newestDay, worker.newest.map({ d > $0 }) ?? true { worker.newest = d }
            switch result {
            case .success(let row):
                worker.rows.append((number, row))
                return 1
            case .failure(let why):
                shard.filter(reason: why.rawValue)
                return 0
            }
        }
        var data = AdmissionData()
        data.rows = parallel.workers.flatMap(\.rows).sorted { $0.line < $1.line }.map(\.row)
        data.newestDay = parallel.workers.compactMap(\.newest).max()
        if let horizon {
            let end = horizon.moving(day)
            guard let newest = data.newestDay, newest >= end.dayNumber else {
                let last = data.newestDay.map { ISODate(dayNumber: $0).description } ?? "nothing dated"
                throw CareError(.dataError, "the records end \(last), before the outcome window ends (\(end): \(day) + \(horizon)): choose an earlier --as-of, or a shorter --horizon")
            }
        }
        guard !data.rows.isEmpty else { throw CareError(.dataError, "nobody in the input is in the model's population on \(day) (adults alive and registered)") }
        return data
    }
}
