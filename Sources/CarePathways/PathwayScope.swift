import CareCore

/// What a pathway's expressions see: the record, plus `trigger.*` (the element that started the
/// instance; `trigger.age` is the age on its start day), `steps.ID.date` and `steps.ID.status`,
/// and `as_of`. `age`, `deceased` and `registered` are computed on this scope's own date (an
/// outcome's `at` day, for its `holds`).
final class PathwayScope: ExpressionScope {
    let record: RecordScope
    var asOf: ISODate
    var trigger: JSONValue = .null
    var triggerStart: ISODate?
    var steps: [String: (status: String, date: ISODate?)] = [:]
    /// Who entered which group when, as of the last run (`--history`).
    let history: PathwayHistory?
    /// This person's `date: entered` instances tonight: the pathway and the day they entered.
    var entered: [(pathway: String, date: ISODate)] = []
    /// Each list's elements (byte ranges, not parsed) with their dates, read once per person
    /// for every pathway.
    private var dated: [String: [(element: Range<Int>, date: ISODate?)]] = [:]

    func datedElements(_ list: String) -> [(element: Range<Int>, date: ISODate?)] {
        if let d = dated[list] { return d }
        let d = list == "events" ? record.datedElementRanges(list, dateKey: "date") : record.datedElementRanges(list, dateKey: "start")
        dated[list] = d
        return d
    }

    /// The newest date among the lists the pathways read for this person (their elements are in
    /// date order, so the last dated one), for the stale-data warning; nil when none was read.
    var newestReadDay: Int? {
        var newest: Int?
        for (_, elements) in dated {
            if let d = elements.last(where: { $0.date != nil })?.date?.dayNumber, newest.map({ d > $0 }) ?? true { newest = d }
        }
        return newest
    }

    /// A list's dated elements in date order (as ingest-gp writes lists, so usually no sort is
    /// needed), for finding those in a window by binary search: a person with tens of thousands
    /// of admissions, each a pathway instance, stays near-linear (a scan per instance was
    /// quadratic).
    private var sortedDated: [String: [(element: Range<Int>, date: ISODate)]] = [:]

    func datedInOrder(_ list: String) -> [(element: Range<Int>, date: ISODate)] {
        if let d = sortedDated[list] { return d }
        var d: [(element: Range<Int>, date: ISODate)] = datedElements(list).compactMap { e in e.date.map { (e.element, $0) } }
        if !zip(d, d.dropFirst()).allSatisfy({ $0.date <= $1.date }) {
            d = d.enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element)
        }
        sortedDated[list] = d
        return d
    }

    /// The index of the first element dated on or after `day` in `datedInOrder(list)`.
    func firstIndex(in list: [(element: Range<Int>, date: ISODate)], onOrAfter day: ISODate) -> Int {
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid].date < day { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// One element as an expression scope (its fields first, then this scope's).
    func element(_ r: Range<Int>) -> RawElementScope { RawElementScope(record: record, range: r, outer: self) }

    /// One element parsed (the trigger: its fields are read again and again).
    func parsed(_ r: Range<Int>) -> JSONValue {
        (try? JSONValue(parsing: UnsafeBufferPointer(rebasing: record.line[r]))) ?? .null
    }

    init(record: RecordScope, history: PathwayHistory? = nil) {
        self.record = record
        self.history = history
        asOf = record.asOf
    }

    /// Ready for the next person (the record has been loaded anew); storage is kept.
    func reset() {
        asOf = record.asOf
        trigger = .null
        triggerStart = nil
        steps.removeAll(keepingCapacity: true)
        entered.removeAll(keepingCapacity: true)
        dated.removeAll(keepingCapacity: true)
        sortedDated.removeAll(keepingCapacity: true)
        dates.removeAll(keepingCapacity: true)
    }

    func value(_ path: [String]) -> ExpressionValue {
        switch path[0] {
        case "trigger":
            if path.count == 2 && path[1] == "age" {
                guard let start = triggerStart, let birth = recordDate("birth_date") else { return .null }
                return .number(Double(birth.age(on: start)))
            }
            var v: JSONValue? = trigger
            for name in path.dropFirst() { v = v?[name] }
            return ExpressionValue(v)
        case "steps":
            guard path.count == 3, let s = steps[path[1]] else { return .null }
            switch path[2] {
            case "date": return s.date.map { .date($0) } ?? .null
            case "status": return .string(s.status)
            default: return .null
            }
        case "as_of" where path.count == 1:
            return .date(asOf)
        case "age" where path.count == 1:
            guard let birth = recordDate("birth_date") else { return .null }
            return .number(Double(birth.age(on: asOf)))
        case "deceased" where path.count == 1:
            guard let d = recordDate("death_date") else { return .bool(false) }
            return .bool(d <= asOf)
        case "registered" where path.count == 1:
            if let s = recordDate("registration_start"), s > asOf { return .bool(false) }
            if let e = recordDate("registration_end"), e < asOf { return .bool(false) }
            return .bool(true)
        default:
            return record.value(path)
        }
    }

    /// The record's own dates, read once per person (every pathway asks for them).
    private var dates: [String: ISODate?] = [:]

    func recordDate(_ key: String) -> ISODate? {
        if let d = dates[key] { return d }
        let d = record.string(key).flatMap { ISODate.parse($0) }
        dates[key] = d
        return d
    }

    func elements(_ collection: String) -> [JSONValue] { record.elements(collection) }

    func mightContain(_ collection: String, anyOf strings: Set<String>) -> Bool {
        record.mightContain(collection, anyOf: strings)
    }
}

/// The date of a list element: `start` (encounters, care) or `date` (events).
func elementDate(_ e: JSONValue, list: String) -> ISODate? {
    e[list == "events" ? "date" : "start"]?.stringValue.flatMap { ISODate.parse($0) }
}
