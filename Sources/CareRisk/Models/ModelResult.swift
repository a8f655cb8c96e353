import CareCore

/// The evidence behind a reason: one code as it stood in the person's record.
public struct Evidence: Sendable {
    public var code: Range<Int>
    public var system: String
    public var date: Range<Int>?
    public var source: Range<Int>?

    public init(code: Range<Int>, system: String, date: Range<Int>?, source: Range<Int>?) {
        self.code = code; self.system = system; self.date = date; self.source = source
    }
}

/// One rule that fired: a deficit, a condition, an HFRS category, a LACE component.
public struct Reason: Sendable {
    /// What kind of rule (`deficit`, `condition`, `category`, `component`) and its id.
    public var rule: StaticString
    public var id: String
    public var label: String
    /// Points in the model's unit (tenths for HFRS); nil where the model counts rather than weighs.
    public var points: Int?
    public var evidence: Evidence?
    /// Why this rule scored as it did, where the code alone does not say (a value rule, a
    /// hierarchy, a count).
    public var note: String?

    public init(rule: StaticString, id: String, label: String, points: Int? = nil, evidence: Evidence? = nil, note: String? = nil) {
        self.rule = rule; self.id = id; self.label = label; self.points = points; self.evidence = evidence; self.note = note
    }
}

/// One model's result for one person, before it is written as JSON or text.
public struct ModelResult: Sendable {
    public enum Score: Sendable {
        case integer(Int)
        /// Tenths, written with one decimal place (HFRS 7.1).
        case tenths(Int)
        /// A fraction written to 3 decimal places (eFI 9/36 = 0.25).
        case fraction(Int, Int)
        /// Not computable for this person (LACE with no discharge).
        case none
    }

    public var key: String
    public var model: String
    public var variant: String?
    public var version: String
    public var codeList: String?
    public var score: Score
    /// Counts that explain the score ("deficits": 9).
    public var counts: [(String, Int)] = []
    /// The category or band: ("category", "moderate"), ("band", "high").
    public var category: (name: StaticString, value: String)?
    /// False when the person is outside the population the model was made for; nil when unknown.
    public var inPopulation: Bool?
    public var populationNote: String?
    /// The look-back window the model read, inclusive.
    public var window: (from: ISODate, to: ISODate)?
    public var reasons: [Reason] = []
    /// LACE: the admission scored (start, end, source as in the record).
    public var indexAdmission: (start: Range<Int>?, end: Range<Int>?, source: Range<Int>?)?

    public init(key: String, model: String, variant: String? = nil, version: String, codeList: String? = nil, score: Score) {
        self.key = key; self.model = model; self.variant = variant; self.version = version; self.codeList = codeList; self.score = score
    }
}

/// Where a model's population is decided by age.
func population(_ facts: PersonFacts, asOf: ISODate, minimumAge: Int, name: String) -> (Bool?, String?) {
    guard let age = facts.age(on: asOf) else { return (nil, "birth date unknown; \(name) is for people aged \(minimumAge) and over") }
    if age >= minimumAge { return (true, nil) }
    return (false, "under \(minimumAge); \(name) is for people aged \(minimumAge) and over")
}

/// A look-back window: from the same calendar day `years` years (or `months` months) before
/// `asOf` to `asOf`, both inclusive. 29 February falls back to 28 February in other years.
public struct Window: Sendable {
    public var from: ISODate
    public var to: ISODate
    public var fromDay: Int
    public var toDay: Int

    public init(asOf: ISODate, years: Int = 0, months: Int = 0) {
        let totalMonths = asOf.year * 12 + (asOf.month - 1) - years * 12 - months
        let y = totalMonths / 12, m = totalMonths % 12 + 1
        let d = min(asOf.day, ISODate.daysIn(month: m, year: y))
        from = ISODate(year: y, month: m, day: d)
        to = asOf
        fromDay = from.dayNumber
        toDay = asOf.dayNumber
    }

    /// Whether a dated entry falls inside; an undated one never does.
    @inline(__always) public func contains(_ day: Int?) -> Bool {
        guard let day else { return false }
        return day >= fromDay && day <= toDay
    }
}
