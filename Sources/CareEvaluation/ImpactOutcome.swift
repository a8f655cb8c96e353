import CareCore
import CareRisk

/// What the evaluation measures before and after the index (docs/evaluation.md). Counts are
/// rates per person-year, so that a death, which ends follow-up, does not read as fewer
/// admissions; care-home admission and death are the share of people with one.
public enum ImpactOutcome: String, CaseIterable, Sendable {
    case emergencyAdmissions = "emergency_admissions"
    case emergencyBedDays = "emergency_bed_days"
    case aeAttendances = "ae_attendances"
    case electiveAdmissions = "elective_admissions"
    case careHomeAdmission = "care_home_admission"
    case death

    public var title: String {
        switch self {
        case .emergencyAdmissions: "Emergency admissions"
        case .emergencyBedDays: "Emergency bed days"
        case .aeAttendances: "A&E attendances"
        case .electiveAdmissions: "Elective and other non-emergency admissions"
        case .careHomeAdmission: "Permanent care-home admission"
        case .death: "Death"
        }
    }

    /// "per person-year" or "share of people".
    public var unit: String { isShare ? "share of people" : "per person-year" }
    public var isShare: Bool { self == .careHomeAdmission || self == .death }
    /// Death has no "before" (everyone is alive at the index): only its after-index share is compared.
    public var hasBefore: Bool { self != .death }
}

/// One person's outcomes in the windows before and after an index day.
public struct OutcomeWindows: Sendable {
    /// Per outcome (ImpactOutcome order): the count (for a share, 0 or 1) before and after.
    public var before: [Double]
    public var after: [Double]
    /// Years in the window before, and followed after the index (to death or the window's end).
    public var yearsBefore: Double
    public var yearsAfter: Double
    /// Emergency admissions in each month from 12 before the index month to 11 after (24).
    public var monthly: [Int]
    /// How many of the 12 months after the index month the person was alive at the start of.
    public var monthsAtRisk: Int

    public static let months = 12

    /// Measures from the facts and the record (loaded with the same line) around `index`, with
    /// windows of `window` each side. Bed days are the days of emergency spells starting in the
    /// window, cut at its end.
    public static func measure(_ facts: PersonFacts, _ record: RecordScope, index: ISODate, window: CareCore.Duration) -> OutcomeWindows {
        let t = index.dayNumber
        let from = window.moving(index, sign: -1).dayNumber, to = window.moving(index).dayNumber
        let death = record.date("death_date")?.dayNumber
        let followEnd = min(to, death.map { $0 + 1 } ?? to)
        let yearsBefore = Double(t - from) / 365.25
        let yearsAfter = Double(max(followEnd - t, 0)) / 365.25
        var before = [Double](repeating: 0, count: ImpactOutcome.allCases.count)
        var after = before
        var monthly = [Int](repeating: 0, count: 2 * months)
        func add(_ o: ImpactOutcome, _ day: Int, _ v: Double = 1) {
            let i = ImpactOutcome.allCases.firstIndex(of: o)!
            if day >= from && day < t { before[i] += v } else if day >= t && day < followEnd { after[i] += v }
        }
        let indexMonth = index.year * 12 + index.month - 1
        for a in facts.admissions {
            guard let s = a.startDay else { continue }
            if a.emergency {
                add(.emergencyAdmissions, s)
                let end = a.endDay ?? s
                let cut = s < t ? min(end, t) : min(end, followEnd)
                add(.emergencyBedDays, s, Double(max(0, cut - s)))
                let d = ISODate(dayNumber: s)
                let m = d.year * 12 + d.month - 1 - indexMonth + months
                if m >= 0 && m < 2 * months && s < followEnd { monthly[m] += 1 }
            } else {
                add(.electiveAdmissions, s)
            }
        }
        for d in facts.aeDays { add(.aeAttendances, d) }
        var careBefore = false, careAfter = false
        for c in record.elements("care") {
            guard let kind = c["kind"]?.stringValue, kind == "residential" || kind == "nursing", c["permanent"] == .bool(true),
                  let s = c["start"]?.stringValue.flatMap({ ISODate.parse($0) })?.dayNumber else { continue }
            if s >= from && s < t { careBefore = true } else if s >= t && s < followEnd { careAfter = true }
        }
        let ci = ImpactOutcome.allCases.firstIndex(of: .careHomeAdmission)!, di = ImpactOutcome.allCases.firstIndex(of: .death)!
        before[ci] = careBefore ? 1 : 0
        after[ci] = careAfter ? 1 : 0
        before[di] = 0
        after[di] = death.map { $0 >= t && $0 < to } == true ? 1 : 0
        var atRisk = months
        if let death, death < to {
            let d = ISODate(dayNumber: death)
            atRisk = min(months, max(0, d.year * 12 + d.month - 1 - indexMonth + 1))
        }
        return OutcomeWindows(before: before, after: after, yearsBefore: yearsBefore, yearsAfter: yearsAfter, monthly: monthly, monthsAtRisk: atRisk)
    }
}
