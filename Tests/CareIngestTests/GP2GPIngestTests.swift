import Foundation
import Testing
@testable import CareCore
@testable import CareIngest

/// The GP2GP reader on the repository's hand-made extracts (examples/data/gp2gp: every
/// expected value below was read off the XML by hand) and on the NHS sample extracts.
@Suite("ingest-gp: GP2GP extracts")
struct GP2GPIngestTests {
    static let example = Examples.data + "/gp2gp/ehr-9990000018.xml"

    @Test("the example extract: codes, translations, dates and their fallbacks, values, problems, medication")
    func exampleExtract() throws {
        let r = try ingest([gp2gp(Self.example)])
        let p = try r.person("9990000018")
        #expect(p.nhsNumber == "9990000018" && p.practice == "Y01234" && p.sources == ["gp2gp:Y01234"])
        #expect(p.birthDate == nil && p.sex == nil)   // GP2GP has no demographics
        let got = p.events.map { "\($0.date) \($0.kind ?? "-") \($0.system):\($0.code)" }
        #expect(got == [
            "1998-07 allergy snomed:292967008",          // month precision kept; under the 14L..00 category
            "2009 observation snomed:22298006",           // year precision kept
            "2023-01-01 observation local:XaBVJ",         // unknown code-system OID
            "2024-03-05 observation snomed:163020007",    // the BP battery itself
            "2024-03-05 observation snomed:271649006",
            "2024-03-05 observation snomed:271650006",
            "2024-03-05 observation snomed:59621000",     // Read v2 G20..00 as recorded, SNOMED CT chosen
            "2024-03-05 problem snomed:59621000",         // the LinkSet naming it
            "2024-06-10 medication dmd:318135007",        // the course (ehrSupplyAuthorise)
            "2024-06-10 plan snomed:1054641000000108",    // no date of its own: the composition's
            "2024-06-12 prescription dmd:318135007",      // the issue (ehrSupplyPrescribe)
            "2024-06-15 referral snomed:1097421000000107", // coded only in a translation
        ])
        let hypertension = try #require(p.events.first { $0.kind == "observation" && $0.code == "59621000" })
        #expect(hypertension.otherCodes == [Code(system: "read2", code: "G20..00", original: true)])
        let problem = try #require(p.events.first { $0.kind == "problem" })
        #expect(problem.status == "active" && problem.significance == "major" && problem.otherCodes.first?.code == "G20..00")
        let systolic = try #require(p.events.first { $0.code == "271649006" })
        #expect(systolic.value == "148" && systolic.unit == "mm[Hg]" && systolic.dateFrom == nil)
        let course = try #require(p.events.first { $0.kind == "medication" })
        #expect(course.end == ISODate(year: 2024, month: 9, day: 10) && course.status == "active")
        #expect(course.otherCodes == [Code(system: "emis-drug", code: "AMTA10805EMIS")])
        #expect(p.events.first { $0.kind == "referral" }?.dateFrom == "availability-time")
        #expect(p.events.first { $0.kind == "plan" }?.dateFrom == "composition")
        #expect(p.events.first { $0.code == "22298006" }?.status == "uncertain")   // uncertaintyCode U
        #expect(p.events.first { $0.kind == "allergy" }?.otherCodes == [Code(system: "read2", code: "TJ00300", original: true)])
        // Accounting: 16 statements read; the note and the text-only entry filtered; the
        // impossible date rejected with its line and field.
        #expect(r.diagnostics.read == 16 && r.diagnostics.emitted == 13 && r.reconciles)
        #expect(r.diagnostics.filtered == ["free text (no code)": 1, "no code (free text only)": 1])
        #expect(r.rejectSummaries == ["ehr-<NHS number>.xml:213:ObservationStatement/effectiveTime:invalid date"])
        #expect(r.diagnostics.warnings.contains { $0.contains("2.16.840.1.113883.2.1.3.2.4.99") })
    }

    @Test("a file of several extracts: one person each; a problem naming a later statement; a bad NHS number keeps a local key")
    func batch() throws {
        let r = try ingest([gp2gp(Examples.data + "/gp2gp/practice-batch.xml")])
        #expect(r.people.map(\.id) == ["9990000026", "gp2gp:practice-batch#2"])
        let p = try r.person("9990000026")
        let fall = try #require(p.events.first { $0.kind == "problem" })
        #expect(fall.code == "1912002" && fall.status == "inactive" && fall.end == ISODate(year: 2024, month: 10, day: 1))
        #expect(p.events.count == 4)   // falls, heart failure, the problem, the fall it names
        let local = try r.person("gp2gp:practice-batch#2")
        #expect(local.nhsNumber == nil && local.events.map(\.code) == ["73211009"])
        #expect(r.diagnostics.filtered == ["attachment (not a coded entry)": 1])
        // The warning says why, without the number.
        let warning = try #require(r.diagnostics.warnings.first { $0.contains("practice-batch#2") })
        #expect(warning.contains("Modulus 11") && !warning.contains("1234567890"))
        #expect(r.reconciles)
    }

    @Test("a demographics side file completes the extracts; its other people are filtered, not emitted")
    func demographicsSideFile() throws {
        let r = try ingest([gp2gp(Examples.data + "/gp2gp"), demographics(Examples.data + "/gp2gp-demographics.csv")])
        #expect(r.people.map(\.id) == ["9990000018", "9990000026", "gp2gp:practice-batch#2"])
        let p = try r.person("9990000018")
        #expect(p.birthDate == ISODate(year: 1941, month: 3) && p.sex == "female" && p.lsoa == "E01002900")
        #expect(p.sources == ["demographics:gp2gp-demographics", "gp2gp:Y01234"])
        #expect(try r.person("9990000026").birthDate == ISODate(year: 1936, month: 11, day: 2))   // written "999 000 0026"
        #expect(r.diagnostics.filtered["demographics only (no record in another source)"] == 1)   // 9990000034
        #expect(r.reconciles)
    }

    @Test("the same patient's record sent twice: the second extract is set aside whole, nothing counts twice")
    func recordSentTwice() throws {
        let dir = try temporaryFolder()
        for name in ["a.xml", "b.xml"] { try FileManager.default.copyItem(atPath: Self.example, toPath: dir + "/" + name) }
        let once = try ingest([gp2gp(Self.example)])
        let twice = try ingest([gp2gp(dir)])
        #expect(twice.people.count == 1 && twice.people[0].events == once.people[0].events)
        // b.xml's patient row and its 12 entries (its note and free-text entry were filtered,
        // its impossible date rejected, as they were read).
        #expect(twice.diagnostics.rejected["duplicate extract"] == 13)
        #expect(twice.rejects.allSatisfy { v in v["reason"]?.stringValue != "duplicate extract" || v["source"]?.stringValue?.hasSuffix("b.xml") == true })
        #expect(twice.reconciles)
    }

    @Test("files of the same name in sub-folders keep their own local keys")
    func subFolders() throws {
        let dir = try temporaryFolder()
        for sub in ["a", "b"] {
            try FileManager.default.createDirectory(atPath: dir + "/" + sub, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Examples.data + "/gp2gp/practice-batch.xml", toPath: dir + "/\(sub)/practice-batch.xml")
        }
        let r = try ingest([gp2gp(dir)])
        #expect(r.people.map(\.id) == ["9990000026", "gp2gp:a/practice-batch#2", "gp2gp:b/practice-batch#2"])
    }

    @Test("the reader streams: a tiny memory budget and many extracts give the same output")
    func streamsAndSpills() throws {
        let big = try temporaryFolder()
        // 300 copies of the example extract, under 300 NHS numbers, in one file.
        let template = try String(contentsOfFile: Self.example, encoding: .utf8)
        let body = template[template.range(of: "<RCMR_IN030000UK06")!.lowerBound...]
        var text = "<batch>\n"
        var numbers: [String] = []
        var base = 999_000_001
        while numbers.count < 300 {
            for check in 0...9 where NHSNumber.isValid("\(base)\(check)") { numbers.append("\(base)\(check)") }
            base += 1
        }
        for number in numbers { text += body.replacingOccurrences(of: "9990000018", with: number) + "\n" }
        text += "</batch>\n"
        try text.write(toFile: big + "/batch.xml", atomically: true, encoding: .utf8)
        let small = try ingest([gp2gp(big + "/batch.xml")], memory: 64 << 10)
        let normal = try ingest([gp2gp(big + "/batch.xml")])
        #expect(small.people.count == 300 && small.bytes == normal.bytes)
        #expect(small.summary.spilledRuns > 0)
        #expect(small.diagnostics.read == 300 * 16 && small.reconciles)
    }
}

/// Hostile and broken documents: each is one clear reject naming the file and line, fast, in
/// little memory, and nothing of what they point at appears anywhere.
@Suite("ingest-gp: hostile XML")
struct HostileXMLTests {
    static func hostile(_ name: String) -> String { Paths.fixtures + "/hostile/" + name }

    @Test("billion laughs, XXE, truncated, not XML, undeclared entity", arguments: [
        ("billion-laughs.xml", "document type declaration"),
        ("xxe-passwd.xml", "document type declaration"),
        ("xxe-no-doctype.xml", "Entity 'xxe' not defined"),
        ("truncated.xml", "truncated"),
        ("not-xml.xml", "not XML"),
    ])
    func refused(name: String, expected: String) throws {
        let started = Date()
        let r = try ingest([gp2gp(Self.hostile(name))], allowEmpty: true)
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(r.people.isEmpty)
        let reject = try #require(r.rejects.first)
        #expect(reject["reason"]?.stringValue == "unreadable XML")
        #expect(reject["detail"]?.stringValue?.contains(expected) == true, "\(reject)")
        #expect(r.diagnostics.emitted == 0 && r.reconciles)
        // Nothing from /etc/passwd anywhere: not in the output, not in the rejects.
        let everything = String(decoding: r.bytes, as: UTF8.self) + r.rejectLines.joined()
        #expect(!everything.contains("root:") && !everything.contains("/bin/"))
    }

    @Test("an empty file, and nesting past libxml2's depth limit, are refused")
    func emptyAndDeep() throws {
        let dir = try temporaryFolder()
        try "".write(toFile: dir + "/empty.xml", atomically: true, encoding: .utf8)
        try (String(repeating: "<a>", count: 5000) + String(repeating: "</a>", count: 5000))
            .write(toFile: dir + "/deep.xml", atomically: true, encoding: .utf8)
        let empty = try ingest([gp2gp(dir + "/empty.xml")], allowEmpty: true)
        #expect(empty.rejects.first?["detail"]?.stringValue == "the file is empty")
        let deep = try ingest([gp2gp(dir + "/deep.xml")], allowEmpty: true)
        #expect(deep.rejects.first?["reason"]?.stringValue == "unreadable XML")
        #expect(deep.rejects.first?["detail"]?.stringValue?.contains("depth") == true, "\(deep.rejects)")
    }

    @Test("an element larger than the limit is refused while it is read, not after")
    func oversizedElement() throws {
        let dir = try temporaryFolder()
        let filler = String(repeating: "<x a=\"0123456789012345678901234567890123456789\"/>", count: 60_000)   // ~3 MB
        try "<EhrExtract><component><ehrComposition>\(filler)</ehrComposition></component></EhrExtract>"
            .write(toFile: dir + "/big.xml", atomically: true, encoding: .utf8)
        let reader = try SafeXMLReader(path: dir + "/big.xml", maxSubtreeBytes: 1 << 20)
        var failure: SafeXMLReader.Failure?
        do {
            while try reader.read() {
                if reader.isElementStart && reader.localName(is: "ehrComposition") { _ = try reader.expand() }
            }
        } catch { failure = error }
        #expect(failure?.message.contains("spans more than 1 MB") == true, "\(String(describing: failure))")
    }

    @Test("a truncated extract adds nothing of the person it was reading")
    func truncatedMidway() throws {
        let dir = try temporaryFolder()
        let text = try String(contentsOfFile: GP2GPIngestTests.example, encoding: .utf8)
        // Cut inside the third composition: the first two were read whole.
        let cut = text.range(of: "Myocardial infarction")!.lowerBound
        try String(text[..<cut]).write(toFile: dir + "/cut.xml", atomically: true, encoding: .utf8)
        let r = try ingest([gp2gp(dir + "/cut.xml")], allowEmpty: true)
        #expect(r.people.isEmpty)
        // The 9 coded entries of compositions 1 and 2 (5 and 4; the note was filtered as read).
        #expect(r.diagnostics.rejected["in an unreadable extract"] == 9)
        #expect(r.diagnostics.filtered == ["free text (no code)": 1])
        #expect(r.diagnostics.rejected["unreadable XML"] == 1)
        #expect(r.reconciles)
    }
}

/// The NHS sample extracts in ../shared/samples/gp2gp (skipped, with a note, where absent).
@Suite("ingest-gp: GP2GP samples")
struct GP2GPSampleTests {
    @Test("all 18 sample extracts ingest: one person each, counts reconcile, no reject but two dangling problems")
    func allSamples() throws {
        guard let folder = Paths.sharedSample("gp2gp") else { return }
        let r = try ingest([gp2gp(folder)])
        #expect(r.people.count == 18)
        #expect(r.reconciles)
        // RCMR_IN030000UK07.xml has two LinkSets naming statements that are not in the file.
        #expect(r.diagnostics.rejected == ["problem names a statement not in the extract": 2])
        // Placeholder NHS numbers (1234567890, {{nhsNumber}}) and the test harness's non-NHS
        // ids give local keys: only payloadSmallMessage.xml carries a valid number.
        #expect(r.people.filter { $0.nhsNumber != nil }.map(\.id) == ["9442964410"])
    }

    @Test("payloadSmallMessage.xml: two courses and three issues, Multilex codes with SNOMED CT translations (read off the XML)")
    func payloadSmallMessage() throws {
        guard let file = Paths.sharedSample("gp2gp/pss-adaptor/payloadSmallMessage.xml") else { return }
        let r = try ingest([gp2gp(file)])
        let p = try r.person("9442964410")
        #expect(p.practice == "M85019")
        #expect(p.events.filter { $0.kind == "medication" }.map(\.code) == ["320031002", "317919004"])
        #expect(p.events.filter { $0.kind == "prescription" }.map(\.code) == ["320031002", "317919004", "320031002"])
        let atorvastatin = p.events[0]
        #expect(atorvastatin.date == ISODate(year: 2014, month: 2, day: 12) && atorvastatin.end == ISODate(year: 2014, month: 8, day: 12))
        #expect(atorvastatin.system == "dmd" && atorvastatin.otherCodes == [Code(system: "multilex", code: "10688003", original: true)])
        #expect(r.diagnostics.filtered == ["free text (no code)": 2, "GP2GP RegistrationStatement (not read)": 1])
    }

    @Test("PWTP3.xml: Read v2 originals with SNOMED CT translations; undated allergies fall back to when they were recorded")
    func pwtp3() throws {
        guard let file = Paths.sharedSample("gp2gp/pss-adaptor/PWTP3.xml") else { return }
        let r = try ingest([gp2gp(file)])
        let p = try r.person("gp2gp:PWTP3")
        #expect(p.events.count == 41)
        let first = try #require(p.events.first)
        #expect(first.date == ISODate(year: 1978, month: 12, day: 31) && first.kind == "allergy" && first.code == "292967008")
        #expect(first.otherCodes == [Code(system: "read2", code: "TJ00300", original: true)] && first.dateFrom == "availability-time")
        #expect(p.events.filter { $0.kind == "problem" }.count == 10)   // 4 active, 4 inactive, 2 unspecified
    }
}
