import CareCore

/// The metrics of the report (docs/metrics.md defines each: numerator, denominator, exclusions,
/// source).
public struct MetricDefinition: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Events per `multiplier` people, with exact (< 10) or Byar limits.
        case rate(multiplier: Double)
        /// A total (bed days) per `multiplier` people: no interval (the days are not independent events).
        case total(multiplier: Double)
        /// A percentage with Wilson limits.
        case proportion
        /// A directly age-standardised rate (ESP 2013) per `multiplier`, with Dobson limits;
        /// not calculated below 10 events.
        case standardised(multiplier: Double)
        /// A count.
        case count
    }
    public var id: String
    public var title: String
    public var kind: Kind
    /// The heading a metric is shown under (a pathway's title, for its steps and outcomes).
    public var section: String? = nil
    /// The title with its section, for a row read on its own (CSV, JSON Lines, the summary).
    public var fullTitle: String { section.map { "\($0): \(title)" } ?? title }
    /// true when higher is better, false when lower is, nil when neither.
    public var higherIsBetter: Bool?
    public var unit: String {
        switch kind {
        case .rate(let m), .total(let m), .standardised(let m): return m == 1000 ? "per 1,000" : "per 100,000"
        case .proportion: return "%"
        case .count: return "count"
        }
    }

    public static let standard: [MetricDefinition] = [
        .init(id: "emergency_admissions", title: "Emergency admissions", kind: .rate(multiplier: 1000), higherIsBetter: false),
        .init(id: "emergency_admissions_dsr", title: "Emergency admissions, directly age-standardised (ESP 2013)", kind: .standardised(multiplier: 100_000), higherIsBetter: false),
        .init(id: "emergency_admissions_65", title: "Emergency admissions, 65 and over", kind: .rate(multiplier: 1000), higherIsBetter: false),
        .init(id: "emergency_bed_days", title: "Emergency bed days", kind: .total(multiplier: 1000), higherIsBetter: false),
        .init(id: "ae_attendances", title: "A&E attendances", kind: .rate(multiplier: 1000), higherIsBetter: false),
        .init(id: "readmissions_30d", title: "Emergency readmissions within 30 days of discharge", kind: .proportion, higherIsBetter: false),
        .init(id: "care_home_admissions_65", title: "Permanent admissions to residential and nursing care, 65 and over (ASCOF 2A)", kind: .rate(multiplier: 100_000), higherIsBetter: false),
        .init(id: "at_home_91_days", title: "At home 91 days after discharge into reablement, 65 and over (ASCOF 2B(1))", kind: .proportion, higherIsBetter: true),
        .init(id: "deaths_usual_residence", title: "Deaths in usual place of residence (home or care home)", kind: .proportion, higherIsBetter: true),
        .init(id: "mdt_reviews", title: "MDT reviews held", kind: .count, higherIsBetter: nil),
    ]
}

/// Numerator and denominator of one metric for one group and period.
public struct Tally: Sendable, Equatable {
    public var numerator = 0.0
    public var denominator = 0.0
}

/// What the report adds up, person by person: memory is groups × periods × metrics (and the
/// months of the series), never the number of people.
public struct Aggregates: Sendable {
    public struct Key: Hashable, Sendable { public var metric: String; public var group: String; public var period: Int }
    public var tallies: [Key: Tally] = [:]
    /// The same by ESP 2013 age band (19: 0-4 … 90+), for standardised rates: the standardised
    /// metric's id → its events and population in each band (age on the period's first day).
    public var bands: [Key: [Tally]] = [:]
    /// The tallies (and band sets) whose denominators came from a population file.
    public var fromPopulationFile: Set<Key> = []
    /// The whole system's monthly series, for SPC charts: metric id → "YYYY-MM" → value.
    public var monthly: [String: [String: Double]] = [:]
    /// The metrics with a monthly series: emergency admissions (by admission month), emergency
    /// bed days (by discharge month), A&E attendances, permanent care-home admissions 65+.
    public static let seriesMetrics = [Fixed.emergencyAdmissions, .emergencyBedDays, .aeAttendances, .careHomeAdmissions65].map(\.id)
    /// Pathway steps and outcomes seen, by metric id: the pathway's title and the item's.
    public var pathwayTitles: [String: (pathway: String, item: String)] = [:]

    public init() {}

    // The hot path adds into flat arrays indexed by group slot, period and metric, resolving the
    // group's name once per person; `settle()` moves them into `tallies` and `bands`, which is
    // what everything after the reading sees. (Two dictionary lookups with string keys per metric
    // and period had been a tenth of the run.)
    enum Fixed: Int, CaseIterable {
        case emergencyAdmissions, emergencyAdmissions65, emergencyBedDays, aeAttendances, readmissions30d,
             careHomeAdmissions65, atHome91Days, deathsUsualResidence, mdtReviews
        var id: String {
            switch self {
            case .emergencyAdmissions: "emergency_admissions"
            case .emergencyAdmissions65: "emergency_admissions_65"
            case .emergencyBedDays: "emergency_bed_days"
            case .aeAttendances: "ae_attendances"
            case .readmissions30d: "readmissions_30d"
            case .careHomeAdmissions65: "care_home_admissions_65"
            case .atHome91Days: "at_home_91_days"
            case .deathsUsualResidence: "deaths_usual_residence"
            case .mdtReviews: "mdt_reviews"
            }
        }
    }
    static let dsrMetric = "emergency_admissions_dsr"
    private var slotOf: [String: Int] = [MetricRows.system: 0]
    private var slotNames: [String] = [MetricRows.system]
    private var periodCount = 0
    /// [slot][period][metric] numerator, denominator, touched.
    private var fixed: [Double] = []
    private var touched: [Bool] = []
    /// [slot][period][band] numerator, denominator (the standardised rate).
    private var bandSums: [Double] = []
    private var bandTouched: [Bool] = []

    /// The slots of the breakdown groups, by index (-1: not yet made).
    private var quintileSlots = [Int](repeating: -1, count: 6), core20Slots = [Int](repeating: -1, count: 3), ethnicSlots = [Int](repeating: -1, count: 7)

    private mutating func slot(_ group: String, periods: Int) -> Int {
        func grow() {
            fixed += Array(repeating: 0, count: periods * Self.fixedCount * 2)
            touched += Array(repeating: false, count: periods * Self.fixedCount)
            bandSums += Array(repeating: 0, count: periods * 19 * 2)
            bandTouched += Array(repeating: false, count: periods)
        }
        if periodCount == 0 { periodCount = periods; grow() }   // slot 0, the whole system
        precondition(periods == periodCount, "one Aggregates adds up one set of periods")
        if let s = slotOf[group] { return s }
        let s = slotNames.count
        slotOf[group] = s
        slotNames.append(group)
        grow()
        return s
    }

    static let fixedCount = Fixed.allCases.count

    // One person's contributions are added up here first, then into each of their groups' slots
    // once (`flush`): a person in five groups with many admissions costs one add per admission,
    // not five.
    private var personFixed: [Double] = [], personTouched: [Bool] = [], personTouchedList: [Int] = []
    private var personBands: [Double] = [], personBandTouched: [Bool] = [], personBandList: [Int] = []

    @inline(__always) private mutating func add(_ m: Fixed, _ slots: [Int], _ period: Int, numerator: Double = 0, denominator: Double = 0) {
        let i = period * Self.fixedCount + m.rawValue
        personFixed[2 * i] += numerator
        personFixed[2 * i + 1] += denominator
        if !personTouched[i] { personTouched[i] = true; personTouchedList.append(i) }
    }

    @inline(__always) private mutating func addBand(_ slots: [Int], _ period: Int, band: Int, numerator: Double = 0, denominator: Double = 0) {
        let i = (period * 19 + band) * 2
        personBands[i] += numerator
        personBands[i + 1] += denominator
        if !personBandTouched[period * 19 + band] { personBandTouched[period * 19 + band] = true; personBandList.append(period * 19 + band) }
    }

    /// Adds the person's contributions into the whole system's slot and each of `slots`.
    private mutating func flush(_ slots: [Int]) {
        for i in personTouchedList {
            let period = i / Self.fixedCount, m = i % Self.fixedCount
            let n = personFixed[2 * i], d = personFixed[2 * i + 1]
            for (k, s) in ([0] + slots).enumerated() where k == 0 || s != 0 {
                let j = (s * periodCount + period) * Self.fixedCount + m
                fixed[2 * j] += n
                fixed[2 * j + 1] += d
                touched[j] = true
            }
            personFixed[2 * i] = 0; personFixed[2 * i + 1] = 0; personTouched[i] = false
        }
        personTouchedList.removeAll(keepingCapacity: true)
        for pb in personBandList {
            let period = pb / 19, band = pb % 19
            let n = personBands[2 * pb], d = personBands[2 * pb + 1]
            for (k, s) in ([0] + slots).enumerated() where k == 0 || s != 0 {
                let j = ((s * periodCount + period) * 19 + band) * 2
                bandSums[j] += n
                bandSums[j + 1] += d
                bandTouched[s * periodCount + period] = true
            }
            personBands[2 * pb] = 0; personBands[2 * pb + 1] = 0; personBandTouched[pb] = false
        }
        personBandList.removeAll(keepingCapacity: true)
    }

    /// Moves what the hot path added into `tallies` and `bands` (idempotent).
    public mutating func settle() {
        guard periodCount > 0 else { return }
        for (s, name) in slotNames.enumerated() {
            for p in 0..<periodCount {
                for m in Fixed.allCases {
                    let i = (s * periodCount + p) * Self.fixedCount + m.rawValue
                    guard touched[i] else { continue }
                    let key = Key(metric: m.id, group: name, period: p)
                    var t = tallies[key] ?? Tally()
                    t.numerator += fixed[2 * i]
                    t.denominator += fixed[2 * i + 1]
                    tallies[key] = t
                    fixed[2 * i] = 0; fixed[2 * i + 1] = 0; touched[i] = false
                }
                guard bandTouched[s * periodCount + p] else { continue }
                let key = Key(metric: Self.dsrMetric, group: name, period: p)
                var b = bands[key] ?? Array(repeating: Tally(), count: 19)
                for band in 0..<19 {
                    let i = ((s * periodCount + p) * 19 + band) * 2
                    b[band].numerator += bandSums[i]
                    b[band].denominator += bandSums[i + 1]
                    bandSums[i] = 0; bandSums[i + 1] = 0
                }
                bands[key] = b
                bandTouched[s * periodCount + p] = false
            }
        }
    }

    mutating func add(_ metric: String, _ groups: [String], _ period: Int, numerator: Double = 0, denominator: Double = 0) {
        for g in [MetricRows.system] + groups {
            var t = tallies[Key(metric: metric, group: g, period: period)] ?? Tally()
            t.numerator += numerator
            t.denominator += denominator
            tallies[Key(metric: metric, group: g, period: period)] = t
        }
    }

    /// Adds another worker's aggregates (both settled first).
    public mutating func merge(_ other: Aggregates) {
        settle()
        var o = other
        o.settle()
        for (k, b) in o.bands {
            var x = bands[k] ?? Array(repeating: Tally(), count: 19)
            for i in x.indices { x[i].numerator += b[i].numerator; x[i].denominator += b[i].denominator }
            bands[k] = x
        }
        for (k, t) in o.tallies {
            var x = tallies[k] ?? Tally()
            x.numerator += t.numerator
            x.denominator += t.denominator
            tallies[k] = x
        }
        for (metric, months) in o.monthly {
            for (m, n) in months { monthly[metric, default: [:]][m, default: 0] += n }
        }
        for (k, v) in o.pathwayTitles { pathwayTitles[k] = v }
    }

    /// Adds one person's contributions to every metric and period, for the whole system and each
    /// of `groups` (their practice, and the inequality breakdowns they fall in).
    public mutating func add(_ r: RecordScope, groups: [String], periods: [Period], asOf: ISODate) {
        func date(_ v: JSONValue?) -> ISODate? { v?.stringValue.flatMap { ISODate.parse($0) } }
        func recordDate(_ k: String) -> ISODate? { r.string(k).flatMap { ISODate.parse($0) } }
        var slot = groups.map { self.slot($0, periods: periods.count) }
        let b = Breakdown.indices(r)
        if quintileSlots[b.quintile] < 0 { quintileSlots[b.quintile] = self.slot(Breakdown.quintileNames[b.quintile], periods: periods.count) }
        if core20Slots[b.core20] < 0 { core20Slots[b.core20] = self.slot(Breakdown.core20Names[b.core20], periods: periods.count) }
        if ethnicSlots[b.ethnic] < 0 { ethnicSlots[b.ethnic] = self.slot(Breakdown.ethnicNames[b.ethnic], periods: periods.count) }
        slot += [quintileSlots[b.quintile], core20Slots[b.core20], ethnicSlots[b.ethnic]]
        if personFixed.isEmpty {
            personFixed = Array(repeating: 0, count: periods.count * Self.fixedCount * 2)
            personTouched = Array(repeating: false, count: periods.count * Self.fixedCount)
            personBands = Array(repeating: 0, count: periods.count * 19 * 2)
            personBandTouched = Array(repeating: false, count: periods.count * 19)
        }
        defer { flush(slot) }
        let group = groups + [Breakdown.quintileNames[b.quintile], Breakdown.core20Names[b.core20], Breakdown.ethnicNames[b.ethnic]]
        let birth = recordDate("birth_date"), death = recordDate("death_date")
        let regStart = recordDate("registration_start"), regEnd = recordDate("registration_end")
        let encounters = r.elements("encounters"), care = r.elements("care")
        let admissions = encounters.filter { $0["kind"]?.stringValue == "admission" }
        let emergencies = admissions.filter { $0["method"]?.stringValue == "emergency" }

        func month(_ metric: String, _ d: ISODate?, _ n: Double = 1) {
            guard let d, d <= asOf, d.precision == .day else { return }
            monthly[metric, default: [:]][String(d.description.prefix(7)), default: 0] += n
        }
        for e in emergencies {
            month(Fixed.emergencyAdmissions.id, date(e["start"]))
            if let s = date(e["start"]), let end = date(e["end"]), end >= s { month(Fixed.emergencyBedDays.id, end, Double(end.dayNumber - s.dayNumber)) }
        }
        for e in encounters where e["kind"]?.stringValue == "ae" { month(Fixed.aeAttendances.id, date(e["start"])) }
        for c in care {
            let k = c["kind"]?.stringValue
            guard k == "residential" || k == "nursing", c["permanent"] == .bool(true), let s = date(c["start"]),
                  let age = birth?.age(on: s), age >= 65 else { continue }
            month(Fixed.careHomeAdmissions65.id, s)
        }

        // Emergency admissions by start day, read once, for the readmission search (a binary
        // search per discharge: a person with thousands of admissions stays linear-logarithmic).
        let emergencyDays: [(start: Int, end: Int?, startDate: ISODate, endDate: ISODate?)] = emergencies.compactMap { e in
            guard let s = date(e["start"]) else { return nil }
            let end = date(e["end"])
            return (s.dayNumber, end?.dayNumber, s, end)
        }.sorted { $0.start < $1.start }
        func readmitted(after a: JSONValue, end: ISODate) -> Bool {
            let aStart = date(a["start"]), aEnd = date(a["end"])
            var lo = 0, hi = emergencyDays.count
            while lo < hi { let mid = (lo + hi) / 2; if emergencyDays[mid].start < end.dayNumber { lo = mid + 1 } else { hi = mid } }
            var i = lo
            while i < emergencyDays.count && emergencyDays[i].start - end.dayNumber <= 29 {
                let e = emergencyDays[i]
                if !(aStart == e.startDate && aEnd == e.endDate) { return true }   // not the same admission
                i += 1
            }
            return false
        }

        for (pi, p) in periods.enumerated() {
            // The population: registered at some time in the period, alive at its start, born by its end.
            if let s = regStart, s > p.to { continue }
            if let e = regEnd, e < p.from { continue }
            if let d = death, d < p.from { continue }
            if let b = birth, b > p.to { continue }
            let age = birth?.age(on: p.from)
            let is65 = (age ?? 0) >= 65 && age != nil
            add(.emergencyAdmissions, slot, pi, denominator: 1)
            let band = age.map { min(max($0, 0) / 5, 18) }
            if let band { addBand(slot, pi, band: band, denominator: 1) }
            add(.emergencyBedDays, slot, pi, denominator: 1)
            add(.aeAttendances, slot, pi, denominator: 1)
            add(.mdtReviews, slot, pi)
            if is65 {
                add(.emergencyAdmissions65, slot, pi, denominator: 1)
                add(.careHomeAdmissions65, slot, pi, denominator: 1)
            }
            for e in emergencies {
                if let s = date(e["start"]), p.contains(s) {
                    add(.emergencyAdmissions, slot, pi, numerator: 1)
                    if let band { addBand(slot, pi, band: band, numerator: 1) }
                    if is65 { add(.emergencyAdmissions65, slot, pi, numerator: 1) }
                }
                if let s = date(e["start"]), let end = date(e["end"]), p.contains(end), end >= s {
                    add(.emergencyBedDays, slot, pi, numerator: Double(end.dayNumber - s.dayNumber))
                }
            }
            for e in encounters {
                guard let s = date(e["start"]), p.contains(s) else { continue }
                switch e["kind"]?.stringValue {
                case "ae"?: add(.aeAttendances, slot, pi, numerator: 1)
                case "mdt-review"?: add(.mdtReviews, slot, pi, numerator: 1)
                default: break
                }
            }
            // Readmissions: discharges alive in the period; an emergency admission 0–29 days later.
            for a in admissions {
                guard let end = date(a["end"]), p.contains(end), a["destination"]?.stringValue != "died" else { continue }
                add(.readmissions30d, slot, pi, numerator: readmitted(after: a, end: end) ? 1 : 0, denominator: 1)
            }
            func permanentCareHome(by day: ISODate) -> Bool {
                care.contains { c in
                    let k = c["kind"]?.stringValue
                    guard k == "residential" || k == "nursing", c["permanent"] == .bool(true), let s = date(c["start"]) else { return false }
                    return s <= day
                }
            }
            for c in care {
                guard let s = date(c["start"]), p.contains(s) else { continue }
                let ageAtStart = birth?.age(on: s)
                let k = c["kind"]?.stringValue
                if (k == "residential" || k == "nursing") && c["permanent"] == .bool(true) && (ageAtStart ?? 0) >= 65 && ageAtStart != nil {
                    add(.careHomeAdmissions65, slot, pi, numerator: 1)
                }
                if k == "reablement" && c["route"]?.stringValue == "discharge-from-hospital" && (ageAtStart ?? 0) >= 65 && ageAtStart != nil {
                    let day91 = s.adding(days: 91)
                    guard day91 <= asOf else { continue }   // not yet known
                    let atHome = (death.map { $0 > day91 } ?? true) && !permanentCareHome(by: day91)
                    add(.atHome91Days, slot, pi, numerator: atHome ? 1 : 0, denominator: 1)
                }
            }
            // Deaths in usual place of residence (OHID DiUPR): deaths in the period at home or in a
            // care home, of deaths whose place is known (the record's death_place, else a hospital
            // spell that ended in death that day).
            if let d = death, p.contains(d) {
                var place = r.string("death_place")
                if place == nil, admissions.contains(where: { a in
                    date(a["end"]) == d && (a["destination"]?.stringValue == "died")
                }) { place = "hospital" }
                if let place {
                    add(.deathsUsualResidence, slot, pi, numerator: place == "home" || place == "care-home" ? 1 : 0, denominator: 1)
                }
            }
            // Pathway compliance, from pathway-audit's output: instances triggered in the period,
            // each step and outcome by the titles the records carry (ids where they carry none).
            if let range = r.raw("pathways"), let pw = try? JSONValue(parsing: UnsafeBufferPointer(rebasing: r.line[range])),
               case .object(let members) = pw {
                for (id, value) in members {
                    guard case .array(let instances) = value else { continue }
                    for inst in instances {
                        guard let t = date(inst["trigger"]?["start"]), p.contains(t) else { continue }
                        let pathway = inst["title"]?.stringValue ?? "Pathway \(id)"
                        var items: [(metric: String, title: String, status: String)] = []
                        if case .array(let steps)? = inst["steps"] {
                            for st in steps where st["marker"] != .bool(true) {
                                guard let sid = st["id"]?.stringValue, let status = st["status"]?.stringValue else { continue }
                                items.append(("pathway:\(id):\(sid)", "\(st["title"]?.stringValue ?? "step \(sid)") (met in its window)", status))
                            }
                        }
                        if case .array(let outcomes)? = inst["outcomes"] {
                            for o in outcomes {
                                guard let oid = o["id"]?.stringValue, let status = o["status"]?.stringValue else { continue }
                                items.append(("pathway:\(id):outcome:\(oid)", "\(o["title"]?.stringValue ?? "outcome \(oid)") (met)", status))
                            }
                        }
                        for (metric, title, status) in items where ["met", "late", "missed"].contains(status) {
                            pathwayTitles[metric] = (pathway, title)
                            add(metric, group, pi, numerator: status == "met" ? 1 : 0, denominator: 1)
                        }
                    }
                }
            }
        }
    }
}
