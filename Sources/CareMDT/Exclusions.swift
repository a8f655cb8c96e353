import CareCore

/// Who is left out of every list, and why. Each reason is counted in the summary.
///
/// In order: deceased on or before `--as-of`; opted out (`--opt-out FILE`); no active
/// registration; on the exclusions list (`--exclusions FILE`: id,reason,until — left out up to
/// and including `until`); reviewed recently (an `mdt-review` encounter in the `--review-gap`
/// before `--as-of`, default 90 days: back on the list the day after the gap ends).
public struct Exclusions: Sendable {
    public struct Listed: Sendable { public var reason: String; public var until: ISODate }

    public var optedOut: Set<String> = []
    public var listed: [String: Listed] = [:]
    public var reviewGap = Duration(days: 90)

    public init() {}

    /// One id or NHS number per line (blank lines and `#` comments ignored).
    public mutating func readOptOut(_ path: String) throws {
        let text = String(decoding: try InputFile(path: path).readAll(), as: UTF8.self)
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let s = String(line).trimmingSpaces
            if !s.isEmpty && !s.hasPrefix("#") { optedOut.insert(s) }
        }
    }

    /// CSV with columns id, reason, until (YYYY-MM-DD).
    public mutating func readList(_ path: String) throws {
        let t = try CSVTable(path: path)
        let ids = try t.requiredValues("id"), reasons = try t.requiredValues("reason"), untils = try t.requiredValues("until")
        for i in ids.indices {
            guard let until = ISODate.parse(untils[i]), until.precision == .day else {
                throw CareError(.dataError, "\(path):\(t.rows[i].line): until: not a date (YYYY-MM-DD)")
            }
            guard !ids[i].isEmpty else { throw CareError(.dataError, "\(path):\(t.rows[i].line): id: empty") }
            listed[ids[i]] = Listed(reason: reasons[i].isEmpty ? "listed" : reasons[i], until: until)
        }
    }

    /// The reason `record` is left out at `asOf`, or nil. Reasons are category names for the
    /// summary (never a value from the record).
    public func reason(_ record: RecordScope, id: String, nhsNumber: String?) -> String? {
        if record.value(["deceased"]).isTrue { return "died" }
        if optedOut.contains(id) || nhsNumber.map({ optedOut.contains($0) }) == true { return "opted out" }
        if !record.value(["registered"]).isTrue { return "no active registration" }
        if let l = listed[id] ?? nhsNumber.flatMap({ listed[$0] }), record.asOf <= l.until { return "on the exclusions list (\(l.reason))" }
        if let last = lastReview(record), reviewGap.moving(last) >= record.asOf { return "reviewed recently" }
        return nil
    }

    /// The latest `mdt-review` encounter on or before as-of.
    func lastReview(_ record: RecordScope) -> ISODate? {
        guard let range = record.raw("encounters"),
              ByteSearch.contains(UnsafeBufferPointer(rebasing: record.line[range]), "mdt-review") else { return nil }
        var latest: ISODate?
        for e in record.elements("encounters") where e["kind"]?.stringValue == "mdt-review" {
            guard let d = e["start"]?.stringValue.flatMap({ ISODate.parse($0) }), d <= record.asOf else { continue }
            if latest.map({ d > $0 }) ?? true { latest = d }
        }
        return latest
    }
}
