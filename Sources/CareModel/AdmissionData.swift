import CareCore
import CareRisk

/// The people of one day: their features and outcomes, in input order (so a fit is the same
/// whatever the number of threads), read in one pass over person records.
public struct AdmissionData: Sendable {
    public var rows: [AdmissionFeatureReader.Row] = []
    /// How many dated entries (events, admissions, A&E attendances) fall on each day, from
    /// `DayCounts.first`.
    public var entriesByDay = DayCounts()

    /// The day the records reach (DayCounts.reach).
    public var recordsReach: Int? { entriesByDay.reach }

    struct Worker {
        var record: RecordScope
        var reader: AdmissionFeatureReader
        var rows: [(line: Int, row: AdmissionFeatureReader.Row)] = []
        var days = DayCounts()
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
            let result: Result<AdmissionFeatureReader.Row, AdmissionFeatureReader.Exclusion>
            do { result = try worker.reader.read(line, record: worker.record, day: day, horizon: horizon) } catch let error as JSONError {
                try shard.reject(Reject(source: source, line: number, reason: "invalid JSON", detail: error.description))
                return 0
            }
            guard worker.reader.facts.id != nil else {
                try shard.reject(Reject(source: source, line: number, field: "id", reason: "missing id"))
                return 0
            }
            try worker.record.requireEveryTable(for: "risk-model", source: source, line: number)
            worker.reader.countDays(into: &worker.days)
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
        for w in parallel.workers { for i in w.days.counts.indices { data.entriesByDay.counts[i] += w.days.counts[i] } }
        if let horizon {
            // The window's last day is the day before day + horizon.
            let end = horizon.moving(day)
            guard let reach = data.recordsReach, reach >= end.dayNumber - 1 else {
                let last = data.recordsReach.map { ISODate(dayNumber: $0).description } ?? "nothing dated"
                throw CareError(.dataError, "the records end \(last) (the last day whose 30 days hold a usual number of entries), before the outcome window ends (\(ISODate(dayNumber: end.dayNumber - 1)): \(day) + \(horizon)): choose an earlier --as-of, or a shorter --horizon")
            }
        }
        guard !data.rows.isEmpty else { throw CareError(.dataError, "nobody in the input is in the model's population on \(day) (adults alive and registered)") }
        return data
    }
}

/// Counts by day over 1900–2099 (days outside count on the first or last), in an array: a
/// count for every dated entry of a million people is too many for a dictionary's hashing.
public struct DayCounts: Sendable {
    public static let first = ISODate(year: 1900, month: 1, day: 1).dayNumber
    public static let last = ISODate(year: 2099, month: 12, day: 31).dayNumber
    public var counts = [Int](repeating: 0, count: last - first + 1)
    public init() {}
    @inline(__always) public mutating func add(_ day: Int) { counts[min(max(day, Self.first), Self.last) - Self.first] += 1 }

    /// The day the records reach: the latest day with an entry whose 30 days (it and the 29
    /// before) hold at least a twentieth of the busiest 30 days'. Entries dated past the extract
    /// (typing slips, dates in 2033) are a handful among thousands, and do not make a window look
    /// covered that is not.
    public var reach: Int? {
        let c = counts
        var prefix = [Int](repeating: 0, count: c.count + 1)
        for i in c.indices { prefix[i + 1] = prefix[i] + c[i] }
        func month(_ i: Int) -> Int { prefix[i + 1] - prefix[max(i - 29, 0)] }
        var peak = 0
        for i in c.indices { peak = max(peak, month(i)) }
        guard peak > 0 else { return nil }
        for i in c.indices.reversed() where c[i] > 0 && month(i) * 20 >= peak { return DayCounts.first + i }
        return nil
    }
}
