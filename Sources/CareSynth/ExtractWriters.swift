import CareCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A CSV table being written atomically into an output folder.
final class CSVTableFile {
    let file: OutputFile
    private var line: [UInt8] = []
    private(set) var rows = 0

    init(folder: String, name: String, header: [String]) throws {
        file = try OutputFile(path: "\(folder)/\(name).csv")
        try row(header)
        rows = 0
    }

    /// Writes one record, quoting fields that need it (RFC 4180).
    func row(_ fields: [String]) throws {
        line.removeAll(keepingCapacity: true)
        for (i, f) in fields.enumerated() {
            if i > 0 { line.append(UInt8(ascii: ",")) }
            CSVText.appendVerbatim(f, to: &line)
        }
        line.append(0x0A)
        try file.write(line)
        rows += 1
    }

    /// Writes text as it is (for deliberately malformed lines).
    func raw(_ text: String) throws {
        try file.write(Array(text.utf8))
        rows += 1
    }
}

/// Which extract shape to write.
public enum ExtractFormat: String, CaseIterable, Sendable {
    case tables
    case synthea
}

/// What was written, for the summary.
public struct ExtractSummary: Sendable {
    public var people = 0
    public var rows: [String: Int] = [:]
    public var badRows = 0
}

/// Writes a simulated population as an extract folder.
public enum ExtractWriter {
    /// With `split`, the tables format goes into three folders as three organisations would
    /// send it: gp/ (patients, clinical_events, medications), hospital/ (patients, apcs, ec, opa)
    /// and council/ (patients, social_care); each organisation's patients.csv lists only the
    /// people it has rows for.
    public static func write(_ settings: PopulationSettings, format: ExtractFormat, folder: String, badRows: Int, split: Bool = false) throws -> ExtractSummary {
        switch format {
        case .tables: return try writeTables(settings, folder: folder, badRows: badRows, split: split)
        case .synthea: return try writeSynthea(settings, folder: folder)
        }
    }

    static func d(_ date: ISODate?) -> String { date?.description ?? "" }

    // MARK: tables

    static func writeTables(_ settings: PopulationSettings, folder: String, badRows: Int, split: Bool) throws -> ExtractSummary {
        let gp = split ? "\(folder)/gp" : folder, hospital = split ? "\(folder)/hospital" : folder, council = split ? "\(folder)/council" : folder
        if split { for f in [gp, hospital, council] { try FileProbe.makeFolder(f) } }
        let patients = try CSVTableFile(folder: gp, name: "patients", header: [
            "nhs_number", "date_of_birth", "sex", "date_of_death", "place_of_death", "practice", "team", "lsoa", "registration_start_date",
            "registration_end_date", "ethnic_category"])
        // A planted intervention adds code, system and kind columns (its reviews are local codes).
        let planted = settings.plant != nil
        let events = try CSVTableFile(folder: gp, name: "clinical_events",
                                      header: ["nhs_number", "date", "snomedct_code", "numeric_value", "unit"] + (planted ? ["code", "system", "kind"] : []))
        let pad = planted ? ["", "", ""] : []
        let meds = try CSVTableFile(folder: gp, name: "medications", header: ["nhs_number", "date", "dmd_code", "term"])
        let apcs = try CSVTableFile(folder: hospital, name: "apcs", header: [
            "nhs_number", "apcs_ident", "admission_date", "discharge_date", "admission_method", "discharge_destination",
            "primary_diagnosis", "all_diagnoses"])
        let ec = try CSVTableFile(folder: hospital, name: "ec", header: ["nhs_number", "ec_ident", "arrival_date", "discharge_destination"])
        let opa = try CSVTableFile(folder: hospital, name: "opa", header: ["nhs_number", "opa_ident", "appointment_date", "attendance_status"])
        let asc = try CSVTableFile(folder: council, name: "social_care", header: [
            "nhs_number", "event_type", "service_type", "start_date", "end_date", "route_of_access"])
        // A hospital and a council know a person's NHS number, birth date and sex, nothing more.
        let hospitalPatients = split ? try CSVTableFile(folder: hospital, name: "patients", header: ["nhs_number", "date_of_birth", "sex"]) : nil
        let councilPatients = split ? try CSVTableFile(folder: council, name: "patients", header: ["nhs_number", "date_of_birth", "sex"]) : nil
        let tables = [patients, events, meds, apcs, ec, opa, asc] + [hospitalPatients, councilPatients].compactMap { $0 }
        var summary = ExtractSummary()
        var spell = 0, attendance = 0, appointment = 0
        let badEvery = badRows > 0 ? max(settings.people / badRows, 1) : Int.max
        var bad = 0
        var spareNumbers = TestNHSNumbers()
        for _ in 0..<settings.people { _ = spareNumbers.next() }   // numbers no simulated person has
        do {
            for p in Population(settings) {
                summary.people += 1
                try patients.row([p.nhsNumber, d(p.birthDate), p.sex, d(p.deathDate), p.deathPlace ?? "", p.practice, p.team, p.lsoa,
                                  d(p.registrationStart), d(p.registrationEnd), p.ethnicCategory])
                if let hospitalPatients, !(p.admissions.isEmpty && p.attendances.isEmpty && p.outpatients.isEmpty) {
                    try hospitalPatients.row([p.nhsNumber, d(p.birthDate), p.sex])
                }
                if let councilPatients, !p.socialCare.isEmpty { try councilPatients.row([p.nhsNumber, d(p.birthDate), p.sex]) }
                for e in p.diagnoses { try events.row([p.nhsNumber, d(e.date), e.snomed, "", ""] + pad) }
                for r in p.mdtReviews { try events.row([p.nhsNumber, d(r), "", "", "", "mdt-review", "local", "mdt-review"]) }
                for o in p.observations {
                    var w = JSONWriter(capacity: 16)
                    w.double(o.value)
                    try events.row([p.nhsNumber, d(o.date), o.snomed, String(decoding: w.bytes, as: UTF8.self), o.unit] + pad)
                }
                for m in p.prescriptions { try meds.row([p.nhsNumber, d(m.date), m.dmd, m.term]) }
                for a in p.admissions {
                    spell += 1
                    let packed = "||" + a.diagnoses.joined(separator: " ,") + " "
                    try apcs.row([p.nhsNumber, String(spell), d(a.start), d(a.end), a.method, a.destination, a.diagnoses[0], packed])
                }
                for a in p.attendances {
                    attendance += 1
                    try ec.row([p.nhsNumber, String(attendance), d(a.date), a.admitted ? Catalogue.ecAdmitted : Catalogue.ecDischargeHome])
                }
                for o in p.outpatients {
                    appointment += 1
                    try opa.row([p.nhsNumber, String(appointment), d(o.date), o.status])
                }
                for s in p.socialCare {
                    try asc.row([p.nhsNumber, s.eventType, s.serviceType ?? "", d(s.start), d(s.end), s.route ?? ""])
                }
                if badRows > 0 && bad < badRows && p.index % badEvery == badEvery - 1 {
                    try writeBadRow(bad, person: p, spare: spareNumbers.next(), patients: patients, events: events, meds: meds, apcs: apcs, asc: asc)
                    bad += 1
                }
            }
            if badRows > 0 {
                // An unbalanced quote: the last record of ec.csv never closes its quoted field.
                try ec.raw("9990000018,999999,2025-01-01,\"306689006\n")
                bad += 1
            }
            for t in tables { try t.file.commit() }
        } catch {
            for t in tables { t.file.abandon() }
            throw error
        }
        summary.badRows = bad
        for (name, t) in zip(["patients", "clinical_events", "medications", "apcs", "ec", "opa", "social_care",
                              "hospital patients", "council patients"], tables) { summary.rows[name] = t.rows }
        return summary
    }

    /// One deliberately bad row of kind `k % 7` (and, for kind 0, the orphan it leaves).
    static func writeBadRow(_ k: Int, person p: SimulatedPerson, spare: String, patients: CSVTableFile, events: CSVTableFile,
                            meds: CSVTableFile, apcs: CSVTableFile, asc: CSVTableFile) throws {
        switch k % 7 {
        case 0:   // invalid NHS number (check digit off by one), and an event of that person
            let digits = Array(spare)
            let wrong = String(digits.dropLast()) + String((Int(String(digits.last!))! + 1) % 10)
            try patients.row([wrong, "1950-01-01", "female", "", p.practice, p.team, p.lsoa, "2000-01-01", ""])
            try events.row([spare, "2024-05-01", "38341003", "", ""])
        case 1: try events.row([p.nhsNumber, "2023-02-30", "38341003", "", ""])             // impossible date
        case 2: try meds.row([p.nhsNumber, "2024-01-01", "322236009"])                       // ragged row
        case 3: try apcs.row([p.nhsNumber, "0", "2024-03-01", "2024-03-04", "77", "19", "J189", "||J189 "])  // unknown admission method
        case 4: try events.row([spare, "2024-06-01", "44054006", "", ""])                     // no such patient
        case 5: try events.row([p.nhsNumber, "2024-07-01", "", "", ""])                        // missing code
        default: try asc.row([p.nhsNumber, "Service", "Long Term Support: Hovercraft", "2024-08-01", "", ""])  // unknown service type
        }
    }

    // MARK: synthea

    /// A deterministic UUID-shaped id for Synthea-style keys.
    static func uuid(_ a: Int, _ b: Int, _ seed: UInt64) -> String {
        var rng = SeededRandom(seed: seed ^ UInt64(a) &* 0x100000001B3 ^ UInt64(b) &* 0xC2B2AE3D27D4EB4F)
        let hex = Array("0123456789abcdef")
        var s = ""
        for i in 0..<32 {
            if [8, 12, 16, 20].contains(i) { s.append("-") }
            s.append(hex[Int(rng.next() & 15)])
        }
        return s
    }

    /// RxNorm ingredient concepts for the dm+d products the simulation prescribes.
    static let rxnorm: [String: String] = [
        "319283006": "17767", "325278007": "6809", "320176004": "435", "317971007": "4603", "703907002": "1364430",
        "321988006": "36437", "322236009": "161", "320000009": "83367",
    ]
    /// LOINC codes for the simulated observations.
    static let loinc: [String: (String, String)] = [
        "271649006": ("8480-6", "Systolic Blood Pressure"), "60621009": ("39156-5", "Body Mass Index"), "27113001": ("29463-7", "Body Weight"),
    ]

    static func writeSynthea(_ settings: PopulationSettings, folder: String) throws -> ExtractSummary {
        let patients = try CSVTableFile(folder: folder, name: "patients", header: ["Id", "BIRTHDATE", "DEATHDATE", "SSN", "FIRST", "LAST", "GENDER", "COUNTY", "ZIP"])
        let encounters = try CSVTableFile(folder: folder, name: "encounters", header: ["Id", "START", "STOP", "PATIENT", "ORGANIZATION", "ENCOUNTERCLASS", "CODE", "DESCRIPTION", "REASONCODE"])
        let conditions = try CSVTableFile(folder: folder, name: "conditions", header: ["START", "STOP", "PATIENT", "ENCOUNTER", "SYSTEM", "CODE", "DESCRIPTION"])
        let observations = try CSVTableFile(folder: folder, name: "observations", header: ["DATE", "PATIENT", "ENCOUNTER", "CATEGORY", "CODE", "DESCRIPTION", "VALUE", "UNITS", "TYPE"])
        let medications = try CSVTableFile(folder: folder, name: "medications", header: ["START", "STOP", "PATIENT", "ENCOUNTER", "CODE", "DESCRIPTION"])
        let tables = [patients, encounters, conditions, observations, medications]
        var summary = ExtractSummary()
        do {
            for p in Population(settings) {
                summary.people += 1
                let id = uuid(p.index, 0, settings.seed)
                try patients.row([id, d(p.birthDate), d(p.deathDate), "999-00-\(p.index % 10000)", "Person\(p.index)", "Synthetic",
                                  p.sex == "female" ? "F" : "M", "Middlesex County", "02155"])
                var n = 1
                func ts(_ date: ISODate) -> String { date.description + "T09:00:00Z" }
                for a in p.admissions {
                    n += 1
                    let emergency = a.method.hasPrefix("2")
                    try encounters.row([uuid(p.index, n, settings.seed), ts(a.start), ts(a.end), id, p.practice, "inpatient",
                                        emergency ? "183452005" : "32485007", emergency ? "Encounter Inpatient" : "Hospital admission", ""])
                }
                for a in p.attendances where !a.admitted {
                    n += 1
                    try encounters.row([uuid(p.index, n, settings.seed), ts(a.date), ts(a.date), id, p.practice, "emergency", "50849002", "Emergency room admission", ""])
                }
                for o in p.outpatients where o.status == "5" {
                    n += 1
                    try encounters.row([uuid(p.index, n, settings.seed), ts(o.date), ts(o.date), id, p.practice, "outpatient", "185349003", "Encounter for check up", ""])
                }
                for c in p.diagnoses {
                    try conditions.row([d(c.date), "", id, "", "http://snomed.info/sct", c.snomed, c.name])
                }
                for o in p.observations {
                    let (code, name) = loinc[o.snomed] ?? (o.snomed, "Observation")
                    try observations.row([ts(o.date), id, "", "vital-signs", code, name, String(o.value), o.unit, "numeric"])
                }
                for m in p.prescriptions {
                    try medications.row([ts(m.date), "", id, "", rxnorm[m.dmd] ?? m.dmd, m.term])
                }
            }
            for t in tables { try t.file.commit() }
        } catch {
            for t in tables { t.file.abandon() }
            throw error
        }
        for (name, t) in zip(["patients", "encounters", "conditions", "observations", "medications"], tables) { summary.rows[name] = t.rows }
        return summary
    }
}
