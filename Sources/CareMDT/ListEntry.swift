import CareCore

/// One person on a list: what every output shows of them. Only people who reach a list are
/// looked at this closely.
public struct ListEntry: Sendable {
    public struct Score: Sendable {
        public var model: String
        public var score: String
        public var category: String?
        /// "%" for the admission model's probability; nil for the indices' points.
        public var unit: String? = nil
        /// "HFRS 8.1 intermediate", "Admission 12.5 % top 5 %".
        public var text: String { "\(model) \(score)\(unit.map { " \($0)" } ?? "")\(category.map { " \($0)" } ?? "")" }
    }

    public var id: String
    public var nhsNumber: String?
    public var group: String
    public var team: String?
    public var practice: String?
    public var rank: RankValues
    public var position = 0
    public var status = "new"
    public var age: Int?
    public var ageBand: String?
    public var sex: String?
    /// In the most deprived 20 % of areas nationally (from the record's lsoa); nil when unknown.
    public var core20: Bool?
    /// The ONS five-group ethnic group of the latest recorded ethnic category.
    public var ethnicGroup: String?
    public var scores: [Score] = []
    /// The top reasons from `risk`, at most two a model and six in all, models in the order
    /// eFI, HFRS, Charlson, Elixhauser.
    public var reasonItems: [Reason] = []
    /// The reasons as text, words first: "eFI: Falls, 2017-01-15 (snomed 161898004)".
    public var reasons: [String] { reasonItems.map(\.text) }
    /// What happens next: the pathway steps open for this person, and those missed lately.
    public var next: [NextStep] = []
    /// Key recent events: "2026-03-05 emergency admission, 10 days".
    public var recent: [String] = []

    static let models = [("efi", "eFI"), ("hfrs", "HFRS"), ("charlson", "Charlson"), ("elixhauser", "Elixhauser"), ("lace", "LACE")]
    public static let reasonsPerModel = 2
    public static let reasonsInAll = 6
    public static let recentEvents = 5
    public static let recentWindow = Duration(days: 365)

    /// Fills in the details from the record (scores, reasons, recent events).
    mutating func describe(_ record: RecordScope) {
        if case .number(let a) = record.value(["age"]) { age = Int(a) }
        if case .string(let b) = record.value(["age_band"]) { ageBand = b }
        sex = record.string("sex")
        if case .bool(let c) = record.value(["core20"]) { core20 = c }
        if case .string(let g) = record.value(["ethnicity", "group5"]) { ethnicGroup = g }
        if let range = record.raw("risk"), let risk = try? JSONValue(parsing: UnsafeBufferPointer(rebasing: record.line[range])) {
            for (key, name) in Self.models {
                guard let m = risk[key] else { continue }
                defer { if reasonItems.count > Self.reasonsInAll { reasonItems.removeLast(reasonItems.count - Self.reasonsInAll) } }
                let score: String
                switch m["score"] {
                case .number(let n)?: score = n
                default: score = "not scored"
                }
                scores.append(Score(model: name, score: score, category: m["category"]?.stringValue ?? m["band"]?.stringValue))
                // LACE's conditions repeat Charlson's; its score and band say enough here.
                guard key != "lace", case .array(let items)? = m["reasons"] else { continue }
                var shown = 0
                for r in items where shown < Self.reasonsPerModel {
                    if case .number(let p)? = r["points"], Double(p) == 0 { continue }
                    guard let label = r["label"]?.stringValue else { continue }
                    reasonItems.append(Reason(model: name, label: label, code: r["code"]?.stringValue, system: r["system"]?.stringValue,
                                              date: r["date"]?.stringValue, source: r["source"]?.stringValue, note: r["note"]?.stringValue))
                    shown += 1
                }
            }
        }
        if let range = record.raw("risk"), let risk = try? JSONValue(parsing: UnsafeBufferPointer(rebasing: record.line[range])),
           let a = risk["admission"], case .number(let p)? = a["probability"], let probability = Double(p) {
            // The locally fitted model: its chance in per cent, its band, and what raises it most.
            let percent = (probability * 1000).rounded() / 10
            let bandWords = ["top_5": "top 5 %", "top_2": "top 2 %", "top_0_5": "top 0.5 %"]
            scores.append(Score(model: "Admission", score: "\(percent)", category: a["band"]?.stringValue.flatMap { bandWords[$0] }, unit: "%"))
            if case .array(let items)? = a["reasons"] {
                var shown = 0
                for r in items where shown < Self.reasonsPerModel && reasonItems.count < Self.reasonsInAll {
                    guard case .number(let c)? = r["contribution"], (Double(c) ?? 0) > 0, let text = r["text"]?.stringValue else { continue }
                    reasonItems.append(Reason(model: "Admission", label: text, code: nil, system: nil, date: nil, source: nil, note: nil))
                    shown += 1
                }
            }
        }
        let from = Self.recentWindow.moving(record.asOf, sign: -1)
        var events: [(String, String)] = []
        for e in record.elements("encounters") {
            guard let start = e["start"]?.stringValue, let d = ISODate.parse(start), d >= from, d <= record.asOf else { continue }
            let text: String
            switch e["kind"]?.stringValue {
            case "admission"?:
                var t = "\(e["method"]?.stringValue ?? "") admission".trimmingSpaces
                if let end = e["end"]?.stringValue.flatMap({ ISODate.parse($0) }) { t += ", \(end.dayNumber - d.dayNumber) days" }
                text = t
            case "ae"?: text = "A&E attendance"
            case "mdt-review"?: text = "MDT review"
            case let k? where k.hasPrefix("social-care"): text = k.replacing("-", with: " ")
            default: continue
            }
            events.append((start, text))
        }
        for c in record.elements("care") {
            guard let start = c["start"]?.stringValue, let d = ISODate.parse(start), d >= from, d <= record.asOf,
                  let kind = c["kind"]?.stringValue else { continue }
            events.append((start, "\(kind) started".replacing("-", with: " ")))
        }
        events.sort { $0.0 > $1.0 }
        recent = events.prefix(Self.recentEvents).map { "\($0.0) \($0.1)" }
        next = NextStep.open(in: record)
    }
}

/// One reason a model gives for a person's score, as the lists show it.
public struct Reason: Sendable {
    public var model: String
    public var label: String
    public var code: String?
    public var system: String?
    public var date: String?
    /// The source tag of the entry (`gp:…`, `apc:…`).
    public var source: String?
    public var note: String?

    /// Where the entry was recorded, in words: `hospital` for a hospital spell, and so on.
    var place: String? {
        guard let prefix = source?.split(separator: ":").first.map(String.init) else { return nil }
        switch prefix {
        case "apc": return "hospital"
        case "ecds", "ae": return "A&E"
        case "opa": return "outpatients"
        case "gp", "gp2gp", "fhir": return nil
        default: return prefix
        }
    }

    /// The words, for people: "Falls, 2019", "Dementia in Alzheimer's disease (hospital, 2026)",
    /// "Polypharmacy (7 distinct drugs …)".
    public var words: String {
        let year = date.map { String($0.prefix(4)) }
        if let place, let year { return "\(label) (\(place), \(year))" }
        if let year { return "\(label), \(year)" }
        if let note { return "\(label) (\(note))" }
        return label
    }

    /// The code, for those who want it: "snomed 161898004".
    public var codeText: String? { code.map { c in system.map { "\($0) \(c)" } ?? c } }

    /// One line of text, words first: "eFI: Falls, 2019-03-01 (snomed 161898004)".
    public var text: String {
        var t = "\(model): \(label)"
        if let date { t += ", \(date)" }
        if let place { t += ", \(place)" }
        if let c = codeText { t += " (\(c))" } else if let note { t += " (\(note))" }
        return t
    }
}

/// Someone on the previous list who is not on tonight's, and why.
public struct LeftEntry: Sendable {
    public var id: String
    public var nhsNumber: String?
    public var group: String
    public var reason: String
}
