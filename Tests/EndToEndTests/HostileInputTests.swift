import Foundation
import Testing

/// Hostile and faulty inputs, one test per class of the hardening campaign: each asserts the
/// exit code and that no identifier (NHS number, birth date) or raw control character reaches
/// standard error. Big inputs are generated here, never committed.
@Suite("hostile inputs")
struct HostileInputTests {
    static let scored = "Tests/Fixtures/mdt/scored.jsonl"

    /// No NHS number, no birth date, no raw control character (ESC, a newline inside a line).
    func clean(_ stderr: String, _ identifiers: [String]) {
        for id in identifiers { #expect(!stderr.contains(id), "\(id) on stderr: \(stderr)") }
        #expect(!stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "a control character on stderr")
    }

    @Test("overflow: huge durations, --memory and dates are usage errors, never traps", arguments: [
        ("mdt-list", [HostileInputTests.scored, "--where", "count(events in last 2000000000000000000w) > 0"]),
        ("mdt-list", [HostileInputTests.scored, "--review-gap", "2000000000000000000w"]),
        ("mdt-list", [HostileInputTests.scored, "--where", "birth_date + 9999999y > 2000-01-01"]),
        ("ingest-gp", ["examples/data/ics/gp", "--memory", "99999999999G"]),
        ("ingest-gp", ["examples/data/ics/gp", "--memory", "9223372036854775807"]),
    ])
    func overflow(_ program: String, _ arguments: [String]) throws {
        let r = try Programs.run(program, arguments)
        #expect(r.status == 64, "\(r.status): \(r.stderr)")
    }

    @Test("nesting: 9,000 parentheses in --where or a pathway are refused, not a stack overflow")
    func nesting() throws {
        let deep = String(repeating: "(", count: 9000) + "age > 1" + String(repeating: ")", count: 9000)
        let r = try Programs.run("mdt-list", [Self.scored, "--where", deep])
        #expect(r.status == 64 && r.stderr.contains("nests more than 200 deep"))
        let dir = try temporaryFolder()
        try """
        id: deep
        title: Deep
        source: a test
        trigger:
          from: encounters
          match: \(deep)
        steps:
          - id: s
            title: S
            match: "true"
            window: within 7d after trigger.start
        """.write(toFile: dir + "/deep.yaml", atomically: true, encoding: .utf8)
        let p = try Programs.run("pathway-audit", ["--check", "--pathways", dir])
        #expect(p.status == 78 && p.stderr.contains("nests more than 200 deep"))
    }

    @Test("identifiers: a side file without its header line names no NHS number or birth date")
    func headerlessSideFile() throws {
        let dir = try temporaryFolder()
        try "9990054851,1949-02-09,female\n9990000018,1950-01-01,male\n".write(toFile: dir + "/exclusions.csv", atomically: true, encoding: .utf8)
        let r = try Programs.run("mdt-list", [Self.scored, "--exclusions", dir + "/exclusions.csv"])
        #expect(r.status != 0 && r.stderr.contains("<NHS number>, <date>"))
        clean(r.stderr, ["9990054851", "1949-02-09", "9990000018"])
    }

    @Test("identifiers: libxml2's encoding error quotes no input bytes; a file name with a birth date or an escape is masked")
    func xmlAndFileNames() throws {
        let dir = try temporaryFolder()
        let folder = dir + "/9990000018_1949-02-09"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var bytes = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<EhrExtract xmlns=\"urn:hl7-org:v3\"><id root=\"".utf8)
        bytes += [0xFF, 0xFE] + Array("9990000018\"/></EhrExtract>\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/enc\u{1B}[2Jx\nforged.xml"))
        let r = try Programs.run("ingest-gp", ["gp2gp:" + dir, "--allow-empty"])
        #expect(r.status == 0 && r.stderr.contains("unreadable XML"))
        #expect(!r.stderr.contains("0x39") && !r.stderr.contains("Bytes:"))
        clean(r.stderr, ["9990000018", "1949-02-09"])
        // The newline in the file name does not start a line of its own.
        #expect(!r.stderr.split(separator: "\n").contains { $0.hasPrefix("forged") })
    }

    @Test("silent loss: a table with CR-only line ends is refused by name, not read as nothing")
    func crOnly() throws {
        let dir = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: dir + "/gp", withIntermediateDirectories: true)
        for name in ["patients.csv", "clinical_events.csv"] {
            let text = try String(contentsOfFile: Programs.root + "/examples/data/ics/gp/" + name, encoding: .utf8)
            try text.replacingOccurrences(of: "\n", with: "\r").write(toFile: dir + "/gp/" + name, atomically: true, encoding: .utf8)
        }
        let r = try Programs.run("ingest-gp", [dir + "/gp"])
        #expect(r.status == 65 && r.stderr.contains("lines end in CR alone") && r.stdout.isEmpty)
        clean(r.stderr, ["9993873195"])
    }

    @Test("index out of range: an empty --group-by is a usage error in every program that groups", arguments: [
        ("mdt-list", [String]()), ("outcome-report", [String]()), ("pathway-audit", ["--pathways", "examples/pathways", "--summary"]),
    ])
    func emptyGroupBy(_ program: String, _ extra: [String]) throws {
        for value in ["", "...", "a..b"] {
            let r = try Programs.run(program, [Self.scored, "--group-by", value] + extra)
            #expect(r.status == 64 && r.stderr.contains("is not a field path"), "\(program) --group-by '\(value)': \(r.stderr)")
        }
    }

    @Test("CSV outputs are formula-safe: a practice named like a formula is written as text")
    func formulaInjection() throws {
        let dir = try temporaryFolder()
        let text = try String(contentsOfFile: Programs.root + "/" + Self.scored, encoding: .utf8)
        try text.replacingOccurrences(of: "\"practice\":\"A81001\"", with: "\"practice\":\"=HYPERLINK(\\\"http://evil\\\")\"")
            .write(toFile: dir + "/scored.jsonl", atomically: true, encoding: .utf8)
        let r = try Programs.run("mdt-list", [dir + "/scored.jsonl", "--as-of", "2026-04-01", "--format", "csv", "-q"])
        #expect(r.status == 0 && r.out.contains("\"'=HYPERLINK("), "\(r.out)")
        #expect(!r.out.split(separator: "\n").contains { $0.hasPrefix("=") || $0.contains(",=") })
    }

    @Test("input discovery: a symbolic link loop and a second link to a file read each real file once")
    func symlinkLoop() throws {
        let dir = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: dir + "/a", withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: Programs.root + "/examples/data/gp2gp") {
            try FileManager.default.copyItem(atPath: Programs.root + "/examples/data/gp2gp/" + name, toPath: dir + "/a/" + name)
        }
        try FileManager.default.createSymbolicLink(atPath: dir + "/a/up", withDestinationPath: "..")
        try FileManager.default.createSymbolicLink(atPath: dir + "/a/again", withDestinationPath: "../a")
        try FileManager.default.createSymbolicLink(atPath: dir + "/a/zz-second.xml", withDestinationPath: dir + "/a/practice-batch.xml")
        let looped = try Programs.run("ingest-gp", ["gp2gp:" + dir])
        let plain = try Programs.run("ingest-gp", ["gp2gp:examples/data/gp2gp"])
        // (Ids local to a file name the file's path in its folder: a/… here, so only counts compare.)
        #expect(looped.status == 0 && looped.out.split(separator: "\n").count == plain.out.split(separator: "\n").count)
        let summary = { (r: Programs.Result) in r.stderr.split(separator: "\n").last.map(String.init) ?? "" }
        #expect(summary(looped) == summary(plain), "\(summary(looped))")
    }

    @Test("input discovery: a UTF-16 XML document is refused by name")
    func utf16() throws {
        let dir = try temporaryFolder()
        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><EhrExtract xmlns=\"urn:hl7-org:v3\"/>"
        try text.data(using: .utf16)!.write(to: URL(fileURLWithPath: dir + "/u16.xml"))
        let r = try Programs.run("ingest-gp", ["gp2gp:" + dir, "--allow-empty"])
        #expect(r.status == 0 && r.stderr.contains("a UTF-16 document"))
    }

    @Test("silent loss: every reader of person records validates them alike", arguments: ["risk-score", "mdt-list", "pathway-audit", "outcome-report"])
    func strictRecords(_ program: String) throws {
        let dir = try temporaryFolder()
        let good = try String(contentsOfFile: Programs.root + "/" + Self.scored, encoding: .utf8).split(separator: "\n").first!
        let bad = [
            #"{"id":"a","id":"b","birth_date":"1940-01-01"}"#,            // jq would read the other id
            #"{"id":"c","birth_date":"0000-00-00"}"#, #"{"id":"d","birth_date":"2026-02-30"}"#, #"{"id":"e","death_date":"2026-13-01"}"#,
            #"{"id":"f","note":"\ud800"}"#, #"{"id":"g","n":1e999999}"#,
        ]
        try ([String(good)] + bad).joined(separator: "\n").appending("\n").write(toFile: dir + "/in.jsonl", atomically: true, encoding: .utf8)
        let extra = program == "pathway-audit" ? ["--pathways", "examples/pathways"] : []
        let r = try Programs.run(program, [dir + "/in.jsonl", "--as-of", "2026-04-01", "-o", "/dev/null"] + extra)
        #expect(r.status == 0 && r.stderr.contains("rejected 6"), "\(r.stderr)")
        #expect(r.stderr.contains("appears twice") && r.stderr.contains("birth_date is not a real date") && r.stderr.contains("lone high surrogate"))
        clean(r.stderr, ["0000-00-00", "2026-02-30"])
        let strict = try Programs.run(program, [dir + "/in.jsonl", "--as-of", "2026-04-01", "--strict", "-o", "/dev/null"] + extra)
        #expect(strict.status == 65)
    }

    @Test("counters sized for the input: 65,600 distinct source values and 65,537 input files")
    func wideCounters() throws {
        let dir = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: dir + "/gp", withIntermediateDirectories: true)
        try "nhs_number,date_of_birth,sex,practice\n9993873195,1950-01-01,female,ZZ0001\n".write(toFile: dir + "/gp/patients.csv", atomically: true, encoding: .utf8)
        var events = "nhs_number,date,snomedct_code,source\n"
        for i in 0..<65_600 { events += "9993873195,2024-01-01,44054006,gp:P\(i)\n" }
        try events.write(toFile: dir + "/gp/clinical_events.csv", atomically: true, encoding: .utf8)
        let sources = try Programs.run("ingest-gp", [dir + "/gp", "-q"])
        #expect(sources.status == 0 && sources.out.contains("\"gp:P65599\""), "\(sources.stderr)")

        let docs = dir + "/fhir"
        try FileManager.default.createDirectory(atPath: docs, withIntermediateDirectories: true)
        for i in 0..<65_536 { _ = FileManager.default.createFile(atPath: docs + String(format: "/f%05d.ndjson", i), contents: Data()) }
        try #"""
        {"resourceType":"Patient","id":"p1","birthDate":"1950"}
        {"resourceType":"Condition","id":"c1","code":{"coding":[{"system":"http://snomed.info/sct","code":"44054006"}]},"subject":{"reference":"Patient/p1"},"onsetDateTime":"2020-01-01"}

        """#.write(toFile: docs + "/zz.ndjson", atomically: true, encoding: .utf8)
        let files = try Programs.run("ingest-gp", ["fhir:" + docs, "-q"])
        #expect(files.status == 0 && files.out.contains("44054006"), "\(files.stderr)")
    }

    /// The bundled example's 300 people, scored.
    func scoredExample(_ dir: String) throws -> String {
        let r = try Programs.runCommand("/bin/bash", ["-o", "pipefail", "-c",
            ".build/debug/ingest-gp examples/data/ics/gp examples/data/ics/hospital examples/data/ics/council -q | .build/debug/risk-score --as-of 2026-04-01 -q > \(dir)/scored.jsonl"])
        try #require(r.status == 0)
        return dir + "/scored.jsonl"
    }

    @Test("partial outputs: --out-dir replaces the whole set or nothing; a group per person needs no descriptor per group")
    func outDirAllOrNothing() throws {
        let dir = try temporaryFolder()
        let scored = try scoredExample(dir)
        try "practice,team\nZZ0001,A-team\nZZ0002,Z-team\nZZ0003,Z-team\nZZ0004,Z-team\nZZ0005,Z-team\nZZ0006,Z-team\nZZ0007,Z-team\nZZ0008,Z-team\n"
            .write(toFile: dir + "/teams.csv", atomically: true, encoding: .utf8)
        let lists = dir + "/lists"
        let options = ["--as-of", "2026-04-01", "--group-by", "team", "--teams", dir + "/teams.csv", "--top", "60", "--format", "csv", "--out-dir", lists, "-q"]
        #expect(try Programs.run("mdt-list", [scored] + options).status == 0)
        func snapshot() throws -> [String: Data] {
            var out: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: lists) { out[name] = try Data(contentsOf: URL(fileURLWithPath: lists + "/" + name)) }
            return out
        }
        let before = try snapshot()
        // Tonight A-team's list changes (a person less) and Z-team's file is too big for the
        // file-size limit (as a disk that fills): A-team must not be replaced alone.
        let lines = try String(contentsOfFile: scored, encoding: .utf8).split(separator: "\n")
        let dropped = lines.firstIndex { $0.contains("\"practice\":\"ZZ0001\"") }!
        try (lines.enumerated().filter { $0.offset != dropped }.map { String($0.element) }.joined(separator: "\n") + "\n")
            .write(toFile: dir + "/tonight.jsonl", atomically: true, encoding: .utf8)
        let full = try Programs.runCommand("/bin/bash", ["-c", "ulimit -f 12; exec .build/debug/mdt-list \(dir)/tonight.jsonl " + options.map { "'\($0)'" }.joined(separator: " ")])
        #expect(full.status == 74, "\(full.stderr)")
        #expect(try snapshot() == before)
        // One list per person with 40 descriptors to spare: each file is closed as it is made.
        let many = try Programs.runCommand("/bin/bash", ["-c", "ulimit -n 40; exec .build/debug/mdt-list \(scored) --as-of 2026-04-01 --group-by id --top 1 --format csv --out-dir \(dir)/each"])
        #expect(many.status == 0, "\(many.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/each").count > 200)
    }

    @Test("partial outputs: SIGKILL mid-spill leaves no file of patients' rows in --temp-dir")
    func sigkillLeavesNothing() throws {
        let dir = try temporaryFolder()
        let temp = dir + "/tmp"
        try FileManager.default.createDirectory(atPath: temp, withIntermediateDirectories: true)
        let extract = dir + "/big"
        let synth = try Programs.run("synth-extract", ["--people", "20000", "--seed", "5", "--out", extract, "-q"])
        try #require(synth.status == 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Programs.path("ingest-gp"))
        process.arguments = [extract, "-o", dir + "/out.jsonl", "--memory", "1M", "--temp-dir", temp]
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until it has spilled (the sort folder appears and goes), then kill it outright.
        usleep(700_000)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        let left = try FileManager.default.subpathsOfDirectory(atPath: temp)
        #expect(left.isEmpty, "left in --temp-dir: \(left)")
    }

    @Test("size: YAML anchors and aliases are refused at once; an XML entry of millions of empty elements is refused, in bounded memory")
    func sizeLimits() throws {
        let dir = try temporaryFolder()
        // The alias bomb of the campaign: each level ten times the last.
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 { yaml += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        try yaml.write(toFile: dir + "/bomb.yaml", atomically: true, encoding: .utf8)
        let started = Date()
        let y = try Programs.run("pathway-audit", ["--check", "--pathways", dir + "/bomb.yaml"])
        #expect(y.status == 78 && y.stderr.contains("anchors and aliases") && Date().timeIntervalSince(started) < 5)
        let extract = try String(contentsOfFile: Programs.root + "/Tests/Fixtures/repro/gp2gp-discontinue.xml", encoding: .utf8)
        let open = extract.range(of: "<ehrComposition")!
        let end = extract[open.upperBound...].firstIndex(of: ">")!
        let wide = String(extract[...end]) + String(repeating: "<x/>", count: 1_500_000) + String(extract[extract.index(after: end)...])
        try wide.write(toFile: dir + "/wide.xml", atomically: true, encoding: .utf8)
        let x = try Programs.runCommand("/bin/bash", ["-c", "ulimit -v 1500000; exec .build/debug/ingest-gp gp2gp:\(dir)/wide.xml --allow-empty"])
        #expect(x.status == 0 && x.stderr.contains("holds more than 1000000 tags"), "\(x.stderr)")
    }

    @Test("size: a record past the line limit is one rejected record; the run goes on and ends with its summary",
          arguments: ["risk-score", "mdt-list"])   // the two line paths: ParallelLines (every enricher and outcome-report), and mdt-list's
    func overLongRecord(_ program: String) throws {
        let dir = try temporaryFolder()
        let good = try String(contentsOfFile: Programs.root + "/" + Self.scored, encoding: .utf8)
        var huge = Data(#"{"id":"x","note":""#.utf8)
        huge.append(Data(repeating: UInt8(ascii: "a"), count: 70 << 20))
        huge.append(Data("\"}\n".utf8))
        var input = Data(good.utf8)
        input.append(huge)
        input.append(Data(good.utf8))
        try input.write(to: URL(fileURLWithPath: dir + "/in.jsonl"))
        let extra = program == "pathway-audit" ? ["--pathways", "examples/pathways"] : []
        let r = try Programs.run(program, [dir + "/in.jsonl", "--as-of", "2026-04-01", "-o", "/dev/null", "--max-left", "100"].filter { program == "mdt-list" || $0 != "--max-left" && $0 != "100" } + extra)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("record too long") && r.stderr.contains("read 11 people"), "\(r.stderr)")
    }
}
