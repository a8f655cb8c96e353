import CareCore

/// The LACE index for death or unplanned readmission within 30 days of discharge (van Walraven C
/// et al. CMAJ 2010;182(6):551-7).
///
/// The index admission is the person's latest admission discharged on or before `--as-of`.
/// L: length of stay in days (discharge day minus admission day). A: 3 points for an emergency
/// admission. C: LACE's own Charlson weights over the Quan 2005 ICD-10 conditions found in the
/// comorbidity look-back up to `--as-of`. E: A&E attendances in the 6 months before the
/// admission day, not counting the attendance that led to an emergency admission (the latest one
/// on the admission day or the day before). Bands (from the literature, not the paper): 0-4 low,
/// 5-9 moderate, 10 and over high. Its population is people discharged in the 30 days up to
/// `--as-of`; an older discharge is scored with `in_population: false`; no discharge at all gives
/// no score.
public struct LACEModel: Sendable {
    public static let version = "van Walraven 2010"
    struct Band: Sendable { var component: String; var min: Int; var max: Int?; var points: Int }
    let bands: [Band]
    /// LACE condition → (label, points, Charlson condition indices).
    let laceConditions: [(label: String, points: Int, charlson: [Int])]
    let charlson: ComorbidityIndex
    public static let recentDischargeDays = 30
    let info = ModelInfo(key: "lace", version: LACEModel.version)

    public init(charlson: ComorbidityIndex) throws {
        self.charlson = charlson
        let t = ModelTables.lacePoints()
        let comps = try t.values("component"), mins = try t.values("min"), maxs = try t.values("max"), pts = try t.values("points")
        var bands: [Band] = []
        for i in comps.indices {
            guard let lo = Int(mins[i]), let p = Int(pts[i]) else {
                throw CSVTableError(table: t.name, line: t.rows[i].line, message: "min and points must be whole numbers")
            }
            bands.append(Band(component: comps[i], min: lo, max: Int(maxs[i]), points: p))
        }
        self.bands = bands
        let c = ModelTables.laceCharlson()
        let labels = try c.values("condition"), points = try c.values("points"), quan = try c.values("quan_conditions")
        var lc: [(String, Int, [Int])] = []
        for i in labels.indices {
            var idx: [Int] = []
            for q in quan[i].split(separator: "|") {
                guard let k = charlson.conditions.firstIndex(where: { $0.id == q }) else {
                    throw CSVTableError(table: c.name, line: c.rows[i].line, message: "'\(q)' is not a Quan condition")
                }
                idx.append(k)
            }
            lc.append((labels[i], Int(points[i]) ?? 0, idx))
        }
        laceConditions = lc
    }

    func points(_ component: String, _ value: Int) -> Int {
        for b in bands where b.component == component && value >= b.min && (b.max.map { value <= $0 } ?? true) { return b.points }
        return 0
    }

    public static func band(_ score: Int) -> StaticString { score <= 4 ? "low" : score <= 9 ? "moderate" : "high" }

    public func score(_ p: PersonFacts, asOf: ISODate, scratch found: inout [Int]) -> ModelResult {
        let asOfDay = asOf.dayNumber
        var r = ModelResult(info, score: .none)
        var index: PersonFacts.Admission?
        for a in p.admissions {
            guard let s = a.startDay, let e = a.endDay, e >= s, e <= asOfDay else { continue }
            if let old = index, (old.endDay!, old.startDay!) >= (e, s) { continue }
            index = a
        }
        guard let a = index, let start = a.startDay, let end = a.endDay else {
            r.inPopulation = false
            r.populationNote = "no discharge from hospital on or before the as-of date"
            return r
        }
        let los = end - start
        let l = points("L", los)
        let acute = points("A", a.emergency ? 1 : 0)

        // C: LACE's Charlson weights, with the Charlson hierarchy.
        charlson.conditionsPresent(p, window: Window(asOf: asOf, years: charlson.lookbackYears), into: &found)
        var charlsonPoints = 0
        var reasons: [Reason] = []
        for lcond in laceConditions {
            guard let c = lcond.charlson.first(where: { found[$0] >= 0 }) else { continue }
            if let sup = charlson.conditions[c].supersededBy, found[sup] >= 0 { continue }
            let d = p.diagnoses[found[c]]
            charlsonPoints += lcond.points
            reasons.append(Reason(rule: "condition", id: charlson.conditions[c].id, label: lcond.label, points: lcond.points,
                                  evidence: Evidence(code: d.code, system: "icd10", date: d.date, source: d.source)))
        }
        let c = points("C", charlsonPoints)

        // E: A&E attendances in the 6 months before admission, less the one that led to it.
        let sixMonths = Window(asOf: ISODate(dayNumber: start), months: 6)
        var visits = p.aeDays.filter { $0 >= sixMonths.fromDay && $0 <= start }.sorted()
        if a.emergency, let last = visits.last, last >= start - 1 { visits.removeLast() }
        let e = points("E", visits.count)

        let total = l + acute + c + e
        r.score = .integer(total)
        r.category = ("band", Self.band(total))
        r.counts.append("length_of_stay_days", los)
        r.counts.append("ae_visits_6_months", visits.count)
        r.counts.append("charlson_points", charlsonPoints)
        r.inPopulation = asOfDay - end <= Self.recentDischargeDays
        if r.inPopulation == false { r.populationNote = "discharged more than \(Self.recentDischargeDays) days before the as-of date" }
        r.window = (sixMonths.from, ISODate(dayNumber: start))
        r.indexAdmission = (a.start, a.end, a.source)
        reasons.insert(contentsOf: [
            Reason(rule: "component", id: "L", label: "length of stay", points: l, note: "\(los) days"),
            Reason(rule: "component", id: "A", label: "acute (emergency) admission", points: acute, note: a.emergency ? "emergency" : "not emergency"),
            Reason(rule: "component", id: "C", label: "comorbidity (LACE Charlson)", points: c, note: "\(charlsonPoints) Charlson points"),
            Reason(rule: "component", id: "E", label: "A&E visits in the 6 months before", points: e, note: "\(visits.count) visits"),
        ], at: 0)
        r.reasons = reasons
        return r
    }
}
