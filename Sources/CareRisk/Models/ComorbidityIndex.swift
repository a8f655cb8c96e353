import CareCore

/// A weighted comorbidity index over ICD-10 (Charlson, Elixhauser): the Quan 2005 coding
/// algorithm finds conditions among hospital diagnoses in a look-back window, a hierarchy zeroes
/// the milder form of a condition when the severe form is present, and the weights of the chosen
/// variant are summed.
public struct ComorbidityIndex: Sendable {
    public struct Condition: Sendable {
        public var id: String
        public var label: String
        public var weight: Int
        /// Index of the condition that supersedes this one.
        public var supersededBy: Int?
    }

    public let info: ModelInfo
    public var key: String { info.key }
    public var variant: String { info.variant ?? "" }
    public let conditions: [Condition]
    public let index: PrefixIndex
    public let lookbackYears: Int

    init(key: String, variant: String, version: String, codes: CSVTable, weights: CSVTable, weightColumn: String, lookbackYears: Int) throws {
        info = ModelInfo(key: key, variant: variant, version: version)
        self.lookbackYears = lookbackYears
        let ids = try weights.values("condition"), labels = try weights.values("label")
        let w = try weights.values(weightColumn), sup = try weights.values("superseded_by")
        var conditions: [Condition] = []
        for i in ids.indices {
            guard let weight = Int(w[i]) else {
                throw CSVTableError(table: weights.name, line: weights.rows[i].line, message: "weight '\(w[i])' is not a whole number")
            }
            conditions.append(Condition(id: ids[i], label: labels[i], weight: weight, supersededBy: nil))
        }
        for i in ids.indices where !sup[i].isEmpty {
            guard let j = ids.firstIndex(of: sup[i]) else {
                throw CSVTableError(table: weights.name, line: weights.rows[i].line, message: "superseded_by '\(sup[i])' is not a condition")
            }
            conditions[i].supersededBy = j
        }
        self.conditions = conditions
        index = try PrefixIndex(table: codes, order: ids)
    }

    public static func charlson(variant: String = "quan2011", lookbackYears: Int = 5) throws -> ComorbidityIndex {
        guard ["quan2011", "charlson1987"].contains(variant) else {
            throw CSVTableError(table: "charlson", line: 0, message: "unknown variant '\(variant)' (quan2011, charlson1987)")
        }
        return try ComorbidityIndex(key: "charlson", variant: variant,
                                    version: "Quan 2005 ICD-10; weights \(variant == "quan2011" ? "Quan 2011" : "Charlson 1987")",
                                    codes: ModelTables.charlsonCodes(), weights: ModelTables.charlsonWeights(),
                                    weightColumn: variant, lookbackYears: lookbackYears)
    }

    public static func elixhauser(variant: String = "van-walraven", lookbackYears: Int = 5) throws -> ComorbidityIndex {
        guard variant == "van-walraven" else {
            throw CSVTableError(table: "elixhauser", line: 0, message: "unknown variant '\(variant)' (van-walraven)")
        }
        return try ComorbidityIndex(key: "elixhauser", variant: variant, version: "Quan 2005 ICD-10; weights van Walraven 2009",
                                    codes: ModelTables.elixhauserCodes(), weights: ModelTables.elixhauserWeights(),
                                    weightColumn: "points", lookbackYears: lookbackYears)
    }

    /// The conditions present in the window: `found[c]` is the index in `p.diagnoses` of the
    /// earliest diagnosis showing condition `c`, or -1. `found` is the caller's, reused.
    @discardableResult
    public func conditionsPresent(_ p: PersonFacts, window: Window, into found: inout [Int]) -> Int {
        found.removeAll(keepingCapacity: true)
        found.append(contentsOf: repeatElement(-1, count: conditions.count))
        var n = 0
        for (i, d) in p.diagnoses.enumerated() where window.contains(d.day) {
            index.forEachCondition(of: d.key) { c in
                let old = found[c]
                if old < 0 { n += 1 } else if let od = p.diagnoses[old].day, let nd = d.day, od <= nd { return }
                found[c] = i
            }
        }
        return n
    }

    public func score(_ p: PersonFacts, asOf: ISODate, scratch found: inout [Int]) -> ModelResult {
        let window = Window(asOf: asOf, years: lookbackYears)
        let count = p.diagnoses.isEmpty ? 0 : conditionsPresent(p, window: window, into: &found)
        var total = 0
        var reasons: [Reason] = []
        if count > 0 {
            for c in conditions.indices where found[c] >= 0 {
                let condition = conditions[c]
                let d = p.diagnoses[found[c]]
                var points = condition.weight
                var note: String?
                if let s = condition.supersededBy, found[s] >= 0 {
                    points = 0
                    note = "scores 0: superseded by \(conditions[s].id) (\(conditions[s].label))"
                }
                total += points
                reasons.append(Reason(rule: "condition", id: condition.id, label: condition.label, points: points,
                                      evidence: Evidence(code: d.code, system: "icd10", date: d.date, source: d.source), note: note))
            }
            reasons.sort { ($0.points ?? 0) != ($1.points ?? 0) ? ($0.points ?? 0) > ($1.points ?? 0) : $0.id < $1.id }
        }
        var r = ModelResult(info, score: .integer(total))
        r.window = (window.from, window.to)
        r.counts.append("conditions", count)
        r.reasons = reasons
        return r
    }
}
