/// The type of a field an expression can read. Categories carry their ordered vocabulary, so
/// `risk.efi.category >= moderate` is checked (and compared by rank) against that field's own
/// words.
public enum FieldType: Sendable, Equatable, CustomStringConvertible {
    case number, date, text, bool, duration
    /// An ordered set of words (lower case); comparisons rank by position.
    case category([String])
    /// A list of objects (`events`, `encounters`, `care`, a pathway's instances), for `count(…)`.
    case list
    /// An object: only its fields can be compared.
    case object

    public var description: String {
        switch self {
        case .number: "number"
        case .date: "date"
        case .text: "text"
        case .bool: "true/false"
        case .duration: "duration"
        case .category(let words): "category (\(words.joined(separator: ", ")))"
        case .list: "list"
        case .object: "object"
        }
    }

    /// Parses a type name as `--field PATH:TYPE` gives it: number, date, text, bool, or
    /// `category(a,b,c)` (an ordered vocabulary).
    public static func parse(_ text: String) -> FieldType? {
        switch text.lowercased() {
        case "number": return .number
        case "date": return .date
        case "text", "string": return .text
        case "bool", "boolean": return .bool
        default:
            let t = text.lowercased()
            guard t.hasPrefix("category("), t.hasSuffix(")") else { return nil }
            let words = t.dropFirst(9).dropLast().split(separator: ",").map { String($0).trimmingSpaces }
            guard !words.isEmpty, words.allSatisfy({ !$0.isEmpty }) else { return nil }
            return .category(words)
        }
    }
}

/// Every field the record expression language can read, with its type: schema 1 (docs/schema.md),
/// the derived fields, and what the enrichers add (`risk.<model>.*` from risk-score,
/// `pathways.*` from pathway-audit). docs/expressions.md's table of fields is generated from
/// this table (`RecordSchema.markdownTable`), so the two cannot drift.
public struct RecordSchema: Sendable {
    /// Path (dotted) → type and a short description.
    public private(set) var fields: [(path: String, type: FieldType, about: String)]
    /// Prefixes under which any name is a field of the given type (`pathways.<id>`).
    public private(set) var open: [(prefix: String, type: FieldType, about: String)]
    /// Fields each list's elements have, for `count(LIST where …)`.
    public static let elementFields: [String: [(String, FieldType)]] = [
        "events": [("date", .date), ("end", .date), ("kind", .text), ("system", .text), ("code", .text), ("value", .number),
                   ("unit", .text), ("term", .text), ("source", .text), ("other_codes", .list), ("status", .text),
                   ("significance", .category(["minor", "major"])), ("date_from", .text), ("end_reason", .text)],
        "encounters": [("kind", .text), ("start", .date), ("end", .date), ("method", .category(["elective", "emergency", "maternity", "other"])),
                       ("admission_method", .text), ("diagnoses", .list), ("procedures", .list), ("destination", .text),
                       ("discharge_destination", .text), ("code", .object), ("code.system", .text), ("code.code", .text), ("source", .text)],
        "care": [("kind", .text), ("start", .date), ("end", .date), ("permanent", .bool), ("route", .text), ("source", .text)],
    ]
    /// The record's lists, for `count(LIST …)`.
    public static let listNames = ["care", "encounters", "events"]
    /// Lists inside an element (an encounter's `diagnoses`), countable where that element is read.
    public static let codeFields: [(String, FieldType)] = [("system", .text), ("code", .text), ("original", .bool)]
    public static let nestedLists: [String: [String]] = ["events": ["other_codes"], "encounters": ["diagnoses", "procedures"]]

    /// The fields of a countable list's elements.
    public static func fields(of list: String) -> [(String, FieldType)]? {
        if let f = elementFields[list] { return f }
        return nestedLists.values.contains { $0.contains(list) } ? codeFields : nil
    }

    public static let riskModels: [(key: String, category: (String, [String])?, counts: [String])] = [
        ("efi", ("category", ["fit", "mild", "moderate", "severe"]), ["deficits"]),
        ("hfrs", ("band", ["low", "intermediate", "high"]), []),
        ("charlson", nil, ["conditions"]),
        ("elixhauser", nil, ["conditions"]),
        ("lace", ("band", ["low", "moderate", "high"]), ["length_of_stay_days", "ae_visits_6_months", "charlson_points"]),
    ]

    /// The admission model's bands, lowest first.
    public static let admissionBands = ["below_top_5", "top_5", "top_2", "top_0_5"]

    /// Schema 1 with the derived fields, `risk` and `pathways`.
    public static let standard = RecordSchema()

    public init() {
        var f: [(String, FieldType, String)] = [
            ("id", .text, "the person key"), ("nhs_number", .text, "NHS number (absent when pseudonymised)"),
            ("birth_date", .date, "date of birth"), ("sex", .category(["female", "male", "intersex", "other", "unknown"]), "sex (as ingest-gp writes it)"),
            ("death_date", .date, "date of death"), ("death_place", .text, "place of death (ONS category)"),
            ("practice", .text, "GP practice (ODS code)"), ("team", .text, "MDT or PCN"), ("lsoa", .text, "LSOA of residence"),
            ("registration_start", .date, "registered with the practice from"), ("registration_end", .date, "registered until"),
            ("sources", .list, "source tags"), ("events", .list, "coded entries"), ("encounters", .list, "contacts with services"),
            ("care", .list, "social-care services"), ("conflicts", .list, "demographic disagreements between sources"),
            ("age", .number, "derived: whole years at --as-of"),
            ("age_band", .category(["0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54",
                                    "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+"]), "derived: five-year band"),
            ("deceased", .bool, "derived: died on or before --as-of"), ("registered", .bool, "derived: registered at --as-of"),
            ("as_of", .date, "derived: the --as-of date itself"),
            ("imd_decile", .number, "derived from lsoa: IMD decile, 1 = most deprived 10 % (IMD 2019 unless --imd)"),
            ("imd_quintile", .number, "derived from lsoa: IMD quintile, 1 = most deprived 20 %"),
            ("core20", .bool, "derived from lsoa: in the most deprived 20 % nationally (NHS England Core20PLUS5)"),
            ("ethnicity", .object, "ethnic category: the latest recorded"), ("ethnicity.code", .text, "as recorded"),
            ("ethnicity.system", .text, "nhs-ethnic-category, snomed, ctv3, read2 or local"),
            ("ethnicity.group16", .text, "NHS Data Dictionary ethnic category (16 groups, and not stated)"),
            ("ethnicity.group5", .category(["Asian", "Black", "Mixed", "White", "Other", "Not stated"]), "ONS high-level group"),
            ("ethnicity.source", .text, "source tag"), ("ethnicity.date", .date, "when recorded"),
            ("risk", .object, "added by risk-score"), ("risk.as_of", .date, "the day the scores were computed for"),
            ("pathways", .object, "added by pathway-audit"), ("pathways.as_of", .date, "the day the audit was taken"),
        ]
        for m in Self.riskModels {
            let p = "risk." + m.key
            f.append((p, .object, "risk-score's \(m.key)"))
            f += [(p + ".score", .number, "score"), (p + ".model", .text, "model name"), (p + ".version", .text, "version"),
                  (p + ".variant", .text, "variant"), (p + ".code_list", .text, "code list used"),
                  (p + ".in_population", .bool, "in the model's population"), (p + ".population_note", .text, "why not"),
                  (p + ".window", .object, "look-back window"), (p + ".window.from", .date, "window start"),
                  (p + ".window.to", .date, "window end"), (p + ".reasons", .list, "the rules that fired")]
            if let (name, words) = m.category { f.append((p + "." + name, .category(words), name)) }
            for c in m.counts { f.append((p + "." + c, .number, c.replacingOccurrences(of: "_", with: " "))) }
        }
        f += [("risk.lace.index_admission", .object, "the admission LACE scores"), ("risk.lace.index_admission.start", .date, "admitted"),
              ("risk.lace.index_admission.end", .date, "discharged"), ("risk.lace.index_admission.source", .text, "source")]
        // The locally fitted admission model (risk-score --models admission:MODEL.json); the
        // bands are CareModel's AdmissionBand (a test keeps the two the same).
        f += [("risk.admission", .object, "the locally fitted emergency-admission model"), ("risk.admission.model", .text, "model name"),
              ("risk.admission.version", .text, "the version that fitted it"), ("risk.admission.fitted_as_of", .date, "the day it was fitted on"),
              ("risk.admission.horizon", .text, "the horizon it predicts over"),
              ("risk.admission.in_population", .bool, "in the model's population"), ("risk.admission.population_note", .text, "why not"),
              ("risk.admission.probability", .number, "predicted chance of an emergency admission within the horizon"),
              ("risk.admission.centile", .number, "centile of the probability in the model's reference population"),
              ("risk.admission.band", .category(Self.admissionBands), "band by centile: top 5 %, 2 %, 0.5 %"),
              ("risk.admission.reasons", .list, "the largest contributions")]
        fields = f.map { (path: $0.0, type: $0.1, about: $0.2) }
        open = [(prefix: "pathways.", type: .list, about: "one pathway's instances (pathway-audit), for count(pathways.ID where …)")]
    }

    /// Adds fields the records carry outside the schema (`--field PATH:TYPE`).
    public mutating func declare(_ path: String, _ type: FieldType) {
        fields.removeAll { $0.path == path }
        fields.append((path: path, type: type, about: "declared with --field"))
    }

    public func type(of path: [String]) -> FieldType? {
        let dotted = path.joined(separator: ".")
        if let f = fields.first(where: { $0.path == dotted }) { return f.type }
        for o in open where dotted.hasPrefix(o.prefix) && path.count == o.prefix.split(separator: ".").count + 1 { return o.type }
        return nil
    }

    /// Whether `path` is in the schema (not declared with --field).
    public static func isStandard(_ path: [String]) -> Bool { standard.type(of: path) != nil }

    /// The nearest known names to `path`, for "did you mean …?".
    public func suggestions(for path: String, among names: [String]? = nil) -> [String] {
        let candidates = names ?? fields.map(\.path)
        // Words people reach for that the schema spells otherwise.
        var parts = path.split(separator: ".").map(String.init)
        if let last = parts.last, let other = Self.synonyms[last.lowercased()] {
            parts[parts.count - 1] = other
            let renamed = parts.joined(separator: ".")
            if candidates.contains(renamed) { return [renamed] }
        }
        let scored = candidates.map { ($0, EditDistance.between(path.lowercased(), $0.lowercased())) }
        let limit = max(2, path.count / 3)
        let best = scored.filter { $0.1 <= limit }.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
        if !best.isEmpty { return Array(best.prefix(3).map(\.0)) }
        // A last name that is right under a wrong parent (risk.hfrs.category → risk.hfrs.band).
        let last = path.split(separator: ".").last.map(String.init) ?? path
        return Array(candidates.filter { $0.hasSuffix("." + last) || $0 == last }.prefix(3))
    }

    static let synonyms: [String: String] = [
        "gender": "sex", "dob": "birth_date", "birthdate": "birth_date", "date_of_birth": "birth_date", "category": "band",
        "band": "category", "gp": "practice", "practise": "practice", "pcn": "team", "dod": "death_date", "nhs": "nhs_number",
    ]

    /// docs/expressions.md's table of fields.
    public var markdownTable: String {
        var out = "| field | type | what |\n|---|---|---|\n"
        for f in fields { out += "| `\(f.path)` | \(f.type) | \(f.about) |\n" }
        for o in open { out += "| `\(o.prefix)ID` | \(o.type) | \(o.about) |\n" }
        for name in Self.listNames {
            let fs = Self.elementFields[name]!.map { "`\($0.0)` (\($0.1))" }.joined(separator: ", ")
            out += "| `count(\(name) where …)` | — | element fields: \(fs) |\n"
        }
        let nested = Self.nestedLists.sorted { $0.key < $1.key }.flatMap { list, inner in inner.map { "`\($0)` (in \(list))" } }
        out += "| `count(LIST where …)` inside an element | — | an element's own lists, \(nested.joined(separator: ", ")): fields `system`, `code`, `original` |\n"
        return out
    }
}

/// Levenshtein distance, for suggesting the nearest name.
public enum EditDistance {
    public static func between(_ a: String, _ b: String) -> Int {
        let x = Array(a.utf8), y = Array(b.utf8)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }
}
