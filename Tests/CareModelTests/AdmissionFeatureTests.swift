import Foundation
import Testing
@testable import CareCore
@testable import CareModel
@testable import CareRisk

/// A person line for the admission model: emergency admissions on given days, and optional
/// death, registration and area.
func personLine(birth: String? = "1950-03-01", sex: String = "female", emergencies: [(String, String?)] = [],
                electives: [String] = [], ae: [String] = [], extra: String = "") -> String {
    var encounters: [String] = []
    for (start, end) in emergencies {
        encounters.append(#"{"kind":"admission","start":"\#(start)""# + (end.map { #","end":"\#($0)""# } ?? "") + #","method":"emergency","diagnoses":[],"source":"apc:t"}"#)
    }
    for s in electives { encounters.append(#"{"kind":"admission","start":"\#(s)","end":"\#(s)","method":"elective","diagnoses":[],"source":"apc:t"}"#) }
    for s in ae { encounters.append(#"{"kind":"ae","start":"\#(s)","source":"ecds:t"}"#) }
    let b = birth.map { #","birth_date":"\#($0)""# } ?? ""
    return #"{"id":"p1"\#(b),"sex":"\#(sex)"\#(extra),"events":[],"encounters":[\#(encounters.joined(separator: ","))]}"#
}

/// Reads one line's features on `day` as risk-model does.
func features(_ line: String, day: String = "2025-04-01", horizon: CareCore.Duration? = CareCore.Duration(months: 12)) throws -> Result<AdmissionFeatureReader.Row, AdmissionFeatureReader.Exclusion> {
    var reader = AdmissionFeatureReader(models: try ModelSet(ModelSet.parse("efi,hfrs,charlson")))
    let d = ISODate.parse(day)!
    let record = RecordScope(asOf: d, deprivation: DeprivationTable.bundled)
    var bytes = Array(line.utf8)
    return try bytes.withUnsafeMutableBufferPointer { buf in
        let b = UnsafeBufferPointer(buf)
        try record.load(b, validate: false)
        return try reader.read(b, record: record, day: d, horizon: horizon)
    }
}

func value(_ row: AdmissionFeatureReader.Row, _ f: AdmissionFeature) -> Double { row.features[AdmissionFeature.allCases.firstIndex(of: f)!] }

@Suite struct AdmissionFeatureTests {
    @Test func admissionsFallInTheirWindowsAndTheOutcomeOnlyAfter() throws {
        // Day 2025-04-01: 6 months back is 2024-10-01, 12 months 2024-04-01, 24 months 2023-04-01.
        let line = personLine(emergencies: [("2025-03-31", "2025-04-03"), ("2024-10-01", "2024-10-11"), ("2024-09-30", nil),
                                            ("2024-04-01", "2024-04-02"), ("2023-04-01", nil), ("2023-03-31", nil)])
        let row = try features(line).get()
        #expect(value(row, .emergency0to6) == 2)      // 2025-03-31 and 2024-10-01 (the edge is in)
        #expect(value(row, .emergency6to12) == 2)     // 2024-09-30 and 2024-04-01
        #expect(value(row, .emergency12to24) == 1)    // 2023-04-01; 2023-03-31 is out of every window
        // Bed days of spells ending before the day in the last 12 months: 10 + 1; the spell
        // ending after the day is not counted (its end was not yet known).
        #expect(abs(value(row, .bedDays) - log1p(11)) < 1e-12)
        #expect(row.outcome == false)                 // nothing starts on or after the day
    }

    @Test(arguments: [("2025-04-01", true), ("2026-03-31", true), ("2026-04-01", false), ("2025-03-31", false)])
    func theOutcomeWindowIsTheDayToTheHorizon(start: String, admitted: Bool) throws {
        let row = try features(personLine(emergencies: [(start, nil)])).get()
        #expect(row.outcome == admitted, "an emergency admission on \(start)")
        // A feature never sees the outcome's admission.
        let seen = value(row, .emergency0to6) + value(row, .emergency6to12) + value(row, .emergency12to24)
        #expect(seen == (start < "2025-04-01" ? 1 : 0))
    }

    @Test func electivesAndAEAreCountedSeparately() throws {
        let row = try features(personLine(electives: ["2025-01-10", "2023-01-10"], ae: ["2025-03-01", "2025-03-02", "2025-04-02"])).get()
        #expect(value(row, .otherAdmissions) == 1)
        #expect(value(row, .ae) == 2)
        #expect(value(row, .emergency0to6) == 0)
    }

    @Test func ageBandsAndSex() throws {
        #expect(value(try features(personLine(birth: "1990-01-01")).get(), .age45to64) == 0)
        let old = try features(personLine(birth: "1935-01-01", sex: "male")).get()
        #expect(value(old, .age85plus) == 1)
        #expect(value(old, .male) == 1)
        #expect(value(try features(personLine(sex: "unknown")).get(), .sexUnknown) == 1)
    }

    @Test func deprivationFromTheAreaOrSaidUnknown() throws {
        // E01000001 (City of London) is in IMD 2019 decile 9, quintile 5: the reference group.
        let known = try features(personLine(extra: #","lsoa":"E01000001""#)).get()
        for f in [AdmissionFeature.imd1, .imd2, .imd3, .imd4, .imdUnknown] { #expect(value(known, f) == 0) }
        #expect(value(try features(personLine()).get(), .imdUnknown) == 1)
        #expect(value(try features(personLine(extra: #","lsoa":"X99999999""#)).get(), .imdUnknown) == 1)
    }

    @Test(arguments: [
        (personLine(birth: "2010-01-01"), AdmissionFeatureReader.Exclusion.under18),
        (personLine(birth: nil), .noBirthDate),
        (personLine(extra: #","death_date":"2025-03-01""#), .died),
        (personLine(extra: #","registration_start":"2025-05-01""#), .notRegistered),
        (personLine(extra: #","registration_end":"2025-03-01""#), .notRegistered),
    ])
    func peopleOutOfThePopulationAreSaidWhy(line: String, why: AdmissionFeatureReader.Exclusion) throws {
        guard case .failure(let got) = try features(line) else { Issue.record("expected \(why)"); return }
        #expect(got == why)
    }

    @Test func eachFeatureKnowsItsPlace() {
        #expect(AdmissionFeature.allCases.map(\.position) == Array(0..<AdmissionFeature.allCases.count))
    }

    @Test func theSchemaKnowsTheBands() {
        #expect(RecordSchema.admissionBands == AdmissionBand.allCases.map(\.rawValue))
        #expect(RecordSchema.standard.type(of: ["risk", "admission", "probability"]) == .number)
    }
}
