import CareCore

/// Hospital Frailty Risk Score (Gilbert T et al. Lancet 2018;391:1775-82).
///
/// ICD-10 diagnoses of hospital admissions starting in the two years up to `--as-of` (and
/// ICD-10-coded events dated then); each code's first three characters name a category; each
/// category scores its points once. Points are summed in tenths, as integers: 7.1 + 4.4 is 115
/// tenths, never 11.499999. Bands: < 5 low, 5-15 intermediate (5.0 and 15.0 included), > 15 high.
/// Made for people aged 75 and over: younger people get their score with `in_population: false`.
public struct HFRSModel: Sendable {
    public static let version = "Gilbert 2018"
    let points: [UInt64: (tenths: Int, label: String)]
    let info = ModelInfo(key: "hfrs", version: HFRSModel.version)
    let population = AgePopulation(minimumAge: 75, name: "HFRS")

    public init() throws {
        let t = ModelTables.hfrs()
        let codes = try t.values("code"), pts = try t.values("points"), labels = try t.values("description")
        var points: [UInt64: (Int, String)] = [:]
        for i in codes.indices {
            guard let tenths = ModelTables.tenths(pts[i]) else {
                throw CSVTableError(table: t.name, line: t.rows[i].line, message: "points '\(pts[i])' is not a number with one decimal place")
            }
            points[CodeKey.icd10(codes[i])] = (tenths, labels[i])
        }
        self.points = points
    }

    public static func band(tenths: Int) -> StaticString {
        tenths < 50 ? "low" : tenths <= 150 ? "intermediate" : "high"
    }

    public func score(_ p: PersonFacts, asOf: ISODate) -> ModelResult {
        let window = Window(asOf: asOf, years: 2)
        var seen: [UInt64] = []
        var total = 0
        var reasons: [Reason] = []
        for d in p.diagnoses where window.contains(d.day) && CodeKey.icd10Length(d.key) >= 3 {
            let category = CodeKey.icd10Prefix(d.key, 3)
            guard let hit = points[category], !seen.contains(category) else { continue }
            seen.append(category)
            total += hit.tenths
            reasons.append(Reason(rule: "category", id: CodeKey.icd10Text(category), label: hit.label, points: hit.tenths,
                                  evidence: Evidence(code: d.code, system: "icd10", date: d.date, source: d.source)))
        }
        if reasons.count > 1 { reasons.sort { ($0.points ?? 0, $1.id) > ($1.points ?? 0, $0.id) } }
        var r = ModelResult(info, score: .tenths(total))
        r.category = ("band", Self.band(tenths: total))
        (r.inPopulation, r.populationNote) = population.check(p, asOf: asOf)
        r.window = (window.from, window.to)
        r.reasons = reasons
        return r
    }
}
