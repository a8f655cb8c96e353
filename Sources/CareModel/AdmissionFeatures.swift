import CareCore
import CareRisk
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The features of the emergency-admission model, each computed for one person on one day from
/// what was recorded before it (docs/models.md, "Admission model", defines each). Counts are
/// capped so a rare extreme record cannot dominate a coefficient; where a value can be missing,
/// an indicator says so and the person is kept.
public enum AdmissionFeature: String, CaseIterable, Sendable {
    case age45to64 = "age_45_64", age65to74 = "age_65_74", age75to84 = "age_75_84", age85plus = "age_85_plus"
    case male, sexUnknown = "sex_unknown"
    case emergency0to6 = "emergency_admissions_0_6m", emergency6to12 = "emergency_admissions_6_12m"
    case emergency12to24 = "emergency_admissions_12_24m", bedDays = "emergency_bed_days_12m_log"
    case ae = "ae_attendances_12m", otherAdmissions = "other_admissions_12m", outpatient = "outpatient_attendances_12m"
    case drugs = "distinct_drugs_12m", careHome = "care_home", socialCare = "social_care_services_12m"
    case mdtReview = "mdt_review_before"
    case efiDeficits = "efi_deficits", hfrs = "hfrs_score", charlson = "charlson_score"
    case imd1 = "imd_quintile_1", imd2 = "imd_quintile_2", imd3 = "imd_quintile_3", imd4 = "imd_quintile_4"
    case imdUnknown = "imd_unknown"

    /// The features in order, made once (`allCases` builds a new array at each use).
    public static let ordered = allCases
    /// Each feature's place in a row of features (a test checks it is its place in `allCases`;
    /// a dictionary keyed by the feature would hash its raw string at every use).
    public var position: Int {
        switch self {
        case .age45to64: 0
        case .age65to74: 1
        case .age75to84: 2
        case .age85plus: 3
        case .male: 4
        case .sexUnknown: 5
        case .emergency0to6: 6
        case .emergency6to12: 7
        case .emergency12to24: 8
        case .bedDays: 9
        case .ae: 10
        case .otherAdmissions: 11
        case .outpatient: 12
        case .drugs: 13
        case .careHome: 14
        case .socialCare: 15
        case .mdtReview: 16
        case .efiDeficits: 17
        case .hfrs: 18
        case .charlson: 19
        case .imd1: 20
        case .imd2: 21
        case .imd3: 22
        case .imd4: 23
        case .imdUnknown: 24
        }
    }

    /// What the feature is, in words (the model file and the card carry it).
    public var definition: String {
        switch self {
        case .age45to64: return "aged 45 to 64 (against 18 to 44)"
        case .age65to74: return "aged 65 to 74 (against 18 to 44)"
        case .age75to84: return "aged 75 to 84 (against 18 to 44)"
        case .age85plus: return "aged 85 or over (against 18 to 44)"
        case .male: return "male (against female)"
        case .sexUnknown: return "sex not recorded, or neither female nor male (against female)"
        case .emergency0to6: return "emergency admissions starting in the 6 months before the day (count, at most 10)"
        case .emergency6to12: return "emergency admissions starting 6 to 12 months before (count, at most 10)"
        case .emergency12to24: return "emergency admissions starting 12 to 24 months before (count, at most 10)"
        case .bedDays: return "emergency bed days of spells ending in the 12 months before: log(1 + days)"
        case .ae: return "A&E attendances in the 12 months before (count, at most 20)"
        case .otherAdmissions: return "elective and other non-emergency admissions in the 12 months before (count, at most 10)"
        case .outpatient: return "outpatient attendances in the 12 months before (count, at most 30; missed appointments are not in the record)"
        case .drugs: return "distinct drugs issued in the 12 months before (count, at most 20)"
        case .careHome: return "living in a care home: a permanent residential or nursing placement started and not ended by the day"
        case .socialCare: return "social-care services started in the 12 months before (count, at most 5)"
        case .mdtReview: return "an MDT review recorded before the day"
        case .efiDeficits: return "eFI deficits on the day (0 to 36; risk-score's eFI, with its code list)"
        case .hfrs: return "Hospital Frailty Risk Score on the day (points over the 2 years before)"
        case .charlson: return "Charlson comorbidity index on the day (Quan ICD-10, 5 years before)"
        case .imd1: return "living in an IMD quintile 1 area (most deprived; against quintile 5)"
        case .imd2: return "IMD quintile 2 (against quintile 5)"
        case .imd3: return "IMD quintile 3 (against quintile 5)"
        case .imd4: return "IMD quintile 4 (against quintile 5)"
        case .imdUnknown: return "no known area (lsoa missing or not in the IMD table; against quintile 5)"
        }
    }

    /// The words a person's reason uses for a feature's value: "3 emergency admissions in the 6 months before".
    public func words(_ value: Double) -> String {
        let n = Int(value.rounded())
        switch self {
        case .emergency0to6: return "\(n) emergency admission\(n == 1 ? "" : "s") in the last 6 months"
        case .emergency6to12: return "\(n) emergency admission\(n == 1 ? "" : "s") 6 to 12 months ago"
        case .emergency12to24: return "\(n) emergency admission\(n == 1 ? "" : "s") 1 to 2 years ago"
        case .bedDays: return "\(Int((exp(value) - 1).rounded())) emergency bed days in the last 12 months"
        case .ae: return "\(n) A&E attendance\(n == 1 ? "" : "s") in the last 12 months"
        case .otherAdmissions: return "\(n) other admission\(n == 1 ? "" : "s") in the last 12 months"
        case .outpatient: return "\(n) outpatient attendance\(n == 1 ? "" : "s") in the last 12 months"
        case .drugs: return "\(n) distinct drugs in the last 12 months"
        case .socialCare: return "\(n) social-care service\(n == 1 ? "" : "s") started in the last 12 months"
        case .efiDeficits: return "\(n) eFI deficit\(n == 1 ? "" : "s")"
        case .hfrs: return "HFRS \(Double(Int(value * 10)) / 10)"
        case .charlson: return "Charlson \(n)"
        case .careHome: return value == 0 ? "not living in a care home" : "living in a care home"
        case .mdtReview: return value == 0 ? "no MDT review before" : "an MDT review before"
        default: return value == 0 ? "not \(label)" : label
        }
    }

    /// An indicator's words without what it is against: "aged 75 to 84".
    var label: String { Self.labels[position] }
    /// Made once: cutting a definition at its "(" walks it by character.
    static let labels: [String] = ordered.map { f in
        guard let cut = f.definition.firstIndex(of: "(") else { return f.definition }
        var s = f.definition[..<cut]
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

/// Reads one person's features and outcome on a day.
public struct AdmissionFeatureReader {
    let models: ModelSet
    var facts = PersonFacts()
    var scratch = ModelSet.Scratch()
    var drugs = Set<UInt64>()

    public init(models: ModelSet) { self.models = models }

    /// Why a person is not in the model's population on a day (nil: they are).
    public enum Exclusion: String, Error, Sendable {
        case noBirthDate = "no birth date", under18 = "under 18 on the day", died = "died before the day", notRegistered = "not registered on the day"
    }

    public struct Row: Sendable {
        public var features: [Double]
        /// At least one emergency admission starting in the outcome window (nil: not asked).
        public var outcome: Bool?
        /// The published indices on the day, for comparing their discrimination.
        public var indices: [String: Double]
    }

    /// The features on `day`, and the outcome in the `horizon` after it; or why the person is
    /// out. `record` is loaded here with the line's members (located once, by the facts).
    /// With `given` facts and `scored` results (risk-score has them already), the line is not
    /// read again nor the published indices scored again.
    public mutating func read(_ line: UnsafeBufferPointer<UInt8>, record: RecordScope, day: ISODate, horizon: CareCore.Duration?,
                              given: PersonFacts? = nil, scored: [ModelResult]? = nil) throws -> Result<Row, Exclusion> {
        // Given facts are only borrowed: kept here, they would make the caller's arrays shared,
        // and its next read would copy them all.
        if given == nil { try self.facts.read(line, reading: .everything) }
        let facts = given ?? self.facts
        try record.load(line, members: facts.members)
        guard let birth = facts.birthDate else { return .failure(.noBirthDate) }
        let age = birth.age(on: day)
        guard age >= 18 else { return .failure(.under18) }
        if let death = record.date("death_date"), death <= day { return .failure(.died) }
        if let start = record.date("registration_start"), start > day { return .failure(.notRegistered) }
        if let end = record.date("registration_end"), end < day { return .failure(.notRegistered) }
        let dayNumber = day.dayNumber
        let m6 = CareCore.Duration(months: 6).moving(day, sign: -1).dayNumber
        let m12 = CareCore.Duration(months: 12).moving(day, sign: -1).dayNumber
        let m24 = CareCore.Duration(months: 24).moving(day, sign: -1).dayNumber
        var x = [Double](repeating: 0, count: AdmissionFeature.ordered.count)
        func set(_ f: AdmissionFeature, _ v: Double) { x[f.position] = v }
        switch age {
        case 45..<65: set(.age45to64, 1)
        case 65..<75: set(.age65to74, 1)
        case 75..<85: set(.age75to84, 1)
        case 85...: set(.age85plus, 1)
        default: break
        }
        switch facts.sex {
        case .male: set(.male, 1)
        case .unknown: set(.sexUnknown, 1)
        case .female: break
        }
        var e6 = 0.0, e12 = 0.0, e24 = 0.0, bed = 0.0, other = 0.0
        var outcome = false
        let outcomeEnd = horizon.map { $0.moving(day).dayNumber }
        for a in facts.admissions {
            guard let s = a.startDay else { continue }
            if a.emergency {
                if s < dayNumber && s >= m6 { e6 += 1 } else if s < m6 && s >= m12 { e12 += 1 } else if s < m12 && s >= m24 { e24 += 1 }
                if let e = a.endDay, e < dayNumber, e >= m12, e >= s { bed += Double(e - s) }
                if let end = outcomeEnd, s >= dayNumber, s < end { outcome = true }
            } else if s < dayNumber && s >= m12 {
                other += 1
            }
        }
        set(.emergency0to6, min(e6, 10)); set(.emergency6to12, min(e12, 10)); set(.emergency12to24, min(e24, 10))
        set(.bedDays, log1p(bed)); set(.otherAdmissions, min(other, 10))
        var ae = 0
        for d in facts.aeDays where d < dayNumber && d >= m12 { ae += 1 }
        set(.ae, min(Double(ae), 20))
        drugs.removeAll(keepingCapacity: true)
        for e in facts.events where e.isMedication { if let d = e.day, d < dayNumber, d >= m12 { drugs.insert(e.drug) } }
        set(.drugs, min(Double(drugs.count), 20))
        var outpatient = 0
        for d in facts.outpatientDays where d < dayNumber && d >= m12 { outpatient += 1 }
        let mdt = facts.mdtReviewDays.contains { $0 < dayNumber }
        set(.outpatient, min(Double(outpatient), 30)); set(.mdtReview, mdt ? 1 : 0)
        var careHome = false, social = 0.0
        for c in record.elements("care") {
            guard let s = c["start"]?.stringValue.flatMap({ ISODate.parse($0) })?.dayNumber, s < dayNumber else { continue }
            let kind = c["kind"]?.stringValue
            let end = c["end"]?.stringValue.flatMap { ISODate.parse($0) }?.dayNumber
            if (kind == "residential" || kind == "nursing") && c["permanent"] == .bool(true) && (end.map { $0 >= dayNumber } ?? true) { careHome = true }
            if s >= m12 { social += 1 }
        }
        set(.careHome, careHome ? 1 : 0); set(.socialCare, min(social, 5))
        // The published indices, as risk-score computes them, on the day.
        if scored == nil { models.score(facts, asOf: day, scratch: &scratch) }
        var indices: [String: Double] = [:]
        for r in scored ?? scratch.results {
            let v: Double
            switch r.score {
            case .integer(let i): v = Double(i)
            case .tenths(let t): v = Double(t) / 10
            case .fraction(let a, let b): v = Double(a) / Double(b)
            case .none: continue
            }
            if horizon != nil { indices[r.key] = v }   // for judging the indices: fitting only
            switch r.key {
            case "efi": if case .fraction(let deficits, _) = r.score { set(.efiDeficits, Double(deficits)) }
            case "hfrs": set(.hfrs, v)
            case "charlson": set(.charlson, v)
            default: break
            }
        }
        if let lsoa = record.string("lsoa"), let e = record.deprivation.entry(lsoa) {
            switch e.quintile {
            case 1: set(.imd1, 1)
            case 2: set(.imd2, 1)
            case 3: set(.imd3, 1)
            case 4: set(.imd4, 1)
            default: break
            }
        } else {
            set(.imdUnknown, 1)
        }
        return .success(Row(features: x, outcome: horizon == nil ? nil : outcome, indices: indices))
    }

    /// Counts the days of the line's dated entries (for checking the records cover the
    /// outcome window).
    public func countDays(into days: inout DayCounts) { countDays(of: facts, into: &days) }

    /// The same for facts read elsewhere.
    public func countDays(of facts: PersonFacts, into days: inout DayCounts) {
        for a in facts.admissions { if let d = a.startDay { days.add(d) } }
        for e in facts.events { if let d = e.day { days.add(d) } }
        for d in facts.aeDays { days.add(d) }
    }
}

extension AdmissionFeature {
    /// docs/admission-model.md's table of features (a test keeps the two the same).
    public static var markdownTable: String {
        var s = "| feature | definition |\n|---|---|\n"
        for f in allCases { s += "| `\(f.rawValue)` | \(f.definition) |\n" }
        return s
    }
}
