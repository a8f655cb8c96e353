import Foundation
import Testing
@testable import CareCore
@testable import CareIngest

/// Ethnicity read from each source that has it, mapped to the NHS Data Dictionary categories and
/// the ONS five groups; the latest recorded wins and a disagreement is a conflict.
@Suite struct EthnicityIngestTests {
    func folder(_ files: [String: String]) throws -> String {
        let dir = try temporaryFolder()
        for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        return dir
    }

    @Test("a patients table's ethnic_category column: Data Dictionary codes mapped to 16 and 5 groups; an unknown code is rejected naming the field")
    func tablesColumn() throws {
        let gp = try folder(["patients.csv": "nhs_number,date_of_birth,sex,practice,ethnic_category\n9990000018,1940-01-01,female,P1,R\n9990000026,1950-01-01,male,P1,x7\n9990000034,1950-01-01,male,P1,\n",
                             "clinical_events.csv": "nhs_number,date,snomedct_code\n9990000018,2020-01-01,1912002\n9990000034,2020-01-01,1912002\n"])
        let r = try ingest([SourceSpec(preset: .tables, path: gp)])
        let e = try #require(r.people.first { $0.id == "9990000018" }?.ethnicity)
        #expect(e.code == "R" && e.system == "nhs-ethnic-category" && e.group16 == "Other ethnic groups: Chinese" && e.group5 == "Asian")
        #expect(r.lines[0].contains(#""ethnicity":{"code":"R","system":"nhs-ethnic-category","category":"R","group16":"Other ethnic groups: Chinese","group5":"Asian","source":"#))
        #expect(r.people.first { $0.id == "9990000034" }?.ethnicity == nil, "blank: none recorded")
        #expect(r.rejectSummaries.contains { $0.contains("patients.csv:3:ethnic_category:unknown ethnic category") }, "\(r.rejectSummaries)")
    }

    @Test("FHIR UK Core's ethnic-category extension on Patient")
    func fhirExtension() throws {
        let dir = try folder(["p.json": #"{"resourceType":"Patient","id":"p1","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9990000018"}],"gender":"female","birthDate":"1940-01-01","extension":[{"url":"https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory","valueCodeableConcept":{"coding":[{"system":"https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategory","code":"N","display":"African"}]}}]}"#])
        let r = try ingest([fhir(dir)])
        let e = try #require(r.people.first?.ethnicity)
        #expect(e.category == "N" && e.group5 == "Black" && e.group16 == "Black or Black British: African")
    }

    @Test("two sources that disagree: the later recorded wins, the other is a conflict; Synthea's US categories are kept as local codes with no group")
    func conflictsAndSynthea() {
        var a = Person(id: "x")
        a.sources = ["gp:a"]
        a.ethnicity = EthnicCategory.ethnicity(code: "A", source: "gp:a", date: ISODate.parse("2010-01-01"))
        var b = Person(id: "x")
        b.sources = ["apc:b"]
        b.ethnicity = EthnicCategory.ethnicity(code: "C", source: "apc:b", date: ISODate.parse("2024-01-01"))
        PersonMerger.mergeDemographics(into: &a, from: b)
        #expect(a.ethnicity?.category == "C")
        #expect(a.conflicts.map(\.field) == ["ethnicity"] && a.conflicts[0].other.hasPrefix("A"))
        #expect(EthnicCategory.ethnicity(code: "99", source: nil, date: nil)?.group5 == "Not stated")
        #expect(EthnicCategory.code(" z ") == "Z" && EthnicCategory.code("I") == nil && EthnicCategory.code("Q") == nil)
    }

    @Test func syntheaRaceAndEthnicityAreLocal() throws {
        let dir = try folder(["patients.csv": "Id,BIRTHDATE,DEATHDATE,GENDER,RACE,ETHNICITY\nabc,1950-01-01,,F,white,nonhispanic\n",
                              "conditions.csv": "START,STOP,PATIENT,ENCOUNTER,SYSTEM,CODE,DESCRIPTION\n2020-01-01,,abc,,http://snomed.info/sct,44054006,Diabetes\n"])
        let r = try ingest([SourceSpec(preset: .synthea, path: dir)])
        let e = try #require(r.people.first?.ethnicity)
        #expect(e.code == "white; nonhispanic" && e.system == "local" && e.group5 == nil)
    }
}

/// Ethnicity from GP entries, with a user's OpenCodelists mapping (`--ethnicity-codes`).
@Suite struct EthnicityCodesTests {
    @Test("the latest coded entry on the list sets the ethnicity; a later entry beats a patients table's undated category, with a conflict")
    func codedEntries() throws {
        let dir = try temporaryFolder()
        // Rows from OpenSAFELY's ethnicity-snomed-0removed (opencodelists.org, version 2e641f61):
        // code, term, Grouping_16, Grouping_6.
        try "snomedcode,Ethnicity,Grouping_16,Grouping_6\n154165009,Black African,13,4\n92511000000107,Chinese - ethnic category 2001 census,15,5\n"
            .write(toFile: dir + "/ethnicity.csv", atomically: true, encoding: .utf8)
        let gp = dir + "/gp"
        try FileManager.default.createDirectory(atPath: gp, withIntermediateDirectories: true)
        try "nhs_number,date_of_birth,sex,practice,ethnic_category\n9990000018,1940-01-01,female,P1,A\n".write(toFile: gp + "/patients.csv", atomically: true, encoding: .utf8)
        try "nhs_number,date,snomedct_code\n9990000018,2015-01-01,154165009\n9990000018,2022-06-01,92511000000107\n9990000018,2023-01-01,1912002\n"
            .write(toFile: gp + "/clinical_events.csv", atomically: true, encoding: .utf8)
        var options = IngestOptions(sources: [SourceSpec(preset: .tables, path: gp)], temporaryFolder: dir)
        options.ethnicityCodes = try EthnicityCodes(path: dir + "/ethnicity.csv")
        let diagnostics = try Diagnostics(program: "ingest-gp", unit: "rows", quiet: true)
        let output = try OutputTarget(path: dir + "/out.jsonl")
        _ = try IngestRun.run(options, diagnostics: diagnostics, output: output)
        try output.commit()
        let p = try Person(json: try String(contentsOfFile: dir + "/out.jsonl", encoding: .utf8).split(separator: "\n")[0].description)
        let e = try #require(p.ethnicity)
        #expect(e.code == "92511000000107" && e.system == "snomed" && e.category == "R" && e.group5 == "Asian" && e.date == ISODate.parse("2022-06-01"))
        #expect(p.conflicts.map(\.field) == ["ethnicity"])
        // A list that is not one is refused, naming the line.
        try "code,Grouping_16\nX,17\n".write(toFile: dir + "/bad.csv", atomically: true, encoding: .utf8)
        #expect(throws: CareError.self) { try EthnicityCodes(path: dir + "/bad.csv") }
    }
}
