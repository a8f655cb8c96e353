import CareCore

/// One simulated person's life over the history window, as plain facts; a writer turns it
/// into the rows of an extract format.
public struct SimulatedPerson: Sendable {
    public var index: Int
    public var nhsNumber: String
    public var birthDate: ISODate
    public var sex: String            // "male" | "female"
    public var deathDate: ISODate?
    /// ONS place of death category, for people who died.
    public var deathPlace: String?
    public var practice: String
    public var team: String
    public var lsoa: String
    /// NHS Data Dictionary ethnic category ("" when none is recorded).
    public var ethnicCategory = ""
    public var registrationStart: ISODate
    public var registrationEnd: ISODate?
    public var diagnoses: [(date: ISODate, snomed: String, icd10: String?, name: String)] = []
    public var prescriptions: [(date: ISODate, dmd: String, term: String)] = []
    public var observations: [(date: ISODate, snomed: String, value: Double, unit: String)] = []
    public var admissions: [Admission] = []
    public var attendances: [(date: ISODate, admitted: Bool)] = []
    public var outpatients: [(date: ISODate, status: String)] = []
    public var socialCare: [SocialCare] = []
    /// Planted MDT reviews (PopulationSettings.plant).
    public var mdtReviews: [ISODate] = []

    public struct Admission: Sendable {
        public var start: ISODate
        public var end: ISODate
        public var method: String
        public var destination: String
        public var diagnoses: [String]
    }

    public struct SocialCare: Sendable {
        public var eventType: String     // Service | Assessment
        public var serviceType: String?
        public var start: ISODate
        public var end: ISODate?
        public var route: String?
    }

}

/// Settings of a simulated population.
public struct PopulationSettings: Sendable {
    public var people: Int
    public var seed: UInt64
    /// Last day of the history (the extract date).
    public var end: ISODate
    public var years: Int
    public var practices: Int
    /// A planted intervention (for testing impact evaluation), or nil.
    public var plant: PlantedIntervention?

    public init(people: Int, seed: UInt64 = 1, end: ISODate = ISODate(year: 2026, month: 3, day: 31), years: Int = 6, practices: Int = 8,
                plant: PlantedIntervention? = nil) {
        self.people = people; self.seed = seed; self.end = end; self.years = years; self.practices = practices; self.plant = plant
    }

    public var start: ISODate { ISODate(year: end.year - years, month: end.month, day: 1) }

    /// ODS-shaped practice codes (the ZZ prefix is not issued to real organisations).
    public var practiceCodes: [String] { (1...max(practices, 1)).map { "ZZ" + String(repeating: "0", count: 4 - String($0).count) + String($0) } }

    public static let teamNames = ["North", "South", "East", "West", "Central", "Riverside", "Hillside", "Coast"]
}

/// An MDT review planted as real case-finding does it (docs/evaluation.md): a person of 65 or
/// over whose emergency use spiked (at least `spike` emergency admissions in a simulated year) is
/// reviewed, with probability `uptake`, in the first half of the next year, when that day falls
/// in `from...to`; from
/// the review on, their emergency-admission rate is multiplied by 1 + `effect` (−0.15: 15 % fewer;
/// 0: the review changes nothing). The review is written to clinical_events as `kind`
/// `mdt-review` (code `mdt-review` in the `local` system). Planting uses its own random stream,
/// so the people it does not touch are the same as without it.
public struct PlantedIntervention: Sendable {
    public var effect: Double
    public var from: ISODate
    public var to: ISODate
    public var uptake: Double = 0.5
    public var spike = 2
    public init(effect: Double, from: ISODate, to: ISODate) { self.effect = effect; self.from = from; self.to = to }
}

/// Simulates people one at a time, deterministically: person i depends only on the seed and i,
/// so a population streams in constant memory.
public struct Population: Sequence, Sendable {
    public let settings: PopulationSettings

    public init(_ settings: PopulationSettings) { self.settings = settings }

    public func makeIterator() -> AnyIterator<SimulatedPerson> {
        var i = 0
        var numbers = TestNHSNumbers()
        let s = settings
        return AnyIterator {
            guard i < s.people else { return nil }
            defer { i += 1 }
            return Simulator.simulate(index: i, nhsNumber: numbers.next(), settings: s)
        }
    }
}

/// The life model: one person from the seed and their index.
enum Simulator {
    /// The spread (log-scale standard deviation) of a person's proneness to illness and frailty.
    static let pronenessSpread = 0.5
    /// How much more prone to illness a person is per IMD decile more deprived (log scale): a
    /// person in decile 1 is exp(0.08 × 4.5) ≈ 1.43 times as prone as average, decile 10 ≈ 0.70.
    static let deprivationGradient = 0.08
    /// Emergency admissions (docs/admission-model.md, "The generated data"): a yearly rate of
    /// 0.015 + 0.02 per long-term condition, + 0.12 from 75 and + 0.15 more from 85, multiplied by
    /// √proneness (frailty: the same proneness that brings deficits and conditions), by
    /// 1 + 0.6 for each emergency admission in the year before (up to 3: readmission and
    /// repeated crises), and by 1.3 in a care home.
    static let pastAdmissionEffect = 0.6
    static let careHomeEffect = 1.3
    /// The bundled IMD 2019's LSOAs by decile, for drawing each person's area.
    static let areasByDecile = DeprivationTable.bundled.codesByDecile()
    /// Ethnic categories with weights near the ONS Census 2021 for England and Wales (TS021, per
    /// cent, rounded), and records with no category (8 %: none recorded, or Z not stated), as GP
    /// records have. Synthetic: a realistic spread for the examples, not a statistic.
    static let ethnicWeights: [(String, Double)] = [
        ("A", 74.4), ("B", 0.9), ("C", 6.2), ("D", 0.9), ("E", 0.4), ("F", 0.8), ("G", 0.8), ("H", 3.1), ("J", 2.7),
        ("K", 1.1), ("L", 1.6), ("R", 0.7), ("M", 1.1), ("N", 2.5), ("P", 0.5), ("S", 2.1), ("Z", 2.0), ("", 6.0),
    ]

    /// A decile around the practice's own (practices span the deciles, most deprived first), and
    /// an LSOA of that decile.
    static func area(_ rng: inout SeededRandom, practice: Int, practices: Int) -> (lsoa: String, decile: Int) {
        let centre = 1.0 + 9.0 * Double(practice) / Double(max(1, practices - 1))
        let decile = min(10, max(1, Int((centre + 1.6 * rng.normal()).rounded())))
        let areas = areasByDecile[decile - 1]
        return (areas[rng.int(0...(areas.count - 1))], decile)
    }

    static func ethnicCategory(_ rng: inout SeededRandom) -> String {
        let total = ethnicWeights.reduce(0) { $0 + $1.1 }
        var u = rng.unit() * total
        for (code, w) in ethnicWeights {
            if u < w { return code }
            u -= w
        }
        return "A"
    }

    static func ageAtEnd(_ rng: inout SeededRandom) -> Int {
        // A rough English registered-population shape, weighted a little to older people.
        let u = rng.unit()
        switch u {
        case ..<0.18: return rng.int(0...17)
        case ..<0.55: return rng.int(18...49)
        case ..<0.77: return rng.int(50...64)
        case ..<0.91: return rng.int(65...79)
        default: return rng.int(80...101)
        }
    }

    static func simulate(index: Int, nhsNumber: String, settings s: PopulationSettings) -> SimulatedPerson {
        var rng = SeededRandom(seed: s.seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index))
        var plantRng = SeededRandom(seed: (s.seed &+ 0x5EED) &* 0xBF58_476D_1CE4_E5B9 &+ UInt64(index))
        let age = ageAtEnd(&rng)
        let endDay = s.end.dayNumber, startDay = s.start.dayNumber
        let birth = ISODate(dayNumber: endDay - age * 365 - rng.int(0...364))
        let practices = s.practiceCodes
        let practiceIndex = rng.int(0...(practices.count - 1))
        let teamName = PopulationSettings.teamNames[(practiceIndex / 4) % PopulationSettings.teamNames.count] + " PCN"
        var p = SimulatedPerson(index: index, nhsNumber: nhsNumber, birthDate: birth, sex: rng.chance(0.5) ? "female" : "male",
                                practice: practices[practiceIndex], team: teamName,
                                lsoa: "",
                                registrationStart: ISODate(dayNumber: max(birth.dayNumber, startDay - rng.int(0...7000))))
        if rng.chance(0.03) { p.registrationEnd = ISODate(dayNumber: rng.int(startDay...endDay)) }
        let lastDay = p.registrationEnd?.dayNumber ?? endDay
        let (lsoa, decile) = Self.area(&rng, practice: practiceIndex, practices: practices.count)
        p.lsoa = lsoa
        p.ethnicCategory = Self.ethnicCategory(&rng)
        // How prone this person is to illness and frailty: a log-normal multiplier of mean 1, so
        // deficits cluster in some people as they do in life (Catalogue's note on the eFI split),
        // higher in more deprived areas.
        let proneness = exp(Self.pronenessSpread * rng.normal() - Self.pronenessSpread * Self.pronenessSpread / 2
                            + Self.deprivationGradient * (5.5 - Double(decile)))
        var conditions: [Int] = []         // indices into Catalogue.all
        var longTerm: [Int] = []           // those that are long-term conditions (Catalogue.conditions)
        var inCareHome = false, homeCare = false
        func ageOn(_ day: Int) -> Int { (day - birth.dayNumber) / 365 }
        func diagnose(_ c: Int, day: Int) {
            let cond = Catalogue.all[c]
            conditions.append(c)
            if cond.icd10 != nil { longTerm.append(c) }
            p.diagnoses.append((ISODate(dayNumber: day), cond.snomed, cond.icd10, cond.name))
        }
        // Conditions already present when the history starts.
        let ageAtStart = max(ageOn(startDay), 0)
        for (c, cond) in Catalogue.all.enumerated() where rng.chance(min(0.7, cond.onsetProbability(age: ageAtStart) * 12 * proneness)) {
            diagnose(c, day: max(birth.dayNumber + 365 * 18, startDay - rng.int(30...3650)))
        }
        var day = max(startDay, birth.dayNumber)
        while day <= lastDay {
            let yearEnd = min(day + 364, lastDay)
            let a = ageOn(day)
            // The last stretch of a history is usually shorter than a year: its chances and
            // rates are scaled to its length (else its events would pile into a few weeks).
            let f = Double(yearEnd - day + 1) / 365
            // Death this year?
            let mortality = min(0.5, 0.0004 * exp(0.088 * Double(max(a, 20) - 30)) * (1 + 0.15 * Double(longTerm.count)))
            let deathDay: Int? = rng.chance(mortality * f) ? rng.int(day...yearEnd) : nil
            let yearLast = deathDay ?? yearEnd
            // New conditions.
            for (c, cond) in Catalogue.all.enumerated() where !conditions.contains(c) && rng.chance(cond.onsetProbability(age: a) * f * proneness) {
                diagnose(c, day: rng.int(day...yearLast))
            }
            // Repeat prescriptions, every two months or so, for conditions with a usual drug.
            var drugs: [(String, String)] = []
            for c in conditions { if let d = Catalogue.all[c].drug, !drugs.contains(where: { $0.0 == d.0 }) { drugs.append(d) } }
            for d in drugs {
                var issue = day + rng.int(0...60)
                while issue <= yearLast { p.prescriptions.append((ISODate(dayNumber: issue), d.0, d.1)); issue += rng.int(50...70) }
            }
            // Observations for adults.
            if a >= 18 {
                for (code, unit, mean, sd) in Catalogue.observations where rng.chance((a >= 40 ? 0.8 : 0.3) * f) {
                    let v = (mean + sd * rng.normal()) * 10
                    p.observations.append((ISODate(dayNumber: rng.int(day...yearLast)), code, max(v.rounded() / 10, 1), unit))
                }
            }
            // Hospital use.
            let n = Double(longTerm.count)
            var recent = 0
            for past in p.admissions where past.method.hasPrefix("2") && past.start.dayNumber >= day - 365 && past.start.dayNumber < day { recent += 1 }
            let emergencyRate = (0.015 + 0.02 * n + (a >= 75 ? 0.12 : 0) + (a >= 85 ? 0.15 : 0)) * proneness.squareRoot()
                * (1 + Self.pastAdmissionEffect * Double(min(recent, 3))) * (inCareHome ? Self.careHomeEffect : 1)
            // A planted review: chosen on the spike, from its own random stream; the rate after it
            // changes by the planted effect.
            // (Unplanted people draw exactly as before: a count, then each admission's day.)
            var segments: [(count: Int, from: Int, to: Int)]
            if let plant = s.plant, p.mdtReviews.isEmpty, a >= 65, recent >= plant.spike {
                // Reviewed within half a year of the spike, on any day of the year (so index months spread).
                let review = min(day + plantRng.int(0...182), yearLast)
                if review >= plant.from.dayNumber, review <= plant.to.dayNumber, plantRng.chance(plant.uptake) {
                    p.mdtReviews.append(ISODate(dayNumber: review))
                }
            }
            if let plant = s.plant, let review = p.mdtReviews.first?.dayNumber, review <= yearLast {
                let cut = max(review, day), multiplier = max(0, 1 + plant.effect)
                segments = [(rng.poisson(emergencyRate * Double(cut - day) / 365), day, max(day, cut - 1)),
                            (rng.poisson(emergencyRate * multiplier * Double(yearLast - cut + 1) / 365), cut, yearLast)]
            } else {
                segments = [(rng.poisson(emergencyRate * f), day, yearLast)]
            }
            for segment in segments { for _ in 0..<segment.count {
                let start = rng.int(segment.from...segment.to)
                let stay = 1 + rng.poisson(a >= 75 ? 6 : 2.5)
                let end = min(start + stay, deathDay ?? Int.max, endDay)
                let viaAE = rng.chance(0.7)
                if viaAE { p.attendances.append((ISODate(dayNumber: start), true)) }
                var destination = "19"
                let u = rng.unit()
                if deathDay != nil && end == deathDay { destination = "79" }
                else if a >= 80 && u < 0.05 { destination = rng.pick(["54", "85", "65"]); inCareHome = true }
                else if u < 0.08 { destination = "51" }
                else if u < 0.09 { destination = "29" }
                var dx = [rng.pick(Catalogue.acute)]
                dx += longTerm.compactMap { Catalogue.all[$0].icd10 }.prefix(6)
                p.admissions.append(.init(start: ISODate(dayNumber: start), end: ISODate(dayNumber: max(end, start)),
                                          method: viaAE ? "21" : rng.pick(["22", "23", "24", "2A", "2B", "2D"]),
                                          destination: destination, diagnoses: dx))
                if destination == "19" && a >= 65 && !inCareHome && rng.chance(0.25) {
                    let s0 = max(end, start)
                    p.socialCare.append(.init(eventType: "Service", serviceType: "Short Term Support: ST-Max",
                                              start: ISODate(dayNumber: s0), end: ISODate(dayNumber: min(s0 + rng.int(21...56), endDay)),
                                              route: "Discharge from Hospital"))
                }
            } }
            for _ in 0..<rng.poisson((0.03 + 0.01 * n) * f) {
                let start = rng.int(day...yearLast)
                let end = min(start + rng.poisson(1.5), yearLast)
                p.admissions.append(.init(start: ISODate(dayNumber: start), end: ISODate(dayNumber: end),
                                          method: rng.pick(["11", "12", "13"]), destination: "19",
                                          diagnoses: longTerm.isEmpty ? ["Z501"] : longTerm.prefix(3).compactMap { Catalogue.all[$0].icd10 }))
            }
            for _ in 0..<rng.poisson((0.12 + 0.05 * n) * f) { p.attendances.append((ISODate(dayNumber: rng.int(day...yearLast)), false)) }
            for _ in 0..<rng.poisson((0.4 + 0.3 * n) * f) {
                let u = rng.unit()
                p.outpatients.append((ISODate(dayNumber: rng.int(day...yearLast)), u < 0.9 ? "5" : (u < 0.97 ? "3" : "2")))
            }
            // Long-term social care for frail older people.
            if a >= 75 && !inCareHome && conditions.count >= 3 && rng.chance((0.03 + (inCareHome ? 0 : 0.01 * n)) * f) {
                let s0 = rng.int(day...yearLast)
                p.socialCare.append(.init(eventType: "Assessment", serviceType: nil, start: ISODate(dayNumber: max(s0 - 14, day)), end: nil, route: "Community/Other"))
                p.socialCare.append(.init(eventType: "Service", serviceType: rng.chance(0.4) ? "Long Term Support: Nursing Care" : "Long Term Support: Residential Care",
                                          start: ISODate(dayNumber: s0), end: nil, route: "Community/Other"))
                inCareHome = true
            } else if a >= 70 && !homeCare && !inCareHome && rng.chance(0.01 * n * f) {
                p.socialCare.append(.init(eventType: "Service", serviceType: "Long Term Support: Community",
                                          start: ISODate(dayNumber: rng.int(day...yearLast)), end: nil, route: "Community/Other"))
                homeCare = true
            }
            if let deathDay {
                p.deathDate = ISODate(dayNumber: deathDay)
                // Where: in hospital when a spell ended in death that day; in the care home for its
                // residents; otherwise at home, or in a hospice for some (chosen from the day, not
                // the random stream, so the rest of the population is unchanged).
                if p.admissions.contains(where: { $0.destination == "79" && $0.end.dayNumber == deathDay }) {
                    p.deathPlace = "Hospital"
                } else if inCareHome {
                    p.deathPlace = "Care home"
                } else {
                    p.deathPlace = deathDay % 5 == 0 ? "Hospice" : "Home"
                }
                break
            }
            day = yearEnd + 1
        }
        p.diagnoses.sort { $0.date < $1.date }
        return p
    }
}

/// NHS numbers for synthetic people, never real ones: 999 000 0000 – 999 999 9999 (the range
/// NHS England reserves for testing) first, then 998…, 997… (also 9xx test space) if more are needed.
public struct TestNHSNumbers: Sendable {
    private var candidate = 0
    public init() {}

    public mutating func next() -> String {
        while true {
            let block = 999 - candidate / 1_000_000
            // A bijective scramble of the six free digits so numbers do not run in id order.
            let body = (candidate % 1_000_000) &* 387_319 % 1_000_000
            candidate += 1
            let nine = String(block) + String(repeating: "0", count: 6 - String(body).count) + String(body)
            if let check = NHSNumber.checkDigit(for: nine.map { Int(String($0))! }) { return nine + String(check) }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
