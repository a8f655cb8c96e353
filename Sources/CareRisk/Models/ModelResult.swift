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

/// What does not change from person to person: the model's names, and the start of its JSON
/// object, made once.
public final class ModelInfo: Sendable {
    public let key: String
    public let model: String
    public let variant: String?
    public let version: String
    public let codeList: String?
    /// `"key":{"model":…,"version":…` (the object left open).
    let header: [UInt8]

    public init(key: String, model: String? = nil, variant: String? = nil, version: String, codeList: String? = nil) {
        self.key = key
        self.model = model ?? key
        self.variant = variant
        self.version = version
        self.codeList = codeList
        var w = JSONWriter(capacity: 256)
        var first = true
        w.string(key)
        w.raw(UInt8(ascii: ":"))
        w.raw(UInt8(ascii: "{"))
        w.member("model", first: &first); w.string(model ?? key)
        if let variant { w.member("variant", first: &first); w.string(variant) }
        w.member("version", first: &first); w.string(version)
        if let codeList { w.member("code_list", first: &first); w.string(codeList) }
        header = w.bytes
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

    public var info: ModelInfo
    public var key: String { info.key }
    public var model: String { info.model }
    public var variant: String? { info.variant }
    public var version: String { info.version }
    public var codeList: String? { info.codeList }
    public var score: Score
    /// Counts that explain the score ("deficits": 9); at most three, kept inline (no allocation
    /// per person).
    public var counts: Counts = Counts()
    /// The category or band: ("category", "moderate"), ("band", "high").
    public var category: (name: StaticString, value: StaticString)?
    /// False when the person is outside the population the model was made for; nil when unknown.
    public var inPopulation: Bool?
    public var populationNote: String?
    /// The look-back window the model read, inclusive.
    public var window: (from: ISODate, to: ISODate)?
    public var reasons: [Reason] = []
    /// LACE: the admission scored (start, end, source as in the record).
    public var indexAdmission: (start: Range<Int>?, end: Range<Int>?, source: Range<Int>?)?

    public init(_ info: ModelInfo, score: Score) {
        self.info = info
        self.score = score
    }

    /// The category or band's value as text.
    public var categoryValue: String? { category.map { "\($0.value)" } }
}

public struct Counts: Sendable {
    var items: ((StaticString, Int)?, (StaticString, Int)?, (StaticString, Int)?) = (nil, nil, nil)
    public init() {}
    public mutating func append(_ name: StaticString, _ value: Int) {
        if items.0 == nil { items.0 = (name, value) } else if items.1 == nil { items.1 = (name, value) } else { items.2 = (name, value) }
    }
    public func forEach(_ body: (StaticString, Int) -> Void) {
        if let c = items.0 { body(c.0, c.1) }
        if let c = items.1 { body(c.0, c.1) }
        if let c = items.2 { body(c.0, c.1) }
    }
}

/// The sentence for people outside a model's age range, made once per model.
struct AgePopulation: Sendable {
    let minimumAge: Int
    let under: String
    let unknown: String
    init(minimumAge: Int, name: String) {
        self.minimumAge = minimumAge
        under = "under \(minimumAge); \(name) is for people aged \(minimumAge) and over"
        unknown = "birth date unknown; \(name) is for people aged \(minimumAge) and over"
    }
    func check(_ facts: PersonFacts, asOf: ISODate) -> (Bool?, String?) {
        guard let age = facts.age(on: asOf) else { return (nil, unknown) }
        return age >= minimumAge ? (true, nil) : (false, under)
    }
}

/// A look-back window: from the same calendar day `years` years (or `months` months) before
/// `asOf` to `asOf`, both inclusive. 29 February falls back to 28 February in other years.
public struct Window: Sendable {
    public var from: ISODate
    public var to: ISODate
    public var fromDay: Int
    public var toDay: Int

    public init(asOf: ISODate, years: Int = 0, months: Int = 0) {
        from = Duration(months: years * 12 + months).moving(asOf, sign: -1)
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
