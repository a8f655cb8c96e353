import CareCore

/// What a FHIR document says about itself, gathered before its resources are mapped: the
/// Patients it holds, the Medications and Organizations its resources point at, and the
/// MedicationRequests its MedicationStatements stand for. For a Bundle these are looked up
/// inside the Bundle; a reference not found there is kept as a reference in the source.
struct FHIRIndex {
    /// Patient reference ("Patient/id" or a fullUrl) → the Patient resource.
    var patients: [String: FHIRValue] = [:]
    /// The first Patient of the document (resources of a one-patient Bundle need no reference).
    var patientCount = 0
    var onlyPatientReference: String?
    /// Patient reference → the key its records are grouped under (`FHIRMapper.patientKey`).
    var patientKeys: [String: String] = [:]
    /// Patient reference → the Patient's valid NHS number: inside a Bundle its resources are
    /// keyed by it, so every document of one person meets in one group (and a resource sent in
    /// two documents is recognised there).
    var patientNHSNumbers: [String: String] = [:]
    /// Medication reference → its code.
    var medications: [String: FHIRValue] = [:]
    /// Organization reference → its ODS code.
    var organizations: [String: String] = [:]
    /// MedicationRequests named in a MedicationStatement's basedOn.
    var coveredRequests: Set<String> = []
    /// Condition reference → its code (for an Encounter's diagnoses).
    var conditions: [String: FHIRValue] = [:]

    mutating func index(_ r: FHIRValue, fullUrl: String?) {
        guard let type = r.resourceType else { return }
        var refs: [String] = []
        if let id = r["id"]?.string { refs.append("\(type)/\(id)") }
        if let fullUrl { refs.append(fullUrl); refs.append(FHIRMapper.relative(fullUrl)) }
        switch type {
        case "Patient":
            let key = FHIRMapper.patientKey(r, fullUrl: fullUrl)
            let nhs = FHIRMapper.identifier(r, system: FHIRMapper.nhsNumberSystem).flatMap {
                if case let .success(n) = NHSNumber.validate($0) { return n } else { return nil }
            }
            for ref in refs {
                patients[ref] = r
                if let key { patientKeys[ref] = key }
                if let nhs { patientNHSNumbers[ref] = nhs }
            }
            patientCount += 1
            onlyPatientReference = refs.first
        case "Medication":
            for ref in refs { medications[ref] = r["code"] }
        case "Organization":
            if let ods = FHIRMapper.identifier(r, system: "https://fhir.nhs.uk/Id/ods-organization-code") {
                for ref in refs { organizations[ref] = ods }
            }
        case "Condition":
            for ref in refs { conditions[ref] = r["code"] }
        case "MedicationStatement":
            for b in r["basedOn"]?.list ?? [] {
                if let ref = b["reference"]?.string { coveredRequests.insert(FHIRMapper.relative(ref)) }
            }
        default: break
        }
    }

    /// A Patient's practice: the ODS code of the Organization its `generalPractitioner` or
    /// `managingOrganization` names (found in the document, or given inline as an identifier).
    func practice(of patient: FHIRValue) -> String? {
        for ref in (patient["generalPractitioner"]?.list ?? []) + (patient["managingOrganization"]?.list ?? []) {
            if let r = ref["reference"]?.string, let org = FHIRMapper.contained(patient, r),
               let ods = FHIRMapper.identifier(org, system: FHIRMapper.odsSystem) { return ods }
            if let r = ref["reference"]?.string, let ods = organizations[r] ?? organizations[FHIRMapper.relative(r)] { return ods }
            if ref["identifier"]?["system"]?.string == FHIRMapper.odsSystem, let ods = ref["identifier"]?["value"]?.string { return ods }
        }
        return nil
    }
}
