import CareCore

/// Maps FHIR resources (R4 UK Core and STU3 GP Connect CareConnect profiles, JSON or XML) to
/// schema 1. docs/formats.md gives the mapping resource by resource.
struct FHIRMapper {
    let entries: DocumentEntries
    let context: IngestContext
    let index: FHIRIndex
    /// Scope of patients held in this document (a Bundle): `fhir:FILE:`; nil outside a Bundle.
    let documentScope: [UInt8]?
    /// Scope of patients referred to across the run's FHIR files (one document set): `fhir:`.
    let sourceScope: [UInt8]
    let sourceTag: UInt32
    /// Code systems not known to schema 1, for one warning per document.
    var unknownSystems: [String] = []
    /// The resource being mapped, as its items carry it: `Type/id` · 0x00 · meta.lastUpdated
    /// (nil for a resource without an id).
    var identity: [UInt8]?

    static let nhsNumberSystem = "https://fhir.nhs.uk/Id/nhs-number"
    static let odsSystem = "https://fhir.nhs.uk/Id/ods-organization-code"

    // MARK: helpers

    /// `https://server/fhir/Patient/1` → `Patient/1`; other references as they are.
    static func relative(_ ref: String) -> String {
        if ref.hasPrefix("urn:") { return ref }
        let parts = ref.split(separator: "/")
        if parts.count >= 2 {
            // Patient/1 or …/Patient/1/_history/2
            if let h = parts.firstIndex(of: "_history"), h >= 2 { return parts[h - 2] + "/" + parts[h - 1] }
            return parts[parts.count - 2] + "/" + parts[parts.count - 1]
        }
        return ref
    }

    static func identifier(_ r: FHIRValue, system: String) -> String? {
        for i in r["identifier"]?.list ?? [] where i["system"]?.string?.lowercased() == system.lowercased() {
            if let v = i["value"]?.string?.trimmingSpaces, !v.isEmpty { return v }
        }
        return nil
    }

    static func date(_ v: FHIRValue?) -> ISODate? { v?.string.flatMap { ISODate.parse($0) } }

    /// The resource a local reference (`#id`) names in `r`'s own `contained` list (FHIR R4
    /// §2.36: a contained resource has no identity outside the resource that holds it).
    static func contained(_ r: FHIRValue, _ ref: String) -> FHIRValue? {
        guard ref.hasPrefix("#") else { return nil }
        let id = ref.dropFirst()
        return r["contained"]?.list.first { $0["id"]?.string.map { $0[...] == id } ?? false }
    }

    /// A CodeableConcept's codings, in order.
    mutating func codes(_ cc: FHIRValue?, medication: Bool = false, into codes: inout EntryCodes) {
        for c in cc?["coding"]?.list ?? [] {
            codes.add(systemIdentifier: c["system"]?.string, code: c["code"]?.string, medication: medication)
        }
        for u in codes.unknownSystems where !unknownSystems.contains(u) { unknownSystems.append(u) }
    }

    func term(_ cc: FHIRValue?) -> String? {
        guard context.withTerms, let cc else { return nil }
        return cc["text"]?.string ?? cc["coding"]?.list.first?["display"]?.string
    }

    /// A status that is a code (STU3) or a CodeableConcept (R4).
    static func status(_ v: FHIRValue?) -> String? {
        if let s = v?.string { return s }
        return v?["coding"]?.list.first?["code"]?.string
    }

    // MARK: whose record

    /// The person a resource belongs to. A reference to a Patient in the same Bundle uses the
    /// Bundle's scope; one by NHS number joins other sources directly; any other reference is
    /// kept in the source's scope, so separate resource files of one patient meet.
    func owner(reference: FHIRValue?) -> DocumentEntries.Owner? {
        if let ref = reference?["reference"]?.string {
            let rel = Self.relative(ref)
            if documentScope != nil, let nhs = index.patientNHSNumbers[ref] ?? index.patientNHSNumbers[rel] {
                return .init(key: Array(nhs.utf8), scope: nil, sourceTag: sourceTag)
            }
            if let key = index.patientKeys[ref] ?? index.patientKeys[rel], let documentScope {
                return .init(key: Array(key.utf8), scope: documentScope, sourceTag: sourceTag)
            }
            return .init(key: Array(rel.utf8), scope: sourceScope, sourceTag: sourceTag)
        }
        if let i = reference?["identifier"], i["system"]?.string == Self.nhsNumberSystem, let v = i["value"]?.string,
           case let .success(n) = NHSNumber.validate(v.trimmingSpaces) {
            return .init(key: Array(n.utf8), scope: nil, sourceTag: sourceTag)
        }
        if reference == nil, index.patientCount == 1, let only = index.onlyPatientReference, documentScope != nil,
           let nhs = index.patientNHSNumbers[only] {
            return .init(key: Array(nhs.utf8), scope: nil, sourceTag: sourceTag)
        }
        if reference == nil, index.patientCount == 1, let only = index.onlyPatientReference, let key = index.patientKeys[only] {
            return .init(key: Array(key.utf8), scope: documentScope ?? sourceScope, sourceTag: sourceTag)
        }
        return nil
    }

    /// The key a Patient's records are grouped under: `Patient/ID`, else its Bundle fullUrl
    /// (relative form), so the Patient and the resources that point at it always agree.
    static func patientKey(_ p: FHIRValue, fullUrl: String?) -> String? {
        if let id = p["id"]?.string { return "Patient/\(id)" }
        return fullUrl.map(relative)
    }

    // MARK: resources

    mutating func map(_ r: FHIRValue, line: Int, fullUrl: String? = nil) throws {
        guard let type = r.resourceType else {
            try entries.reject(line: line, field: "resourceType", reason: "not a FHIR resource", detail: "no resourceType")
            return
        }
        if let id = r["id"]?.string {
            // Reused between resources: no allocation per resource once it has grown.
            var bytes = identity ?? []
            bytes.removeAll(keepingCapacity: true)
            bytes.append(contentsOf: type.utf8); bytes.append(UInt8(ascii: "/")); bytes.append(contentsOf: id.utf8); bytes.append(0)
            if let updated = r["meta"]?["lastUpdated"]?.string { bytes.append(contentsOf: updated.utf8) }
            identity = bytes
        } else {
            identity = nil
        }
        if Self.status(r["status"]) == "entered-in-error" || Self.status(r["verificationStatus"]) == "entered-in-error" {
            entries.filter("entered in error")
            return
        }
        switch type {
        case "Patient": try patient(r, line: line, fullUrl: fullUrl)
        case "Condition": try condition(r, line: line)
        case "Observation": try observation(r, line: line)
        case "AllergyIntolerance":
            try coded(r, kind: "allergy", code: r["code"], date: [("onsetDateTime", nil), ("assertedDate", "recorded"), ("recordedDate", "recorded")],
                      status: Self.status(r["clinicalStatus"]), line: line)
        case "Immunization":
            if r["notGiven"]?.string == "true" || r["status"]?.string == "not-done" { entries.filter("immunization not given"); return }
            // The SNOMED CT vaccination procedure ("first dose of ...") is carried in an extension:
            // UK Core's Extension-UKCore-VaccinationProcedure, GP Connect's
            // Extension-CareConnect-GPC-VaccinationProcedure-1. It is the event's code; the
            // vaccine product (vaccineCode, often "UNK" in GP Connect) goes to other_codes.
            let procedure = r["extension"]?.list.first { $0["url"]?.string?.contains("VaccinationProcedure") == true }?["valueCodeableConcept"]
            try coded(r, kind: "immunization", code: procedure ?? r["vaccineCode"], also: procedure == nil ? nil : r["vaccineCode"],
                      date: [("occurrenceDateTime", nil), ("date", nil)], line: line)
        case "MedicationStatement": try medication(r, kind: "medication", line: line)
        case "MedicationRequest":
            let intent = r["intent"]?.string ?? "order"
            let id = r["id"]?.string.map { "MedicationRequest/\($0)" }
            if intent == "plan", let id, index.coveredRequests.contains(id) {
                entries.filter("medication plan (its MedicationStatement is the course)")
                return
            }
            try medication(r, kind: intent == "plan" ? "medication" : "prescription", line: line)
        case "Procedure":
            try coded(r, kind: "procedure", code: r["code"], date: [("performedDateTime", nil), ("performedPeriod", nil)], line: line)
        case "ServiceRequest", "ReferralRequest":
            var code = r["code"]
            if code?["coding"] == nil { code = r["serviceRequested"]?.list.first ?? r["reasonCode"]?.list.first }
            try coded(r, kind: "referral", code: code, date: [("authoredOn", nil), ("occurrenceDateTime", nil)], line: line)
        case "ProcedureRequest":
            try coded(r, kind: "plan", code: r["code"], date: [("occurrenceDateTime", nil), ("authoredOn", "recorded")], line: line)
        case "Encounter": try encounter(r, line: line)
        case "DocumentReference": entries.filter("attachment (not a coded entry)")
        case "List", "Composition": entries.filter("FHIR \(type) (an index of other resources)")
        case "Organization", "Practitioner", "PractitionerRole", "Location", "Medication", "Device", "RelatedPerson":
            entries.filter("FHIR \(type) (reference data)")
        default:
            entries.filter("FHIR \(type) (not read)")
        }
    }

    private mutating func patient(_ r: FHIRValue, line: Int, fullUrl: String?) throws {
        let ref = Self.patientKey(r, fullUrl: fullUrl) ?? "Patient/line-\(line)"
        var owner = DocumentEntries.Owner(key: Array(ref.utf8), scope: documentScope ?? sourceScope, sourceTag: sourceTag)
        var p = Person(id: "")
        if let nhs = Self.identifier(r, system: Self.nhsNumberSystem) {
            switch NHSNumber.validate(nhs) {
            case let .success(n):
                p.nhsNumber = n
                // In a Bundle, the person is keyed by NHS number (as its resources are: owner()).
                if documentScope != nil { owner = .init(key: Array(n.utf8), scope: nil, sourceTag: sourceTag) }
            case let .failure(problem):
                entries.warn("line \(line): Patient NHS number is not valid (\(problem.rawValue)); the person is kept by the resource id and joins no other source")
            }
        }
        if let text = r["birthDate"]?.string {
            guard let d = ISODate.parse(text) else { try entries.reject(line: line, field: "Patient.birthDate", reason: "invalid date"); return }
            p.birthDate = d
        }
        if let g = r["gender"]?.string {
            guard let s = NHSDataDictionary.sex(g) else {
                try entries.reject(line: line, field: "Patient.gender", reason: "unknown sex code", value: g); return
            }
            p.sex = s
        }
        p.deathDate = Self.date(r["deceasedDateTime"])
        // UK Core (and CareConnect) ethnic category: an NHS Data Dictionary code.
        for ext in r["extension"]?.list ?? [] where ext["url"]?.string?.contains("EthnicCategory") == true {
            for coding in ext["valueCodeableConcept"]?["coding"]?.list ?? [] {
                guard let code = coding["code"]?.string else { continue }
                guard let e = EthnicCategory.ethnicity(code: code, source: nil, date: nil) else {
                    try entries.reject(line: line, field: "Patient.extension(EthnicCategory)", reason: "unknown ethnic category (NHS Data Dictionary codes A-S, Z, 99)", value: code)
                    return
                }
                p.ethnicity = e
            }
        }
        p.practice = index.practice(of: r)
        // GP Connect: Extension-CareConnect-GPC-RegistrationDetails-1 / registrationPeriod.
        for ext in r["extension"]?.list ?? [] where ext["url"]?.string?.contains("RegistrationDetails") == true {
            for sub in ext["extension"]?.list ?? [] where sub["url"]?.string == "registrationPeriod" {
                p.registrationStart = Self.date(sub["valuePeriod"]?["start"])
                p.registrationEnd = Self.date(sub["valuePeriod"]?["end"])
            }
        }
        try entries.patient(p, owner: owner, line: line, identity: identity)
    }

    /// The first date found among `fields` (a dateTime, or a Period's start), with how it was
    /// found. A field may be a path (`dispenseRequest.validityPeriod`).
    private func firstDate(_ r: FHIRValue, _ fields: [(String, String?)], line: Int) throws -> Checked<(ISODate, String?)?> {
        for (name, from) in fields {
            var found: FHIRValue? = r[name]
            if found == nil, name.utf8.contains(UInt8(ascii: ".")) {
                found = r
                for part in name.split(separator: ".") { found = found?[String(part)] }
            }
            guard let v = found else { continue }
            let text = v.string ?? v["start"]?.string
            guard let text else { continue }
            guard let d = ISODate.parse(text) else {
                try entries.reject(line: line, field: "\(r.resourceType ?? "").\(name)", reason: "invalid date", value: text)
                return .rejected
            }
            return .ok((d, from))
        }
        return .ok(nil)
    }

    private mutating func coded(_ r: FHIRValue, kind: String, code: FHIRValue?, also: FHIRValue? = nil, date fields: [(String, String?)],
                                end: ISODate? = nil, status: String? = nil, significance: String? = nil, medication: Bool = false,
                                extra: (inout Event) -> Void = { _ in }, line: Int) throws {
        let type = r.resourceType ?? ""
        guard let owner = owner(reference: r["subject"] ?? r["patient"]) else {
            try entries.reject(line: line, field: "\(type).subject", reason: "no patient reference"); return
        }
        var c = EntryCodes()
        codes(code, medication: medication, into: &c)
        codes(also, medication: medication, into: &c)
        guard let (primary, others) = c.chosen() else { entries.filter("no code (free text only)"); return }
        guard case let .ok(dated) = try firstDate(r, fields, line: line) else { return }
        guard let (d, from) = dated else {
            try entries.reject(line: line, field: "\(type).\(fields[0].0)", reason: "missing date"); return
        }
        var e = Event(date: d, end: end, kind: kind, system: primary.system, code: primary.code, term: term(code), source: "",
                      otherCodes: others, status: status, significance: significance, dateFrom: from)
        extra(&e)
        try entries.event(e, owner: owner, line: line, identity: identity)
    }

    private mutating func condition(_ r: FHIRValue, line: Int) throws {
        let profiles = r["meta"]?["profile"]?.list.compactMap(\.string) ?? []
        let categories = (r["category"]?.list ?? []).flatMap { $0["coding"]?.list ?? [] }.compactMap { $0["code"]?.string }
        let isProblem = profiles.contains { $0.contains("ProblemHeader") } || categories.contains("problem-list-item")
        var significance: String?
        for ext in r["extension"]?.list ?? [] where ext["url"]?.string?.contains("ProblemSignificance") == true {
            significance = ext["valueCode"]?.string
        }
        let end = Self.date(r["abatementDateTime"]) ?? Self.date(r["abatementPeriod"]?["end"])
        // verificationStatus: a refuted diagnosis is not one; an unconfirmed, provisional or
        // differential one is kept as "uncertain" (as GP2GP's uncertaintyCode).
        let verification = Self.status(r["verificationStatus"])
        if verification == "refuted" { entries.filter("refuted diagnosis"); return }
        let uncertain = ["unconfirmed", "provisional", "differential"].contains(verification ?? "")
        try coded(r, kind: isProblem ? "problem" : "condition", code: r["code"],
                  date: [("onsetDateTime", nil), ("onsetPeriod", nil), ("assertedDate", "recorded"), ("recordedDate", "recorded")],
                  end: end, status: uncertain ? "uncertain" : Self.status(r["clinicalStatus"]), significance: significance, line: line)
    }

    private mutating func observation(_ r: FHIRValue, line: Int) throws {
        let dates: [(String, String?)] = [("effectiveDateTime", nil), ("effectivePeriod", nil), ("issued", "recorded")]
        func value(_ v: FHIRValue?) -> (String, String?)? {
            guard let q = v, let n = q["value"]?.string.flatMap(JSONNumber.text) else { return nil }
            // The UCUM code where there is one (as GP2GP gives it), else the unit as written.
            let ucum = q["system"]?.string == "http://unitsofmeasure.org" ? q["code"]?.string : nil
            return (n, ucum ?? q["unit"]?.string ?? q["code"]?.string)
        }
        let own = value(r["valueQuantity"])
        try coded(r, kind: "observation", code: r["code"], date: dates, extra: { e in
            if let (n, u) = own { e.value = n; e.unit = u }
        }, line: line)
        // Components (a blood pressure's systolic and diastolic) are observations of their own.
        for comp in r["component"]?.list ?? [] {
            let v = value(comp["valueQuantity"])
            try coded(r, kind: "observation", code: comp["code"], date: dates, extra: { e in
                if let (n, u) = v { e.value = n; e.unit = u }
            }, line: line)
        }
    }

    private mutating func medication(_ r: FHIRValue, kind: String, line: Int) throws {
        var code = r["medicationCodeableConcept"]
        if code == nil, let ref = r["medicationReference"]?["reference"]?.string {
            code = Self.contained(r, ref)?["code"] ?? index.medications[ref] ?? index.medications[Self.relative(ref)]
            if code == nil {
                try entries.reject(line: line, field: "\(r.resourceType ?? "").medicationReference", reason: "missing code",
                                   detail: "the Medication it names is not in the document")
                return
            }
        }
        // An issue (intent order) is dated by when it was issued: GP Connect gives that as
        // dispenseRequest.validityPeriod.start, its authoredOn being the authorisation's date
        // (GP Connect 1.6 structured record, "Medication issue"); authoredOn when no period.
        let dates: [(String, String?)] = kind == "prescription"
            ? [("dispenseRequest.validityPeriod", nil), ("authoredOn", nil)]
            : [("effectivePeriod", nil), ("effectiveDateTime", nil), ("authoredOn", nil), ("dateAsserted", "recorded")]
        let end = kind == "medication" ? Self.date(r["effectivePeriod"]?["end"]) ?? Self.date(r["dispenseRequest"]?["validityPeriod"]?["end"]) : nil
        try coded(r, kind: kind, code: code, date: dates, end: end,
                  status: kind == "medication" ? r["status"]?.string : nil, medication: true, line: line)
    }

    private mutating func encounter(_ r: FHIRValue, line: Int) throws {
        guard let owner = owner(reference: r["subject"] ?? r["patient"]) else {
            try entries.reject(line: line, field: "Encounter.subject", reason: "no patient reference"); return
        }
        if ["cancelled", "planned"].contains(r["status"]?.string ?? "") { entries.filter("encounter \(r["status"]!.string!)"); return }
        guard let startText = r["period"]?["start"]?.string else {
            try entries.reject(line: line, field: "Encounter.period.start", reason: "missing date"); return
        }
        guard let start = ISODate.parse(startText) else {
            try entries.reject(line: line, field: "Encounter.period.start", reason: "invalid date", value: startText); return
        }
        let classCode = r["class"]?["code"]?.string ?? r["class"]?.list.first?["code"]?.string
        let kind: String
        switch classCode?.uppercased() {
        case "IMP", "ACUTE", "NONAC", "PRENC", "SS": kind = "admission"
        case "EMER": kind = "ae"
        case "AMB", "OBSENC": kind = "outpatient"
        case "HH": kind = "community"
        case "VR": kind = "virtual"
        case nil: kind = "gp"   // GP Connect consultations carry no class
        default: kind = "other"
        }
        var enc = Encounter(kind: kind, start: start, end: Self.date(r["period"]?["end"]), source: context.registry.tagName(sourceTag))
        // UK Core: Extension-UKCore-AdmissionMethod (on hospitalization; also read on the
        // Encounter); hospitalization.dischargeDisposition (England codes).
        for ext in (r["hospitalization"]?["extension"]?.list ?? []) + (r["extension"]?.list ?? [])
        where ext["url"]?.string?.contains("AdmissionMethod") == true && enc.admissionMethod == nil {
            if let code = ext["valueCodeableConcept"]?["coding"]?.list.first?["code"]?.string {
                enc.admissionMethod = code
                enc.method = NHSDataDictionary.admissionMethod(code)
            }
        }
        if let code = r["hospitalization"]?["dischargeDisposition"]?["coding"]?.list.first?["code"]?.string {
            enc.dischargeDestination = code
            enc.destination = NHSDataDictionary.dischargeDestination(code)
        }
        var c = EntryCodes()
        codes(r["type"]?.list.first, into: &c)
        if let (primary, _) = c.chosen() { enc.code = primary }
        // Diagnoses: the Conditions its `diagnosis` names (in rank order, each code once), else
        // its reasonCode; every code of each (ICD-10 feeds the hospital risk models).
        var diagnoses = EntryCodes()
        let ranked = (r["diagnosis"]?.list ?? []).sorted { (Int($0["rank"]?.string ?? "") ?? Int.max) < (Int($1["rank"]?.string ?? "") ?? Int.max) }
        for d in ranked {
            if let ref = d["condition"]?["reference"]?.string,
               let code = Self.contained(r, ref)?["code"] ?? index.conditions[ref] ?? index.conditions[Self.relative(ref)] {
                codes(code, into: &diagnoses)
            } else if let concept = d["condition"]?["concept"] {
                codes(concept, into: &diagnoses)
            }
        }
        if diagnoses.isEmpty { for rc in r["reasonCode"]?.list ?? [] { codes(rc, into: &diagnoses) } }
        enc.diagnoses = diagnoses.codes
        try entries.encounter(enc, owner: owner, line: line, identity: identity)
    }
}
