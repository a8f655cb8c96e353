import CareCore

/// A population by five-year age band (`--population FILE`), for rate denominators and
/// age-standardised rates: registered list sizes by practice (NHS Digital "Patients registered
/// at a GP practice", by single year or quinary age) or resident estimates (ONS mid-year
/// estimates), added up into the bands of the European Standard Population 2013.
///
/// CSV columns: `age_band` and `population` (required), `group` (optional: a practice or any
/// `--group-by` value; blank or absent for the whole system) and `period` (optional: a period's
/// name, such as 2025-26; blank or absent for every period). Rows for the same group and band
/// add up: a period's population is its own rows plus the rows for every period. The whole system's bands are its own rows where the file has them, else the sum
/// of its groups.
public struct PopulationFile: Sendable {
    public let name: String
    /// group ("" = whole system) → period name ("" = every period) → the 19 ESP bands.
    var counts: [String: [String: [Double]]] = [:]

    public init(path: String) throws {
        name = path
        let t = try CSVTable(path: path)
        let bands = try t.requiredValues("age_band"), pops = try t.requiredValues("population")
        let groups = (try? t.values("group")) ?? Array(repeating: "", count: bands.count)
        let periods = (try? t.values("period")) ?? Array(repeating: "", count: bands.count)
        for i in bands.indices {
            let line = t.rows[i].line
            guard let b = Self.band(bands[i]) else {
                throw CareError(.dataError, "\(path):\(line): age_band: '\(bands[i])' is not a five-year band (0-4, 5-9, … 85-89, 90+; 90-94 and 95+ fold into 90+)")
            }
            guard let n = Double(pops[i]), n >= 0, n.isFinite else {
                throw CareError(.dataError, "\(path):\(line): population: '\(pops[i])' is not a count")
            }
            if !periods[i].isEmpty, Period(parsing: periods[i]) == nil {
                throw CareError(.dataError, "\(path):\(line): period: '\(periods[i])' is not a financial year (2025-26, FY2025) or FROM..TO")
            }
            let period = periods[i].isEmpty ? "" : Period(parsing: periods[i])!.name
            counts[groups[i], default: [:]][period, default: Array(repeating: 0, count: 19)][b] += n
        }
        if counts.isEmpty { throw CareError(.dataError, "\(path): no rows") }
    }

    /// The ESP 2013 band index (0 for 0-4 … 18 for 90+) of a label such as "65-69" or "90+".
    static func band(_ label: String) -> Int? {
        let s = label.replacingOccurrences(of: " ", with: "")
        if s.hasSuffix("+"), let a = Int(s.dropLast()), a >= 90 { return 18 }
        let parts = s.split(separator: "-")
        guard parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]), a % 5 == 0, b == a + 4 else { return nil }
        return min(a / 5, 18)
    }

    /// The 19 band populations of a group (`MetricRows.system` for the whole system) in a period,
    /// or nil when the file has none for it.
    public func bands(group: String, period: Period) -> [Double]? {
        // Rows for every period, plus the rows for this one.
        func lookup(_ g: String) -> [Double]? {
            guard let byPeriod = counts[g] else { return nil }
            let all = byPeriod[""], this = byPeriod[period.name]
            switch (all, this) {
            case (nil, nil): return nil
            case let (a?, nil): return a
            case let (nil, t?): return t
            case let (a?, t?): return zip(a, t).map { $0 + $1 }
            }
        }
        if group == MetricRows.system {
            if let own = lookup("") { return own }
            let parts = counts.keys.filter { !$0.isEmpty }.compactMap(lookup)
            guard !parts.isEmpty else { return nil }
            return parts.reduce(Array(repeating: 0, count: 19)) { acc, b in zip(acc, b).map { $0 + $1 } }
        }
        return lookup(group)
    }

    /// The metrics whose denominator is a population, and the bands each counts (65+ = 13…18).
    static let denominators: [String: ClosedRange<Int>] = [
        Aggregates.Fixed.emergencyAdmissions.id: 0...18, Aggregates.Fixed.emergencyBedDays.id: 0...18,
        Aggregates.Fixed.aeAttendances.id: 0...18, Aggregates.Fixed.emergencyAdmissions65.id: 13...18,
        Aggregates.Fixed.careHomeAdmissions65.id: 13...18,
    ]

    /// Replaces the person stream's population denominators with the file's. Returns the groups
    /// the file has no population for (their denominators stay the person stream's; the whole
    /// system's too, unless the file gives it or covers every group).
    public func apply(to agg: inout Aggregates, periods: [Period]) -> [String] {
        agg.settle()
        var missing = Set<String>()
        // The whole system's population is the file's sum of groups only when the file covers
        // every group of the report (or gives the system's own rows).
        // The inequality breakdowns keep the person stream's denominators: a population file is by
        // practice (or team), not by area or ethnic group.
        let streamGroups = Set(agg.tallies.keys.map(\.group).filter { Breakdown.of($0) == nil }).subtracting([MetricRows.system])
        let coversAll = counts[""] != nil || streamGroups.allSatisfy { counts[$0] != nil }
        func usable(_ key: Aggregates.Key) -> [Double]? {
            if key.group == MetricRows.system && !coversAll { return nil }
            return bands(group: key.group, period: periods[key.period])
        }
        for (key, tally) in agg.tallies where Breakdown.of(key.group) == nil {
            guard let range = Self.denominators[key.metric] else { continue }
            guard let b = usable(key) else { missing.insert(key.group); continue }
            var t = tally
            t.denominator = b[range].reduce(0, +)
            agg.tallies[key] = t
            agg.fromPopulationFile.insert(key)
        }
        for (key, tallies) in agg.bands where Breakdown.of(key.group) == nil {
            guard let b = usable(key) else { continue }
            agg.bands[key] = zip(tallies, b).map { Tally(numerator: $0.numerator, denominator: $1) }
            agg.fromPopulationFile.insert(key)
        }
        return missing.sorted()
    }
}
