/// A coded value: `{"system":"icd10","code":"J189"}`.
public struct Code: Hashable, Sendable {
    public var system: String
    public var code: String
    /// In an event's `other_codes`: true on the code the source itself recorded, when the
    /// event's own `system`/`code` is a translation of it (docs/schema.md).
    public var original: Bool
    public init(system: String, code: String, original: Bool = false) {
        self.system = system
        self.code = code
        self.original = original
    }
}

/// A coded entry from any source: diagnosis, observation, medication, procedure, referral...
public struct Event: Equatable, Sendable {
    public var date: ISODate
    public var end: ISODate?
    /// condition, observation, medication, procedure, immunization, allergy, care-plan, referral, ...
    public var kind: String?
    public var system: String
    public var code: String
    /// A number, kept as its JSON text so it round-trips unchanged.
    public var value: String?
    public var unit: String?
    public var term: String?
    public var source: String
    /// Every other code the source gave for the same entry (translations, or the original when
    /// `system`/`code` is its SNOMED CT translation), in the source's order.
    public var otherCodes: [Code]
    /// Problems and conditions: active, inactive, resolved...
    public var status: String?
    /// Problems: major or minor.
    public var significance: String?
    /// Where the date came from when the entry had no date of its own: `availability-time`,
    /// `composition`, `extract`, `recorded` (docs/formats.md).
    public var dateFrom: String?
    /// Medication courses ended by a discontinuation (GP2GP ehrSupplyDiscontinue): the reason
    /// the source gives, when it gives one.
    public var endReason: String?

    public init(date: ISODate, end: ISODate? = nil, kind: String? = nil, system: String, code: String,
                value: String? = nil, unit: String? = nil, term: String? = nil, source: String,
                otherCodes: [Code] = [], status: String? = nil, significance: String? = nil, dateFrom: String? = nil,
                endReason: String? = nil) {
        self.date = date; self.end = end; self.kind = kind; self.system = system; self.code = code
        self.value = value; self.unit = unit; self.term = term; self.source = source
        self.otherCodes = otherCodes; self.status = status; self.significance = significance; self.dateFrom = dateFrom
        self.endReason = endReason
    }
}

/// A contact with a service: a hospital spell, an A&E attendance, an outpatient or GP visit...
public struct Encounter: Equatable, Sendable {
    /// admission, ae, outpatient, gp, community, mental-health, mdt-review, ...
    public var kind: String
    public var start: ISODate
    public var end: ISODate?
    /// For admissions: emergency, elective, maternity, other.
    public var method: String?
    /// The NHS Data Dictionary ADMISSION METHOD code as received (e.g. "21").
    public var admissionMethod: String?
    public var diagnoses: [Code]
    public var procedures: [Code]
    /// usual-residence, care-home, died, hospital, hospice, temporary-residence, other, unknown.
    public var destination: String?
    /// The DISCHARGE DESTINATION code as received (e.g. "19").
    public var dischargeDestination: String?
    public var code: Code?
    public var source: String

    public init(kind: String, start: ISODate, end: ISODate? = nil, method: String? = nil, admissionMethod: String? = nil,
                diagnoses: [Code] = [], procedures: [Code] = [], destination: String? = nil,
                dischargeDestination: String? = nil, code: Code? = nil, source: String) {
        self.kind = kind; self.start = start; self.end = end; self.method = method
        self.admissionMethod = admissionMethod; self.diagnoses = diagnoses; self.procedures = procedures
        self.destination = destination; self.dischargeDestination = dischargeDestination; self.code = code
        self.source = source
    }
}

/// A social-care service: reablement, residential, nursing, home-care, day-care, ...
public struct CareEpisode: Equatable, Sendable {
    public var kind: String
    public var start: ISODate
    public var end: ISODate?
    /// True for a permanent (long-term) care-home placement.
    public var permanent: Bool?
    /// Route of access, e.g. "discharge-from-hospital".
    public var route: String?
    public var source: String

    public init(kind: String, start: ISODate, end: ISODate? = nil, permanent: Bool? = nil, route: String? = nil, source: String) {
        self.kind = kind; self.start = start; self.end = end; self.permanent = permanent; self.route = route; self.source = source
    }
}

/// Two sources disagreed on a field; the first source's value was kept.
public struct Conflict: Equatable, Sendable {
    public var field: String
    public var kept: String
    public var keptSource: String
    public var other: String
    public var otherSource: String
    public init(field: String, kept: String, keptSource: String, other: String, otherSource: String) {
        self.field = field; self.kept = kept; self.keptSource = keptSource; self.other = other; self.otherSource = otherSource
    }
}

/// One person: the record of schema 1 (docs/schema.md). One JSON line per person.
public struct Person: Equatable, Sendable {
    public var id: String
    public var nhsNumber: String?
    public var birthDate: ISODate?
    /// female, male, intersex, unknown, other.
    public var sex: String?
    public var deathDate: ISODate?
    /// home, care-home, hospital, hospice, other (ONS place of death, or a hospital death).
    public var deathPlace: String?
    public var practice: String?
    public var team: String?
    public var lsoa: String?
    /// The latest recorded ethnic category (docs/inequalities.md).
    public var ethnicity: Ethnicity?
    public var registrationStart: ISODate?
    public var registrationEnd: ISODate?
    public var sources: [String]
    public var events: [Event]
    public var encounters: [Encounter]
    public var care: [CareEpisode]
    public var conflicts: [Conflict]
    /// Keys this program does not know (added by later programs), kept as raw JSON in order.
    public var extra: [(key: String, raw: [UInt8])]

    public init(id: String, nhsNumber: String? = nil, birthDate: ISODate? = nil, sex: String? = nil,
                deathDate: ISODate? = nil, practice: String? = nil, team: String? = nil, lsoa: String? = nil,
                registrationStart: ISODate? = nil, registrationEnd: ISODate? = nil, sources: [String] = [],
                events: [Event] = [], encounters: [Encounter] = [], care: [CareEpisode] = [],
                conflicts: [Conflict] = [], extra: [(key: String, raw: [UInt8])] = []) {
        self.id = id; self.nhsNumber = nhsNumber; self.birthDate = birthDate; self.sex = sex
        self.deathDate = deathDate; self.practice = practice; self.team = team; self.lsoa = lsoa
        self.registrationStart = registrationStart; self.registrationEnd = registrationEnd
        self.sources = sources; self.events = events; self.encounters = encounters; self.care = care
        self.conflicts = conflicts; self.extra = extra
    }

    public static func == (a: Person, b: Person) -> Bool {
        a.id == b.id && a.nhsNumber == b.nhsNumber && a.birthDate == b.birthDate && a.sex == b.sex
            && a.deathDate == b.deathDate && a.deathPlace == b.deathPlace && a.practice == b.practice && a.team == b.team && a.lsoa == b.lsoa && a.ethnicity == b.ethnicity
            && a.registrationStart == b.registrationStart && a.registrationEnd == b.registrationEnd
            && a.sources == b.sources && a.events == b.events && a.encounters == b.encounters && a.care == b.care
            && a.conflicts == b.conflicts && a.extra.map(\.key) == b.extra.map(\.key) && a.extra.map(\.raw) == b.extra.map(\.raw)
    }

    /// The schema-1 demographic fields by name, for merging and conflict reports.
    public static let demographicFields = ["nhs_number", "birth_date", "sex", "death_date", "death_place", "practice", "team", "lsoa",
                                           "ethnicity", "registration_start", "registration_end"]
}
