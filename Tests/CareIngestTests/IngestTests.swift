import Foundation
import Testing
@testable import CareCore
@testable import CareIngest
import CareSynth

@Suite("ingest-gp: tables preset")
struct TablesIngestTests {
    @Test("three sources merge into one record per person (golden file, checked by hand)")
    func mergeGolden() throws {
        let r = try ingest([tables("gp"), tables("hospital"), tables("council")], withTerms: true)
        let golden = try String(contentsOfFile: Paths.fixtures + "/golden/gp-hospital-council.jsonl", encoding: .utf8)
        #expect(String(decoding: r.bytes, as: UTF8.self) == golden)
        #expect(r.summary.people == 3)
        #expect(r.summary.mergedPeople == 2)
        // 9990000018: the GP says born 1950-06, the hospital 1950-06-15: GP kept, conflict recorded.
        let p = try #require(r.people.first { $0.id == "9990000018" })
        #expect(p.birthDate == ISODate(year: 1950, month: 6))
        #expect(p.conflicts == [Conflict(field: "birth_date", kept: "1950-06", keptSource: "gp:gp", other: "1950-06-15", otherSource: "apc:hospital")])
        #expect(r.diagnostics.filtered == ["outpatient appointment not attended": 1])
        #expect(r.diagnostics.read == 18 && r.diagnostics.emitted == 17 && r.diagnostics.rejectedTotal == 0)
    }

    @Test("place of death, as ONS writes it, and an unknown one rejected")
    func placeOfDeath() throws {
        let dir = try temporaryFolder()
        try """
        nhs_number,date_of_birth,date_of_death,place_of_death
        9990000018,1930-01-01,2025-01-01,Care home
        9990000026,1931-01-01,2025-02-01,Elsewhere
        9990000034,1932-01-01,2025-03-01,HOSPITAL
        9990000042,1933-01-01,2025-04-01,On the moon
        9990000050,1934-01-01,,

        """.write(toFile: dir + "/patients.csv", atomically: true, encoding: .utf8)
        let r = try ingest([SourceSpec(preset: .tables, path: dir)])
        #expect(r.people.map { $0.deathPlace ?? "-" } == ["care-home", "other", "hospital", "-"])
        #expect(r.rejectSummaries == ["patients.csv:5:place_of_death:unknown place of death"])
        #expect(r.lines[0].contains(#""death_date":"2025-01-01","death_place":"care-home""#))
    }

    @Test("the NHS number written with spaces joins the same person")
    func spacedNHSNumber() throws {
        let r = try ingest([tables("gp"), tables("council")])
        let p = try #require(r.people.first { $0.id == "9434765919" })
        #expect(p.sources == ["asc:council", "gp:gp"])
        #expect(p.care.map(\.kind) == ["reablement", "residential"])
        #expect(p.care[1].permanent == true)
        #expect(p.encounters.map(\.kind) == ["social-care-assessment"])
    }

    @Test("admissions: methods, destinations and packed diagnoses")
    func admissions() throws {
        let r = try ingest([tables("gp"), tables("hospital")])
        let p = try #require(r.people.first { $0.id == "9434765919" })
        let adm = try #require(p.encounters.first { $0.kind == "admission" })
        #expect(adm.method == "emergency" && adm.admissionMethod == "21")
        #expect(adm.destination == "usual-residence" && adm.dischargeDestination == "19")
        #expect(adm.diagnoses.map(\.code) == ["J189", "I48", "I10"])
        let q = try #require(r.people.first { $0.id == "9990000018" })
        #expect(q.encounters.first { $0.kind == "admission" }?.destination == "died")
    }

    @Test("every reject reason, with file, line and field; counts reconcile")
    func rejects() throws {
        let r = try ingest([tables("bad")])
        let got = r.rejects.map { v -> String in
            let file = (v["source"]?.stringValue ?? "").split(separator: "/").last.map(String.init) ?? ""
            return "\(file):\(v["line"]?.intValue ?? 0):\(v["field"]?.stringValue ?? "-"):\(v["reason"]?.stringValue ?? "")"
        }
        let expected = [
            "patients.csv:3:nhs_number:invalid NHS number",
            "patients.csv:4:date_of_birth:invalid date",
            "patients.csv:5:sex:unknown sex code",
            "clinical_events.csv:3:date:invalid date",
            "clinical_events.csv:4:date:missing date",
            "clinical_events.csv:5:code:missing code",
            "clinical_events.csv:6:-:ragged row",
            "clinical_events.csv:7:nhs_number:missing person identifier",
            "clinical_events.csv:8:nhs_number:invalid NHS number",
            "clinical_events.csv:11:-:malformed quoting",
            "clinical_events.csv:13:-:unbalanced quote",
            "apcs.csv:2:admission_method:unknown admission method code",
            "apcs.csv:3:discharge_destination:unknown discharge destination code",
            "apcs.csv:4:discharge_date:discharge before admission",
            "opa.csv:3:attendance_status:unknown attendance status code",
            "social_care.csv:2:service_type:unknown service type",
            "social_care.csv:3:event_type:unknown social care event type",
            "social_care.csv:4:permanent:permanent must be true or false",
            // Found when people are assembled: a second patient row, and rows of people without one.
            "patients.csv:6:-:duplicate patient row",
            "clinical_events.csv:9:-:no usable patient row",
            "clinical_events.csv:10:-:no usable patient row",
        ]
        #expect(Set(got) == Set(expected))
        #expect(got.count == expected.count)
        // A birth date is an identifier: its value never appears.
        let birth = try #require(r.rejects.first { $0["field"]?.stringValue == "date_of_birth" })
        #expect(birth["value"]?.stringValue == "<withheld: 10 characters>")
        let d = r.diagnostics
        #expect(d.read == d.emitted + d.filteredTotal + d.rejectedTotal)
        #expect(d.filtered == ["outpatient appointment not attended": 1])
        #expect(r.people.map(\.id) == ["4010232137", "9434765919"])
        let p = r.people[0]
        #expect(p.encounters.map(\.kind) == ["admission", "outpatient"])
        #expect(p.encounters[0].method == "emergency" && p.encounters[0].admissionMethod == "2B" && p.encounters[0].destination == "care-home")
        #expect(p.care.map(\.kind) == ["respite"] && p.care[0].permanent == false)
        #expect(p.events.map(\.code) == ["38341003"])   // the quoted field was read
        #expect(d.read == 29)   // 6 + 12 (lines 13–14 are one record) + 4 + 3 + 4
    }

    @Test("code columns: code + system, missing or unknown systems; blank service types")
    func codeSystems() throws {
        let r = try ingest([tables("bad-codes"), tables("no-service-type")])
        let got = r.rejects.map { "\(($0["source"]?.stringValue ?? "").split(separator: "/").suffix(2).joined(separator: "/")):\($0["line"]?.intValue ?? 0):\($0["reason"]?.stringValue ?? "")" }
        #expect(Set(got) == [
            "bad-codes/clinical_events.csv:3:code without a code system",
            "bad-codes/clinical_events.csv:4:unknown code system",
            "bad-codes/social_care.csv:2:missing value",
            "no-service-type/social_care.csv:2:missing service type",
        ])
        let p = try #require(r.people.first)
        #expect(p.events.map(\.system) == ["ctv3", "icd10"])
        #expect(p.encounters.map(\.kind) == ["social-care-review"])
    }

    @Test("bytes that are not UTF-8 become U+FFFD, with a warning naming the likely cause")
    func notUTF8() throws {
        let r = try ingest([tables("latin1")], withTerms: true)
        #expect(r.people.first?.events.first?.term == "Hypertension caf\u{FFFD}")
        #expect(r.diagnostics.warnings.contains { $0.hasSuffix("latin1/clinical_events.csv: 1 line(s) have bytes that are not UTF-8 (first at line 2); they read as U+FFFD. Is the file in another encoding (Windows-1252)? Convert it with iconv first") })
        #expect(r.diagnostics.warnings.count == 1)
    }

    @Test("a mapping file reads an extract with its own file and column names")
    func mapping() throws {
        let mapping = try TableMapping(path: Paths.fixtures + "/tables/mapped-columns.csv")
        let r = try ingest([tables("mapped")], mapping: mapping)
        let p = try #require(r.people.first)
        #expect(r.people.count == 1 && p.id == "4010232137")
        #expect(p.birthDate == ISODate(year: 1960, month: 1) && p.sex == "female" && p.practice == "ZZ0007")
        #expect(p.sources == ["apc:mapped"])
        let adm = try #require(p.encounters.first)
        #expect(adm.method == "emergency" && adm.destination == "care-home" && adm.diagnoses.map(\.code) == ["S720"])
        #expect(r.diagnostics.read == 2 && r.diagnostics.emitted == 2)
    }

    @Test("a bad mapping file, or a mapped column the extract lacks, is a data error that says so")
    func mappingErrors() throws {
        #expect {
            try TableMapping(path: Paths.fixtures + "/tables/mapping-bad-table.csv")
        } throws: { error in
            (error as? CareError)?.status == .dataError && "\(error)".contains("mapping-bad-table.csv:2: unknown table 'patient'")
        }
        let mapping = try TableMapping(path: Paths.fixtures + "/tables/mapping-missing-column.csv")
        let r = try ingest([tables("mapped")], mapping: mapping)
        #expect(r.rejects.map { $0["field"]?.stringValue } == ["admission (mapped from admission_date)"])
        #expect(r.diagnostics.warnings.contains { $0.contains("hes_apc_2025.csv: missing required column admission (mapped from admission_date)") })
    }

    @Test("--strict stops at the first reject (exit 65)")
    func strict() throws {
        #expect {
            try ingest([tables("bad")], strict: true)
        } throws: { error in
            (error as? CareError)?.status == .dataError && "\(error)".contains("patients.csv:3")
        }
    }

    @Test("a table without a required column: each of its rows rejected, one warning, the rest read")
    func missingColumn() throws {
        let r = try ingest([tables("missing-column")])
        #expect(r.rejects.count == 1)
        #expect(r.rejects[0]["reason"]?.stringValue == "missing required column")
        #expect(r.rejects[0]["field"]?.stringValue == "snomedct_code or ctv3_code or read2_code or code")
        #expect(r.rejects[0]["line"]?.intValue == 2)
        #expect(r.diagnostics.warnings.count == 1 && r.diagnostics.warnings[0].contains("clinical_events.csv: missing required column"))
        #expect(r.people.count == 1 && r.diagnostics.read == r.diagnostics.emitted + r.diagnostics.rejectedTotal)
        #expect {
            try ingest([tables("missing-column")], strict: true)
        } throws: { error in
            (error as? CareError)?.status == .dataError && "\(error)".contains("clinical_events.csv:2")
        }
    }

    @Test("locally keyed tables carrying NHS numbers join NHS-keyed sources (second sort by id)")
    func localIDs() throws {
        let r = try ingest([tables("local-ids"), tables("gp")])
        #expect(r.people.map(\.id) == ["9434765919", "9990000018", "9990000026", "tables:local-ids:18"])
        let p = r.people[0]
        #expect(p.sources == ["gp:gp", "gp:local-ids"])
        #expect(p.events.map(\.code) == ["XE0Uh", "271649006", "49436004", "703907002"])
        #expect(p.events[0].system == "ctv3")
        #expect(p.conflicts.map(\.field) == ["practice"])
        #expect(r.summary.mergedPeople == 1)
    }

    @Test("opt-outs are left out and counted")
    func optOut() throws {
        let dir = try temporaryFolder()
        try "# national data opt-out\n943 476 5919\n\n".write(toFile: dir + "/optout.txt", atomically: true, encoding: .utf8)
        let r = try ingest([tables("gp"), tables("hospital")], optOut: dir + "/optout.txt")
        #expect(!r.people.contains { $0.id == "9434765919" })
        #expect(r.summary.optedOutPeople == 1)
        #expect(r.diagnostics.filtered["national data opt-out"] == 7)   // patient rows 2, events 2, medication 1, admission 1, A&E 1
        #expect(r.diagnostics.read == r.diagnostics.emitted + r.diagnostics.filteredTotal + r.diagnostics.rejectedTotal)
    }

    @Test("an opt-out list with a bad line is refused")
    func optOutBad() throws {
        let dir = try temporaryFolder()
        try "9434765919\nnot a number\n".write(toFile: dir + "/optout.txt", atomically: true, encoding: .utf8)
        #expect(throws: CareError.self) { try OptOutList(path: dir + "/optout.txt") }
    }
}

@Suite("ingest-gp: pseudonymisation")
struct PseudonymisationTests {
    func keyFile(mode: Int) throws -> String {
        let dir = try temporaryFolder()
        let path = dir + "/key.bin"
        try "0123456789abcdef0123456789abcdef".write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, mode_t(mode))
        return path
    }

    @Test("id is HMAC-SHA256(key, NHS number); nhs_number is dropped; the map links them")
    func pseudonyms() throws {
        let key = try keyFile(mode: 0o600)
        let map = URL(fileURLWithPath: key).deletingLastPathComponent().path + "/map.csv"
        let r = try ingest([tables("gp")], pseudonymKey: key, pseudonymMap: map)
        // Expected values from Python's hmac module (an independent implementation):
        // hmac.new(b"0123456789abcdef0123456789abcdef", b"9434765919", hashlib.sha256).hexdigest()
        let expected = "f23090a36451bfa74057a971b116cdad5a9d5c7377e58349eaf336b19a372a5d"
        #expect(r.people.contains { $0.id == expected })
        #expect(r.people.contains { $0.id == "c9b0cd60b54448660b7386dafaa34078ec04c64a2c08c2879d908c20b8a373bf" })
        #expect(r.people.allSatisfy { $0.nhsNumber == nil })
        #expect(!r.lines.joined().contains("9434765919"))
        #expect(r.people.map(\.id) == r.people.map(\.id).sorted())
        let mapText = try String(contentsOfFile: map, encoding: .utf8)
        #expect(mapText.contains("\(expected),9434765919\n"))
        var st = stat()
        stat(map, &st)
        #expect(st.st_mode & 0o777 == 0o600)
    }

    @Test("a key file others can read is refused")
    func openKey() throws {
        let key = try keyFile(mode: 0o644)
        #expect {
            try ingest([tables("gp")], pseudonymKey: key)
        } throws: { error in
            (error as? CareError)?.status == .usage && "\(error)".contains("chmod 600")
        }
    }

    @Test("a short key is refused")
    func shortKey() {
        #expect(throws: CareError.self) { try Pseudonymiser(keyBytes: Array("short".utf8)) }
    }
}

@Suite("ingest-gp: grouping in bounded memory")
struct BoundedMemoryTests {
    @Test("a tiny memory budget spills sorted runs and gives byte-identical output", arguments: [ExtractFormat.tables, .synthea])
    func spill(_ format: ExtractFormat) throws {
        let dir = try temporaryFolder()
        let summary = try ExtractWriter.write(PopulationSettings(people: 250, seed: 3), format: format, folder: dir, badRows: format == .tables ? 7 : 0)
        let spec = SourceSpec(preset: format == .tables ? .tables : .synthea, path: dir)
        let big = try ingest([spec])
        let small = try ingest([spec], memory: 1)   // the minimum budget, 64 KiB
        #expect(big.summary.spilledRuns == 0)
        #expect(small.summary.spilledRuns > 3)
        #expect(big.bytes == small.bytes)
        #expect(big.rejects.count == small.rejects.count)
        // Every row accounted for, and one line per simulated person.
        let rows = summary.rows.values.reduce(0, +)
        #expect(big.diagnostics.read == rows)
        #expect(big.people.count == 250)
        #expect(big.people.map(\.id) == big.people.map(\.id).sorted())
        for p in big.people {
            #expect(p.events.map(\.date) == p.events.map(\.date).sorted())
            #expect(p.encounters.map(\.start) == p.encounters.map(\.start).sorted())
        }
    }
}

@Suite("ingest-gp: reading tables on several threads")
struct ParallelReadingTests {
    @Test("one reader or several: the same output, the same rejects in the same order", arguments: [2, 3, 7])
    func deterministic(_ readers: Int) throws {
        let dir = try temporaryFolder()
        _ = try ExtractWriter.write(PopulationSettings(people: 400, seed: 9), format: .tables, folder: dir, badRows: 14)
        let sources = [SourceSpec(preset: .tables, path: dir), tables("bad"), tables("council")]
        let one = try ingest(sources, readers: 1)
        let many = try ingest(sources, memory: 1, readers: readers)
        #expect(many.bytes == one.bytes)
        #expect(many.rejectLines == one.rejectLines)
        #expect(one.rejectLines.count > 20)
        #expect(many.diagnostics.summary() == one.diagnostics.summary())
        // Rejects come in file order, then those found when people are assembled.
        let files = one.rejects.prefix { $0["reason"]?.stringValue != "no usable patient row" && $0["reason"]?.stringValue != "duplicate patient row" }
            .compactMap { $0["source"]?.stringValue }
        var seen: [String] = []
        for f in files where seen.last != f { seen.append(f) }
        #expect(seen.count == Set(seen).count, "rejects of one file are together, files in order: \(seen)")
    }
}

@Suite("ingest-gp: many rejects")
struct ManyRejectsTests {
    @Test("rejects past a shard's memory spill to a file and come back complete and in order")
    func manyRejects() throws {
        let dir = try temporaryFolder()
        var patients = "nhs_number,date_of_birth\n4010232137,1960-01-01\n"
        var events = "nhs_number,date,snomedct_code\n"
        for i in 0..<15000 { events += "4010232137,2024-02-30,\(38341003 + i)\n" }
        events += "4010232137,2024-02-01,38341003\n"
        try patients.write(toFile: dir + "/patients.csv", atomically: true, encoding: .utf8)
        try events.write(toFile: dir + "/clinical_events.csv", atomically: true, encoding: .utf8)
        let r = try ingest([SourceSpec(preset: .tables, path: dir)])
        #expect(r.diagnostics.rejected == ["invalid date": 15000])
        #expect(r.rejects.count == 15000)
        #expect(r.rejects.map { $0["line"]?.intValue ?? 0 } == Array(2...15001))
        #expect(r.people.first?.events.count == 1)
        let left = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("joinedup-rejects") }
        #expect(left.isEmpty, "spilled rejects removed: \(left)")
    }
}

@Suite("ingest-gp: Synthea preset")
struct SyntheaIngestTests {
    @Test("generated Synthea folder: counts agree with what was written")
    func generated() throws {
        let dir = try temporaryFolder()
        let s = try ExtractWriter.write(PopulationSettings(people: 40, seed: 11), format: .synthea, folder: dir, badRows: 0)
        let r = try ingest([SourceSpec(preset: .synthea, path: dir)])
        #expect(r.people.count == 40)
        #expect(r.people.reduce(0) { $0 + $1.encounters.count } == s.rows["encounters"])
        #expect(r.people.reduce(0) { $0 + $1.events.count } == s.rows["conditions"]! + s.rows["observations"]! + s.rows["medications"]!)
        #expect(r.people.allSatisfy { $0.id.hasPrefix("synthea:") && $0.nhsNumber == nil })
    }

    @Test("OHDSI Synthea v3.0.0 sample: 27 people, 604 encounters, 2461 events (counted with mlr)")
    func ohdsiSample() throws {
        guard let path = Paths.sharedSample("synthea/ohdsi-dbt-synthea-v3.0") else { return }
        let r = try ingest([SourceSpec(preset: .synthea, path: path)], withTerms: true)
        #expect(r.people.count == 27)
        #expect(r.people.reduce(0) { $0 + $1.encounters.count } == 604)
        // conditions 438 + observations 990 + medications 663 + procedures 249 + immunizations 29
        // + allergies 40 + careplans 49 + devices 3
        #expect(r.people.reduce(0) { $0 + $1.events.count } == 2461)
        #expect(r.diagnostics.read == 3092 && r.diagnostics.rejectedTotal == 0)
        // Patient 3edac2e3…: born 2014-10-06, male; first encounter 2023-01-27, ambulatory → gp.
        let p = try #require(r.people.first { $0.id.hasSuffix("3edac2e3-d223-6fae-d515-daf96ef6bc76") })
        #expect(p.birthDate == ISODate(year: 2014, month: 10, day: 6) && p.sex == "male")
        #expect(p.encounters.contains { $0.start == ISODate(year: 2023, month: 1, day: 27) && $0.kind == "gp" })
        // Its first observation row: body height 127.9 cm on 2023-10-10.
        #expect(p.events.contains { $0.code == "8302-2" && $0.value == "127.9" && $0.unit == "cm" && $0.system == "loinc" })
        // Allergies carry SYSTEM "SNOMED-CT" / "RxNorm".
        let systems = Set(r.people.flatMap { $0.events.filter { $0.kind == "allergy" }.map(\.system) })
        #expect(systems == ["snomed", "rxnorm"])
        // 7 inpatient encounters coded 183452005 are emergency admissions; the 4 others are not.
        let admissions = r.people.flatMap { $0.encounters.filter { $0.kind == "admission" } }
        #expect(admissions.count == 11 && admissions.filter { $0.method == "emergency" }.count == 7)
    }

    @Test("Synthea current-format sample (Sweden): 13 people from the full patients table")
    func swedenSample() throws {
        guard let path = Paths.sharedSample("synthea/synthea-v3-sweden") else { return }
        let r = try ingest([SourceSpec(preset: .synthea, path: path)])
        #expect(r.people.count == 13)
        #expect(r.diagnostics.read == 34 && r.diagnostics.rejectedTotal == 0)
    }
}
