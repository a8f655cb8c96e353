import Foundation
import Testing
@testable import CareCore
@testable import CareIngest

/// Cases found by reading public HL7, NHS England and GP2GP adaptor material (issue 14). Each
/// reproducer in Tests/Fixtures/repro was written for this project; the expected values are
/// read off the files by hand.
@Suite("ingest-gp: real-record cases (FHIR and GP2GP)")
struct RealRecordCaseTests {
    static let repro = Paths.fixtures + "/repro"

    @Test("a Medication contained in the MedicationRequest or MedicationStatement that names it (#med1)")
    func containedMedication() throws {
        let r = try ingest([fhir(Self.repro + "/fhir-contained-medication.json")])
        let p = try r.person("9000000009")
        #expect(p.events.map { "\($0.date) \($0.kind ?? "-") \($0.system):\($0.code)" } == [
            "2021-02-15 prescription dmd:39732311000001104", "2021-02-15 medication dmd:39732311000001104"])
        #expect(r.rejects.isEmpty && r.reconciles)
    }

    @Test("contained siblings: an Encounter's diagnosis and a Patient's practice named by #id")
    func containedSiblings() throws {
        let dir = try temporaryFolder()
        try #"""
        {"resourceType":"Bundle","type":"collection","entry":[
         {"resource":{"resourceType":"Patient","id":"p1","contained":[{"resourceType":"Organization","id":"gp","identifier":[{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"A12345"}]}],
           "identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9000000009"}],"birthDate":"1950-01-01","generalPractitioner":[{"reference":"#gp"}]}},
         {"resource":{"resourceType":"Encounter","id":"e1","status":"finished","class":{"code":"IMP"},"subject":{"reference":"Patient/p1"},"period":{"start":"2024-05-01","end":"2024-05-04"},
           "contained":[{"resourceType":"Condition","id":"dx","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10","code":"J18.9"}]}}],
           "diagnosis":[{"condition":{"reference":"#dx"},"rank":1}]}}
        ]}
        """#.write(toFile: dir + "/b.json", atomically: true, encoding: .utf8)
        let r = try ingest([fhir(dir)])
        let p = try r.person("9000000009")
        #expect(p.practice == "A12345")
        #expect(p.encounters.first?.diagnoses == [Code(system: "icd10", code: "J18.9")])
        #expect(r.rejects.isEmpty && r.reconciles)
    }

    @Test("GP Connect issues are dated by dispenseRequest.validityPeriod.start, not the authorisation's authoredOn")
    func gpConnectIssueDates() throws {
        let r = try ingest([fhir(Self.repro + "/gpc-medicationrequest-issue-date.json")])
        let p = try r.person("9000000009")
        #expect(p.events.filter { $0.kind == "prescription" }.map(\.date.description) == ["2010-03-10", "2010-04-07"])
        #expect(p.events.filter { $0.kind == "medication" }.map(\.date.description) == ["2010-01-13", "2016-05-10"])
        #expect(r.reconciles)
    }

    @Test("a FHIR record sent twice with the same content counts once, and the summary says so")
    func resentSame() throws {
        let r = try ingest([fhir(Self.repro + "/fhir-resent")])
        let p = try r.person("9000000009")
        #expect(p.events.map(\.code) == ["44054006"])
        #expect(r.people.count == 1 && r.rejects.isEmpty)
        #expect(r.diagnostics.filtered == [PersonAssembler.resentSame: 2])   // the Patient and the Condition
        #expect(r.reconciles)
    }

    @Test("a resource sent again with different content: the later meta.lastUpdated wins, the other is superseded")
    func resentSuperseded() throws {
        let dir = try temporaryFolder()
        func bundle(_ onset: String, _ updated: String) -> String {
            #"{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"p1","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9000000009"}]}},"#
            + #"{"resource":{"resourceType":"Condition","id":"c1","meta":{"lastUpdated":"\#(updated)"},"code":{"coding":[{"system":"http://snomed.info/sct","code":"44054006"}]},"subject":{"reference":"Patient/p1"},"onsetDateTime":"\#(onset)"}}]}"#
        }
        // The newer version is in the file read first: lastUpdated decides, not the file order.
        try bundle("2015-03-02", "2024-02-01T10:00:00Z").write(toFile: dir + "/a.json", atomically: true, encoding: .utf8)
        try bundle("2015-03-01", "2023-01-01T10:00:00Z").write(toFile: dir + "/b.json", atomically: true, encoding: .utf8)
        let r = try ingest([fhir(dir)])
        let p = try r.person("9000000009")
        #expect(p.events.map(\.date.description) == ["2015-03-02"])
        #expect(r.diagnostics.filtered == [PersonAssembler.resentSame: 1, PersonAssembler.resentSuperseded: 1])
        #expect(r.reconciles)
    }

    @Test("the run's FHIR files are one document set: a re-send across two arguments is recognised too")
    func resentAcrossArguments() throws {
        let r = try ingest([fhir(Self.repro + "/fhir-resent/record-1.json"), fhir(Self.repro + "/fhir-resent/record-2.json")])
        #expect(try r.person("9000000009").events.count == 1)
        #expect(r.diagnostics.filtered == [PersonAssembler.resentSame: 2] && r.reconciles)
    }

    @Test("a GP2GP discontinuation ends the course it reverses and starts nothing")
    func gp2gpDiscontinuation() throws {
        let r = try ingest([gp2gp(Self.repro + "/gp2gp-discontinue.xml")])
        let p = try r.person("9000000009")
        #expect(p.events.count == 1)
        let course = try #require(p.events.first)
        #expect(course.kind == "medication" && course.code == "320139002" && course.date == ISODate(year: 2010, month: 2, day: 10))
        #expect(course.end == ISODate(year: 2010, month: 8, day: 9) && course.status == "stopped")
        #expect(r.diagnostics.filtered == [GP2GPReader.discontinuedReason: 1] && r.reconciles)
    }

    @Test("a discontinuation with its reason; one naming a course not in the extract is rejected")
    func gp2gpDiscontinuationReason() throws {
        let dir = try temporaryFolder()
        var xml = try String(contentsOfFile: Self.repro + "/gp2gp-discontinue.xml", encoding: .utf8)
        xml = xml.replacingOccurrences(of: #"<availabilityTime value="20100809"/>"#, with: #"<availabilityTime value="20100809"/><code code="x" displayName="Adverse reaction"/>"#)
        try xml.write(toFile: dir + "/a.xml", atomically: true, encoding: .utf8)
        let orphan = xml.replacingOccurrences(of: #"<priorMedicationRef classCode="SBADM" moodCode="ORD"><id root="AUTH1"/>"#,
                                              with: #"<priorMedicationRef classCode="SBADM" moodCode="ORD"><id root="NOPE"/>"#)
            .replacingOccurrences(of: "9000000009", with: "9000000017")
        try orphan.write(toFile: dir + "/b.xml", atomically: true, encoding: .utf8)
        let r = try ingest([gp2gp(dir)])
        #expect(try r.person("9000000009").events.first?.endReason == "Adverse reaction")
        let other = try r.person("9000000017")
        #expect(other.events.first?.end == nil && other.events.first?.status == "complete")
        #expect(r.rejectSummaries == ["b.xml:16:ehrSupplyDiscontinue/reversalOf:discontinuation names a course not in the extract"])
        #expect(r.reconciles)
    }

    @Test("UK Core's VaccinationProcedure extension is the immunisation's code; the vaccine product is kept")
    func ukCoreVaccinationProcedure() throws {
        let dir = try temporaryFolder()
        try #"""
        {"resourceType":"Patient","id":"p1","birthDate":"1950"}
        {"resourceType":"Immunization","id":"i1","status":"completed","patient":{"reference":"Patient/p1"},"occurrenceDateTime":"2021-01-10",
         "extension":[{"url":"https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-VaccinationProcedure","valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"1324681000000101"}]}}],
         "vaccineCode":{"coding":[{"system":"http://snomed.info/sct","code":"39114911000001105"}]}}

        """#.replacingOccurrences(of: "\n \"", with: " \"").write(toFile: dir + "/i.ndjson", atomically: true, encoding: .utf8)
        let r = try ingest([fhir(dir)])
        let e = try #require(r.people.first?.events.first)
        #expect(e.kind == "immunization" && e.code == "1324681000000101")
        #expect(e.otherCodes.map(\.code) == ["39114911000001105"])
        #expect(r.rejects.isEmpty && r.reconciles)
    }

    @Test("batch and transaction entries that are only requests or responses are filtered, not rejected", arguments: ["json", "xml"])
    func requestOnlyEntries(_ format: String) throws {
        let dir = try temporaryFolder()
        if format == "json" {
            try #"{"resourceType":"Bundle","type":"batch","entry":[{"request":{"method":"GET","url":"Patient?identifier=x"}},{"resource":{"resourceType":"Patient","id":"p","birthDate":"1950"}},{"response":{"status":"200 OK"}}]}"#
                .write(toFile: dir + "/b.json", atomically: true, encoding: .utf8)
        } else {
            try """
            <Bundle xmlns="http://hl7.org/fhir"><type value="batch"/>
            <entry><request><method value="GET"/><url value="Patient"/></request></entry>
            <entry><resource><Patient><id value="p"/><birthDate value="1950"/></Patient></resource></entry>
            </Bundle>
            """.write(toFile: dir + "/b.xml", atomically: true, encoding: .utf8)
        }
        let r = try ingest([fhir(dir)])
        #expect(r.rejects.isEmpty && r.people.count == 1)
        #expect(r.diagnostics.filtered == [FHIRReader.requestOnly: format == "json" ? 2 : 1] && r.reconciles)
    }

    @Test("instants are dated in England's time: 23:30Z on 30 June is 1 July (BST); in winter it stays")
    func instantsInEnglandTime() throws {
        let dir = try temporaryFolder()
        try #"""
        {"resourceType":"Patient","id":"p1","birthDate":"1950"}
        {"resourceType":"Condition","id":"c1","code":{"coding":[{"system":"http://snomed.info/sct","code":"44054006"}]},"subject":{"reference":"Patient/p1"},"onsetDateTime":"2024-06-30T23:30:00Z"}
        {"resourceType":"Condition","id":"c2","code":{"coding":[{"system":"http://snomed.info/sct","code":"49436004"}]},"subject":{"reference":"Patient/p1"},"onsetDateTime":"2024-12-31T23:30:00Z"}
        {"resourceType":"Condition","id":"c3","code":{"coding":[{"system":"http://snomed.info/sct","code":"38341003"}]},"subject":{"reference":"Patient/p1"},"onsetDateTime":"2024-07-01T00:30:00+01:00"}

        """#.write(toFile: dir + "/c.ndjson", atomically: true, encoding: .utf8)
        let r = try ingest([fhir(dir)])
        let p = try #require(r.people.first)
        #expect(p.events.map { "\($0.code) \($0.date)" } == ["44054006 2024-07-01", "38341003 2024-07-01", "49436004 2024-12-31"])
        // GP2GP (HL7 TS with a zone) the same way.
        #expect(HL7Values.date("20240630233000+0000") == ISODate(year: 2024, month: 7, day: 1))
        #expect(HL7Values.date("20240630233000") == ISODate(year: 2024, month: 6, day: 30))
    }
}
