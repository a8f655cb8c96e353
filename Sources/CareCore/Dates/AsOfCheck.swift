/// What a run learns about the day it is computed for, for two warnings every program with
/// `--as-of` gives (docs/architecture.md, "The day a run is computed for"):
///
/// - **stale data**: `--as-of` far past the newest date in the input (an extract that stopped
///   updating gives last month's answers as tonight's);
/// - **a different day upstream**: the `as_of` an earlier program stamped (`risk.as_of`,
///   `pathways.as_of`) is not this run's, so scores and audits were computed for another day.
///
/// Each worker thread keeps its own and they are merged at the end.
public struct AsOfCheck: Sendable {
    /// More days than this between the newest date in the input and `--as-of` is stale.
    public static let staleAfterDays = 60

    public private(set) var newestDay: Int?
    /// Stamp (`risk.as_of`) → date → records.
    public private(set) var stamps: [String: [ISODate: Int]] = [:]

    public init() {}

    @inline(__always) public mutating func see(day: Int) {
        if newestDay.map({ day > $0 }) ?? true { newestDay = day }
    }

    public mutating func see(_ date: ISODate) { see(day: date.dayNumber) }

    public mutating func see(stamp: String, _ date: ISODate, records: Int = 1) {
        stamps[stamp, default: [:]][date, default: 0] += records
    }

    /// The `as_of` days earlier programs stamped in this record (`risk.as_of`, and
    /// `pathways.as_of` unless the reader is pathway-audit, which replaces it).
    public mutating func seeStamps(in record: RecordScope, pathways: Bool = true) {
        for stamp in pathways ? Self.stamps : Array(Self.stamps.prefix(1)) {
            if case .string(let s) = record.value(stamp), let d = ISODate.parse(s) { see(stamp: stamp.joined(separator: "."), d) }
        }
    }

    static let stamps = [["risk", "as_of"], ["pathways", "as_of"]]

    /// The worker threads' checks as one, its warnings given to `diagnostics`.
    public static func warn(_ checks: some Sequence<AsOfCheck>, asOf: ISODate, checkStale: Bool = true, to diagnostics: Diagnostics) {
        var all = AsOfCheck()
        for c in checks { all.merge(c) }
        for warning in all.warnings(asOf: asOf, checkStale: checkStale) { diagnostics.warn(warning) }
    }

    public mutating func merge(_ other: AsOfCheck) {
        if let d = other.newestDay { see(day: d) }
        for (stamp, dates) in other.stamps { for (d, n) in dates { stamps[stamp, default: [:]][d, default: 0] += n } }
    }

    /// The warnings for a run computed as on `asOf`.
    public func warnings(asOf: ISODate, checkStale: Bool = true) -> [String] {
        var out: [String] = []
        if checkStale, let newest = newestDay, asOf.dayNumber - newest > Self.staleAfterDays {
            out.append("--as-of \(asOf) is \(asOf.dayNumber - newest) days after the newest date in the input (\(ISODate(dayNumber: newest))): "
                       + "stale data? Results are computed as if nothing happened since")
        }
        for (stamp, dates) in stamps.sorted(by: { $0.key < $1.key }) {
            let other = dates.filter { $0.key != asOf }
            guard !other.isEmpty else { continue }
            let total = dates.values.reduce(0, +), n = other.values.reduce(0, +)
            let days = other.keys.sorted().prefix(3).map(\.description).joined(separator: ", ")
            out.append("\(n) of \(total) records have \(stamp) \(days)\(other.count > 3 ? ", …" : ""), not --as-of \(asOf): "
                       + "an earlier program in the pipe computed for another day")
        }
        return out
    }
}
