import Foundation
import Testing
@testable import CareCore
@testable import CareIngest

/// The FHIR reader on the repository's hand-made resources (examples/data/fhir: every expected
/// value read off the files by hand) and on the UK Core and GP Connect samples.
@Suite("ingest-gp: FHIR")
struct FHIRIngestTests {
    @Test("a UK Core R4 JSON Bundle: every resource type mapped, references resolved, counts reconcile")
    func ukCoreBundle() throws {
        let r = try ingest([fhir(Examples.data + "/fhir/ukcore-9990000018.json")])
        let p = try r.person("9990000018")
        #expect(p.birthDate == ISODate(year: 1941, month: 3, day: 2) && p.sex == "female" && p.practice == "Y01234")
        #expect(p.sources == ["fhir:Y01234"])
        let got = p.events.map { "\($0.date) \($0.kind ?? "-") \($0.system):\($0.code)" }
        #expect(got == [
            "1998-07-14 allergy snomed:91936005",
            "2019-05-02 procedure snomed:52734007",
            "2024-03-05 problem snomed:59621000",
            "2024-06-10 medication dmd:318135007",       // MedicationStatement → its Medication
            "2024-10-03 immunization snomed:39115611000001103",
            "2024-11-20 observation snomed:75367002",    // the BP and its two components
            "2024-11-20 observation snomed:271649006",
            "2024-11-20 observation snomed:271650006",
            "2024-12-02 prescription dmd:318135007",     // MedicationRequest intent=order
            "2024-12-14 condition snomed:233604007",     // the admission's diagnosis (ICD-10 J18.9 kept too)
            "2024-12-20 referral snomed:1097421000000107",
        ])
        #expect(p.events[0].dateFrom == "recorded")      // recordedDate, not an onset
        #expect(p.events[2].otherCodes == [Code(system: "read2", code: "G20..00", original: true)] && p.events[2].status == "active")
        #expect(p.events[6].value == "152" && p.events[6].unit == "mm[Hg]")
        let admission = try #require(p.encounters.first)
        #expect(admission.kind == "admission" && admission.method == "emergency" && admission.admissionMethod == "21")
        #expect(admission.destination == "usual-residence" && admission.start == ISODate(year: 2024, month: 12, day: 14))
        #expect(admission.diagnoses == [Code(system: "icd10", code: "J18.9"), Code(system: "snomed", code: "233604007")])
        #expect(p.events[9].otherCodes == [Code(system: "icd10", code: "J18.9", original: true)] && p.events[9].end == ISODate(year: 2024, month: 12, day: 19))
        #expect(r.diagnostics.filtered == ["FHIR Medication (reference data)": 1, "attachment (not a coded entry)": 1, "entered in error": 1,
                                           "medication plan (its MedicationStatement is the course)": 1, "no code (free text only)": 1])
        #expect(r.rejectSummaries == ["ukcore-<NHS number>.json:85:Observation.effectiveDateTime:invalid date"])
        #expect(r.reconciles)
    }

    @Test("an XML Bundle whose MedicationRequest comes before its Medication; absolute references")
    func xmlBundle() throws {
        let r = try ingest([fhir(Examples.data + "/fhir/bundle-9990000034.xml")])
        let p = try r.person("9990000034")
        #expect(p.events.map { "\($0.kind ?? "-") \($0.system):\($0.code)" } == ["prescription dmd:322236009", "observation snomed:60621009"])
        #expect(p.events[1].value == "31.4" && p.events[1].unit == "kg/m2")
        #expect(p.birthDate == ISODate(year: 1950, month: 1, day: 15))
        #expect(r.reconciles)
    }

    @Test("NDJSON and single XML resources join by Patient reference across files; broken lines rejected")
    func resourcesAcrossFiles() throws {
        let r = try ingest([fhir(Examples.data + "/fhir/bulk")])
        let p = try r.person("fhir:Patient/p-77")   // no NHS number: keyed by the reference, within the run's FHIR files
        #expect(p.birthDate == ISODate(year: 1945) && p.sex == "male")
        #expect(p.events.map { "\($0.date) \($0.system):\($0.code)" } == ["2016-08 snomed:13645005", "2024-05-06 loinc:8867-4"])
        #expect(p.events[1].value == "96" && p.events[1].unit == "/min")
        #expect(r.rejectSummaries == ["Condition.ndjson:3:-:unreadable JSON", "Condition.ndjson:2:-:no usable patient row"])
        #expect(r.reconciles)
    }

    @Test("GP2GP, FHIR and a demographics file meet by NHS number; disagreements kept as conflicts")
    func allSourcesJoin() throws {
        let r = try ingest([gp2gp(Examples.data + "/gp2gp"), fhir(Examples.data + "/fhir"),
                            demographics(Examples.data + "/gp2gp-demographics.csv")])
        let p = try r.person("9990000018")
        #expect(p.sources == ["demographics:gp2gp-demographics", "fhir:Y01234", "gp2gp:Y01234"])
        // Sources merge in the order given: the FHIR Bundle's full date is kept, the side file's
        // month is the conflict (a Bundle's person is keyed by NHS number, so it meets the
        // others in the first grouping, in source order).
        #expect(p.birthDate == ISODate(year: 1941, month: 3, day: 2))
        #expect(p.conflicts.map(\.field) == ["birth_date"] && p.conflicts[0].other == "1941-03")
        #expect(p.events.count == 12 + 11 && p.encounters.count == 1)
        // 9990000034 is in the demographics file and the XML Bundle: now it is not filtered.
        #expect(try r.person("9990000034").sources == ["demographics:gp2gp-demographics", "fhir:fhir"])
        #expect(r.diagnostics.filtered["demographics only (no record in another source)"] == nil)
        #expect(r.people.map(\.id) == ["9990000018", "9990000026", "9990000034", "fhir:Patient/p-77", "gp2gp:practice-batch#2"])
        #expect(r.reconciles)
    }

    @Test("single JSON resources in separate files meet by Patient reference; a UTF-8 byte-order mark is accepted")
    func singleJSONResources() throws {
        let dir = try temporaryFolder()
        try "\u{FEFF}{\"resourceType\": \"Patient\", \"id\": \"rs\", \"identifier\": [{\"system\": \"https://fhir.nhs.uk/Id/nhs-number\", \"value\": \"9990000042\"}],\n \"birthDate\": \"1944-02\"}\n"
            .write(toFile: dir + "/patient.json", atomically: true, encoding: .utf8)
        try #"{"resourceType": "AllergyIntolerance", "code": {"coding": [{"system": "http://snomed.info/sct", "code": "91936005"}]}, "patient": {"reference": "Patient/rs"}, "onsetDateTime": "2001-05-05"}"#
            .write(toFile: dir + "/allergy.json", atomically: true, encoding: .utf8)
        let r = try ingest([fhir(dir)])
        let p = try r.person("9990000042")
        #expect(p.birthDate == ISODate(year: 1944, month: 2) && p.events.map(\.kind) == ["allergy"])
        #expect(r.reconciles && r.rejects.isEmpty)
    }

    @Test("a Bundle whose Patient has no id: its resources find it by fullUrl (transaction Bundles)")
    func patientByFullUrl() throws {
        let dir = try temporaryFolder()
        try #"{"resourceType":"Bundle","type":"transaction","entry":[{"fullUrl":"urn:uuid:aa","resource":{"resourceType":"Patient","birthDate":"1950"}},{"fullUrl":"urn:uuid:bb","resource":{"resourceType":"Condition","code":{"coding":[{"system":"http://snomed.info/sct","code":"44054006"}]},"subject":{"reference":"urn:uuid:aa"},"onsetDateTime":"2020-01-01"}}]}"#
            .write(toFile: dir + "/b.json", atomically: true, encoding: .utf8)
        let r = try ingest([fhir(dir + "/b.json")])
        #expect(r.people.map(\.id) == ["fhir:b.json:urn:uuid:aa"] && r.people[0].events.map(\.code) == ["44054006"])
        #expect(r.rejects.isEmpty && r.reconciles)
    }

    @Test("a Bundle entry without a resource is one reject, in JSON and in XML (read in two passes)")
    func emptyEntry() throws {
        let dir = try temporaryFolder()
        try """
        <Bundle xmlns="http://hl7.org/fhir"><type value="collection"/>
        <entry><fullUrl value="urn:uuid:x"/></entry>
        <entry><resource><Patient><id value="p"/><birthDate value="1950"/></Patient></resource></entry>
        </Bundle>
        """.write(toFile: dir + "/b.xml", atomically: true, encoding: .utf8)
        try #"{"resourceType":"Bundle","entry":[{"fullUrl":"urn:uuid:x"},{"resource":{"resourceType":"Patient","id":"p"}}]}"#
            .write(toFile: dir + "/b.json", atomically: true, encoding: .utf8)
        let r = try ingest([fhir(dir)])
        #expect(r.rejectSummaries == ["b.json:1:Bundle.entry.resource:not a FHIR resource", "b.xml:2:Bundle.entry.resource:not a FHIR resource"])
        #expect(r.people.count == 2 && r.reconciles)
    }

    @Test("a refuted diagnosis is filtered; an unconfirmed one kept as uncertain")
    func verificationStatus() throws {
        let dir = try temporaryFolder()
        let status = { (s: String) in #"{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-ver-status","code":"\#(s)"}]}"# }
        try """
        {"resourceType":"Patient","id":"p1","gender":"female","birthDate":"1940"}
        {"resourceType":"Condition","code":{"coding":[{"system":"http://snomed.info/sct","code":"84114007"}]},"subject":{"reference":"Patient/p1"},"onsetDateTime":"2024-01-01","verificationStatus":\(status("unconfirmed"))}
        {"resourceType":"Condition","code":{"coding":[{"system":"http://snomed.info/sct","code":"49436004"}]},"subject":{"reference":"Patient/p1"},"onsetDateTime":"2024-02-01","verificationStatus":\(status("refuted"))}

        """.write(toFile: dir + "/r.ndjson", atomically: true, encoding: .utf8)
        let r = try ingest([fhir(dir + "/r.ndjson")])
        let p = try #require(r.people.first)
        #expect(p.events.map(\.code) == ["84114007"] && p.events[0].status == "uncertain")
        #expect(r.diagnostics.filtered == ["refuted diagnosis": 1] && r.reconciles)
    }

    @Test("a hostile FHIR XML document is refused like a GP2GP one")
    func hostileFHIR() throws {
        let r = try ingest([fhir(Paths.fixtures + "/hostile/xxe-passwd.xml")], allowEmpty: true)
        #expect(r.people.isEmpty && r.rejects.first?["reason"]?.stringValue == "unreadable XML")
        #expect(!r.rejectLines.joined().contains("root:"))
        // JSON nested past the parser's depth limit: refused, not a stack overflow.
        let dir = try temporaryFolder()
        try (#"{"resourceType":"Bundle","entry":[{"resource":"# + String(repeating: "[", count: 100_000) + "]}]}")
            .write(toFile: dir + "/deep.json", atomically: true, encoding: .utf8)
        let deep = try ingest([fhir(dir + "/deep.json")], allowEmpty: true)
        #expect(deep.rejects.first?["reason"]?.stringValue == "unreadable JSON" && deep.people.isEmpty)
    }
}

/// The UK Core and GP Connect samples in ../shared/samples/fhir, and the cross-check of the four
/// GP Connect records against the GP2GP extracts the NHS adaptor made from them.
@Suite("ingest-gp: FHIR samples")
struct FHIRSampleTests {
    @Test("UK Core R4 examples: Richard Smith's resources meet across files; the NEWS2 Bundle names a patient that is absent")
    func ukCore() throws {
        guard let folder = Paths.sharedSample("fhir/ukcore-r4") else { return }
        let r = try ingest([fhir(folder)])
        let p = try r.person("9912003888")   // Richard Smith's NHS number (verified status 01)
        #expect(p.birthDate == ISODate(year: 1970, month: 9, day: 11) && p.sex == "male")
        #expect(p.encounters.map(\.kind) == ["admission"] && p.encounters[0].method == "elective" && p.encounters[0].admissionMethod == "13")
        #expect(Set(p.events.compactMap(\.kind)) == ["allergy", "observation", "medication", "prescription", "referral"])
        // The two Conditions carry no date at all: rejected, not given an invented one.
        #expect(r.diagnostics.rejected["missing date"] == 2)
        // The NEWS2 Bundle's 17 observations name Patient/ad2c58ab-…, the albumin result a
        // urn:uuid: neither patient is in the folder.
        #expect(r.diagnostics.rejected["no usable patient row"] == 18)
        #expect(r.reconciles)
    }

    static let pairs = ["9465698679_Gainsford_full_20210119", "9465700193_Birdi_full_20210119",
                        "9465701297_Livermore_full_20210119", "9465701483_Dougill_full_20210119"]

    @Test("GP Connect bundles: one person each, by counts read off the JSON")
    func gpConnect() throws {
        guard let folder = Paths.sharedSample("fhir/gpconnect-stu3") else { return }
        let r = try ingest([fhir(folder)])
        #expect(r.people.count == 4)
        #expect(r.people.allSatisfy { $0.practice == "A82038" && $0.sources == ["fhir:A82038"] })
        let birdi = try #require(r.people.first { $0.id.contains("9465700193_Birdi") })
        #expect(birdi.sex == "unknown" && birdi.birthDate == ISODate(year: 2000, month: 12, day: 20))
        #expect(birdi.encounters.count == 33 && birdi.encounters.allSatisfy { $0.kind == "gp" })
        #expect(r.diagnostics.filtered["FHIR List (an index of other resources)"] == 279)
        #expect(r.rejects.isEmpty && r.reconciles)
    }

    /// The same patient from both formats: GP2GP events matched one to one with GP Connect
    /// events on date, kind and code. A GP2GP code may be the SNOMED CT description id that
    /// GP Connect gives in its sctdescid extension (the adaptor writes those), and GP2GP keeps
    /// immunizations as observations. The differences that remain are real and documented in
    /// docs/formats.md: (a) problems whose actual problem is not an Observation become, in
    /// GP2GP, a LinkSet naming a new statement coded 55607006 "Problem" (two events per
    /// problem against GP Connect's one Condition); (b) GP Connect "Comment note" observations
    /// (37331000000100) are NarrativeStatements, free text, in GP2GP; (c) one Gainsford
    /// allergy has no date in GP2GP (it takes the extract's, date_from "extract") and is
    /// dated by its assertedDate in GP Connect.
    @Test("GP2GP ↔ GP Connect: same patient, same coded entries, the documented differences only", arguments: pairs)
    func crossCheck(stem: String) throws {
        guard let xml = Paths.sharedSample("gp2gp/gp2gp-adaptor-uat/\(stem).xml"),
              let json = Paths.sharedSample("fhir/gpconnect-stu3/\(stem).json") else { return }
        let g = try #require(try ingest([gp2gp(xml)]).people.first)
        let f = try #require(try ingest([fhir(json)]).people.first)
        // Same patient: both files carry the placeholder NHS number 1234567890 (so both are
        // kept under local keys), and the same practice (A82038 in FHIR; GP2GPTEST in GP2GP).
        let raw = try String(contentsOfFile: json, encoding: .utf8)
        let extract = try String(contentsOfFile: xml, encoding: .utf8)
        #expect(raw.contains("\"value\": \"1234567890\"") && extract.contains("extension=\"1234567890\""))
        #expect(g.nhsNumber == nil && f.nhsNumber == nil)

        // Description ids GP Connect gives next to each concept id.
        var descriptions: [String: Set<String>] = [:]
        let value = try JSONValue(parsing: raw)
        func walk(_ v: JSONValue) {
            switch v {
            case let .object(members):
                if v["system"]?.stringValue == "http://snomed.info/sct", let code = v["code"]?.stringValue {
                    for ext in v["extension"]?.arrayValue ?? [] {
                        for sub in ext["extension"]?.arrayValue ?? [] where sub["url"]?.stringValue == "descriptionId" {
                            if let id = sub["valueId"]?.stringValue { descriptions[code, default: []].insert(id) }
                        }
                    }
                }
                for (_, m) in members { walk(m) }
            case let .array(items): items.forEach(walk)
            default: break
            }
        }
        walk(value)
        func codes(_ e: Event) -> Set<String> { Set([e.code] + e.otherCodes.map(\.code)) }
        var fhirEvents = f.events.map { e -> (date: ISODate, kind: String, codes: Set<String>) in
            var c = codes(e)
            for code in c { c.formUnion(descriptions[code] ?? []) }
            return (e.date, e.kind == "immunization" ? "observation" : e.kind ?? "", c)
        }
        var unmatchedGP2GP: [Event] = []
        for e in g.events {
            if let i = fhirEvents.firstIndex(where: { $0.date == e.date && $0.kind == e.kind && !$0.codes.isDisjoint(with: codes(e)) }) {
                fhirEvents.remove(at: i)
            } else {
                unmatchedGP2GP.append(e)
            }
        }
        // (a) and (c) on the GP2GP side; (a), (b) and (c) on the GP Connect side.
        #expect(unmatchedGP2GP.allSatisfy { $0.code == "55607006" || $0.dateFrom == "extract" }, "\(unmatchedGP2GP)")
        #expect(fhirEvents.allSatisfy { $0.kind == "problem" || $0.codes.contains("37331000000100") || $0.kind == "allergy" }, "\(fhirEvents)")
        let expected: [String: (gp2gp: Int, fhir: Int, matched: Int)] = [
            "9465698679_Gainsford_full_20210119": (21, 11, 42), "9465700193_Birdi_full_20210119": (0, 0, 3),
            "9465701297_Livermore_full_20210119": (2, 4, 127), "9465701483_Dougill_full_20210119": (0, 8, 102),
        ]
        let want = try #require(expected[stem])
        #expect(unmatchedGP2GP.count == want.gp2gp && fhirEvents.count == want.fhir && g.events.count - unmatchedGP2GP.count == want.matched)
    }
}
