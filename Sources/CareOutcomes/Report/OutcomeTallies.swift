import CareCore

/// What outcome-report adds up from the person records, before any rounding, disclosure control
/// or statistics: the numerators and denominators of every metric × group × period, the ESP age
/// band counts, the monthly series, the pathway titles seen, the number of people and what the
/// as-of checks saw. Tallies add up: the tallies of any split of the people, merged, are the
/// tallies of them all, so `outcome-report --merge` gives the report of a single run byte for byte
/// (every count and sum of days is a whole number, exact in a Double whatever the order of adding).
///
/// Written as JSON Lines (`--format tallies`, docs/scale-out.md): a header line, then one line per
/// tally, band set, month and pathway item, in a fixed order.
public struct OutcomeTallies: Sendable {
    /// The version of the tallies format; a merge refuses another.
    public static let formatVersion = 1

    public var asOf: ISODate
    public var periods: [Period]
    public var groupBy: String
    /// The deprivation table's edition the breakdowns were made with.
    public var deprivation: String
    /// The program that wrote them (`outcome-report 1.2.0`): tallies of different versions may
    /// count differently, so a merge refuses a mix.
    public var program: String
    public var people: Int
    public var aggregates: Aggregates
    public var asOfCheck: AsOfCheck

    public init(asOf: ISODate, periods: [Period], groupBy: String, deprivation: String, program: String, people: Int,
                aggregates: Aggregates, asOfCheck: AsOfCheck) {
        self.asOf = asOf; self.periods = periods; self.groupBy = groupBy; self.deprivation = deprivation
        self.program = program; self.people = people; self.aggregates = aggregates; self.asOfCheck = asOfCheck
        self.aggregates.settle()
    }

    // MARK: writing

    public func render() -> [UInt8] {
        var w = JSONWriter()
        w.objectLine { w, f in
            w.member("outcome_tallies", first: &f); w.int(Self.formatVersion)
            w.member("program", first: &f); w.string(program)
            w.member("as_of", first: &f); w.string(asOf.description)
            w.member("periods", first: &f)
            w.list(periods) { w, p in
                var g = true
                w.raw(UInt8(ascii: "{"))
                w.member("name", first: &g); w.string(p.name)
                w.member("from", first: &g); w.string(p.from.description)
                w.member("to", first: &g); w.string(p.to.description)
                w.raw(UInt8(ascii: "}"))
            }
            w.member("group_by", first: &f); w.string(groupBy)
            w.member("deprivation", first: &f); w.string(deprivation)
            w.member("people", first: &f); w.int(people)
            w.member("newest_date", first: &f)
            if let d = asOfCheck.newestDay { w.string(ISODate(dayNumber: d).description) } else { w.null() }
        }
        for (stamp, dates) in asOfCheck.stamps.sorted(by: { $0.key < $1.key }) {
            for (d, n) in dates.sorted(by: { $0.key < $1.key }) {
                w.objectLine { w, f in
                    w.member("stamp", first: &f); w.string(stamp)
                    w.member("date", first: &f); w.string(d.description)
                    w.member("records", first: &f); w.int(n)
                }
            }
        }
        let order = { (a: Aggregates.Key, b: Aggregates.Key) in
            (a.metric, a.group, a.period) < (b.metric, b.group, b.period)
        }
        for (k, t) in aggregates.tallies.sorted(by: { order($0.key, $1.key) }) {
            w.objectLine { w, f in
                w.member("tally", first: &f); w.string(k.metric)
                w.member("group", first: &f); w.string(k.group)
                w.member("period", first: &f); w.int(k.period)
                w.member("numerator", first: &f); w.double(t.numerator)
                w.member("denominator", first: &f); w.double(t.denominator)
            }
        }
        for (k, bands) in aggregates.bands.sorted(by: { order($0.key, $1.key) }) {
            w.objectLine { w, f in
                w.member("bands", first: &f); w.string(k.metric)
                w.member("group", first: &f); w.string(k.group)
                w.member("period", first: &f); w.int(k.period)
                w.member("numerators", first: &f); w.list(bands.map(\.numerator)) { $0.double($1) }
                w.member("denominators", first: &f); w.list(bands.map(\.denominator)) { $0.double($1) }
            }
        }
        for (metric, months) in aggregates.monthly.sorted(by: { $0.key < $1.key }) {
            for (month, value) in months.sorted(by: { $0.key < $1.key }) {
                w.objectLine { w, f in
                    w.member("series", first: &f); w.string(metric)
                    w.member("month", first: &f); w.string(month)
                    w.member("value", first: &f); w.double(value)
                }
            }
        }
        for (metric, title) in aggregates.pathwayTitles.sorted(by: { $0.key < $1.key }) {
            w.objectLine { w, f in
                w.member("pathway_item", first: &f); w.string(metric)
                w.member("pathway", first: &f); w.string(title.pathway)
                w.member("item", first: &f); w.string(title.item)
            }
        }
        return w.bytes
    }

    // MARK: reading

    /// Reads a tallies file (`-` for standard input); every line is checked, and an error names
    /// the file, the line and the field.
    public static func read(_ input: InputFile) throws -> OutcomeTallies {
        let name = Mask.path(input.name)
        var header: OutcomeTallies?
        var agg = Aggregates()
        var check = AsOfCheck()
        var lines = 0
        func fail(_ line: Int, _ what: String) -> CareError {
            CareError(.dataError, "\(name):\(line): \(what)")
        }
        try LineReader(input).forEachLine { bytes, number in
            lines = number
            guard !bytes.isEmpty else { return }
            let v: JSONValue
            do { v = try JSONValue(parsing: bytes) } catch { throw fail(number, "not JSON (\(error))") }
            guard case .object(let members) = v, let (kind, _) = members.first else { throw fail(number, "not a JSON object") }
            func string(_ k: String) throws -> String {
                guard let s = v[k]?.stringValue else { throw fail(number, "\(k): missing or not text") }
                return s
            }
            func count(_ k: String) throws -> Double {
                guard let x = v[k]?.doubleValue, x.isFinite, x >= 0 else { throw fail(number, "\(k): missing or not a count") }
                return x
            }
            func date(_ k: String) throws -> ISODate {
                guard let d = ISODate.parse(try string(k)), d.precision == .day else { throw fail(number, "\(k): not a date") }
                return d
            }
            func period(_ periods: Int) throws -> Int {
                guard let p = v["period"]?.intValue, p >= 0, p < periods else { throw fail(number, "period: missing or not 0 to \(periods - 1)") }
                return p
            }
            if header == nil {
                guard kind == "outcome_tallies" else {
                    throw fail(number, "not outcome-report tallies (the first line names \"outcome_tallies\"; made by outcome-report --format tallies)")
                }
                guard v["outcome_tallies"]?.intValue == formatVersion else {
                    throw fail(number, "outcome_tallies: version \(v["outcome_tallies"]?.jsonText ?? "?") is not \(formatVersion), the version this outcome-report reads")
                }
                guard let list = v["periods"]?.arrayValue, list.count == 2 else { throw fail(number, "periods: missing or not two periods") }
                var periods: [Period] = []
                for p in list {
                    guard let n = p["name"]?.stringValue, let a = p["from"]?.stringValue.flatMap(ISODate.parse),
                          let b = p["to"]?.stringValue.flatMap(ISODate.parse), a.precision == .day, b.precision == .day, a <= b else {
                        throw fail(number, "periods: each needs a name and from ≤ to dates")
                    }
                    periods.append(Period(name: n, from: a, to: b))
                }
                let people = try count("people")
                guard people == people.rounded() else { throw fail(number, "people: not a whole number") }
                if let s = v["newest_date"], s != .null {
                    guard let d = s.stringValue.flatMap(ISODate.parse), d.precision == .day else { throw fail(number, "newest_date: not a date") }
                    check.see(d)
                }
                header = OutcomeTallies(asOf: try date("as_of"), periods: periods, groupBy: try string("group_by"),
                                        deprivation: try string("deprivation"), program: try string("program"), people: Int(people),
                                        aggregates: Aggregates(), asOfCheck: AsOfCheck())
                return
            }
            let periods = header!.periods.count
            switch kind {
            case "stamp":
                let n = try count("records")
                check.see(stamp: try string("stamp"), try date("date"), records: Int(n))
            case "tally":
                let key = Aggregates.Key(metric: try string("tally"), group: try string("group"), period: try period(periods))
                guard agg.tallies[key] == nil else { throw fail(number, "tally: \(key.metric) for \(key.group) in period \(key.period) twice") }
                agg.tallies[key] = Tally(numerator: try count("numerator"), denominator: try count("denominator"))
            case "bands":
                let key = Aggregates.Key(metric: try string("bands"), group: try string("group"), period: try period(periods))
                guard let ns = v["numerators"]?.arrayValue?.compactMap(\.doubleValue), let ds = v["denominators"]?.arrayValue?.compactMap(\.doubleValue),
                      ns.count == 19, ds.count == 19, (ns + ds).allSatisfy({ $0 >= 0 && $0.isFinite }) else {
                    throw fail(number, "bands: numerators and denominators must be 19 counts each (the ESP 2013 bands)")
                }
                guard agg.bands[key] == nil else { throw fail(number, "bands: \(key.metric) for \(key.group) in period \(key.period) twice") }
                agg.bands[key] = zip(ns, ds).map { Tally(numerator: $0, denominator: $1) }
            case "series":
                let metric = try string("series"), month = try string("month")
                guard month.count == 7, ISODate.parse(month + "-01") != nil else { throw fail(number, "month: '\(month)' is not YYYY-MM") }
                guard agg.monthly[metric]?[month] == nil else { throw fail(number, "series: \(metric) for \(month) twice") }
                agg.monthly[metric, default: [:]][month] = try count("value")
            case "pathway_item":
                agg.pathwayTitles[try string("pathway_item")] = (try string("pathway"), try string("item"))
            case "outcome_tallies":
                throw fail(number, "a second header: concatenated tallies files must be given as separate files")
            default:
                throw fail(number, "\(kind): not a kind of tally line (stamp, tally, bands, series, pathway_item)")
            }
        }
        guard var t = header else {
            throw CareError(.dataError, "\(name): empty (\(lines) lines): not outcome-report tallies")
        }
        t.aggregates = agg
        t.asOfCheck = check
        return t
    }

    // MARK: merging

    /// Adds another split's tallies; they must have been made for the same day, periods, groups,
    /// deprivation edition and program version (else the sums would mix different questions).
    public mutating func merge(_ other: OutcomeTallies, name: String) throws {
        func differ(_ what: String, _ a: String, _ b: String) -> CareError {
            CareError(.dataError, "\(name): made with \(what) \(b), the first tallies with \(a): tallies merge only when they answer the same question")
        }
        if other.program != program { throw differ("program", program, other.program) }
        if other.asOf != asOf { throw differ("--as-of", asOf.description, other.asOf.description) }
        let describe = { (ps: [Period]) in ps.map { "\($0.name) (\($0.from)..\($0.to))" }.joined(separator: " and ") }
        if other.periods != periods { throw differ("periods", describe(periods), describe(other.periods)) }
        if other.groupBy != groupBy { throw differ("--group-by", groupBy, other.groupBy) }
        if other.deprivation != deprivation { throw differ("the deprivation table", deprivation, other.deprivation) }
        people += other.people
        aggregates.merge(other.aggregates)
        asOfCheck.merge(other.asOfCheck)
    }
}
