import Foundation
import Testing

/// A run that cannot give a right answer gives none: misspelt selections, empty or broken
/// extracts and a night that would empty the lists all stop with a non-zero exit, naming what
/// is wrong, and leave earlier outputs as they were.
@Suite("failing loudly")
struct FailLoudlyTests {
    static let scored = "Tests/Fixtures/mdt/scored.jsonl"

    @Test("every misspelling is exit 64 with a suggestion", arguments: [
        (["--where", "agee >= 65"], "did you mean 'age'?"),
        (["--where", "risk.efi.categroy >= mild"], "did you mean 'risk.efi.category'?"),
        (["--where", "gender = \"female\""], "did you mean 'sex'?"),
        (["--where", "risk.hfrs.category = high"], "did you mean 'risk.hfrs.band'?"),
        (["--where", "risk.efi.category >= Moderat"], "did you mean 'moderate'?"),
        (["--where", "count(admissions in last 365d) > 0"], "count( takes a list"),
        (["--rank-by", "risk.efi.scor"], "did you mean 'risk.efi.score'"),
        (["--group-by", "practise"], "did you mean 'practice'?"),
        (["--group-by", ""], "'' is not a field path"),
        (["--group-by", "..."], "'...' is not a field path"),
        (["--field", "local.flag:boolean-ish"], "is not PATH:TYPE"),
    ])
    func misspellings(_ arguments: [String], _ expected: String) throws {
        let r = try Programs.run("mdt-list", [Self.scored, "--as-of", "2026-04-01"] + arguments)
        #expect(r.status == 64 && r.stderr.contains(expected), "\(r.status) \(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test("what used to match silently now matches: capital letters and bare category words")
    func categories() throws {
        let a = try Programs.run("mdt-list", [Self.scored, "--as-of", "2026-04-01", "--where", "risk.efi.category >= \"Moderate\" and sex = Female", "-q"])
        let b = try Programs.run("mdt-list", [Self.scored, "--as-of", "2026-04-01", "--where", "risk.efi.category >= moderate and sex = \"female\"", "-q"])
        #expect(a.status == 0 && a.stdout == b.stdout)
        let everyone = try Programs.run("mdt-list", [Self.scored, "--as-of", "2026-04-01", "-q"])
        #expect(a.stdout.count < everyone.stdout.count)
    }

    @Test("a declared field no record holds is exit 65; a schema field none holds is a warning")
    func neverHeld() throws {
        let declared = try Programs.run("mdt-list", [Self.scored, "--as-of", "2026-04-01", "--field", "local.flag:bool", "--where", "local.flag"])
        #expect(declared.status == 65 && declared.stderr.contains("'local.flag' (declared with --field) held a value in no record"))
        let schema = try Programs.run("mdt-list", [Self.scored, "--as-of", "2026-04-01", "--where", "death_place = \"home\"", "-o", "/dev/null"])
        #expect(schema.status == 0 && schema.stderr.contains("'death_place' held a value in no record"), "\(schema.stderr)")
    }

    @Test("the guards: too few people, or most of last night's list leaving, write nothing")
    func guards() throws {
        let dir = try temporaryFolder()
        let lists = dir + "/lists"
        let first = try Programs.run("mdt-list", [Self.scored, "--as-of", "2026-04-01", "--top", "20", "--format", "csv", "--out-dir", lists, "-q"])
        #expect(first.status == 0)
        let previous = dir + "/last-night.jsonl"
        let tonight = try Programs.run("mdt-list", [Self.scored, "--as-of", "2026-04-01", "--top", "20", "-q", "-o", previous])
        #expect(tonight.status == 0)
        let before = try FileManager.default.contentsOfDirectory(atPath: lists).sorted().map { try Data(contentsOf: URL(fileURLWithPath: lists + "/" + $0)) }
        // Nobody in tonight's input: --min-people (default 1) trips.
        try Data().write(to: URL(fileURLWithPath: dir + "/empty.jsonl"))
        let empty = try Programs.run("mdt-list", [dir + "/empty.jsonl", "--as-of", "2026-04-01", "--previous", previous, "--format", "csv", "--out-dir", lists])
        #expect(empty.status == 65 && empty.stderr.contains("fewer than --min-people 1"))
        // Last night listed twelve people; tonight's five hold two of them: ten leave at once.
        var night = (1...10).map { #"{"group":"ZZ0001","rank":\#($0),"status":"new","id":"gone-\#($0)"}"# }
        night += try String(contentsOfFile: previous, encoding: .utf8).split(separator: "\n").prefix(2).map(String.init)
        try (night.joined(separator: "\n") + "\n").write(toFile: previous, atomically: true, encoding: .utf8)
        let partial = try Programs.run("mdt-list", [Self.scored, "--as-of", "2026-04-01", "--top", "20", "--previous", previous, "--format", "csv", "--out-dir", lists])
        #expect(partial.status == 65 && partial.stderr.contains("more than --max-left 50 %"), "\(partial.stderr)")
        let after = try FileManager.default.contentsOfDirectory(atPath: lists).sorted().map { try Data(contentsOf: URL(fileURLWithPath: lists + "/" + $0)) }
        #expect(before == after)
        // The operator can say a big change is expected.
        let allowed = try Programs.run("mdt-list", [Self.scored, "--as-of", "2026-04-01", "--top", "20", "--previous", previous, "--max-left", "100", "-q", "-o", "/dev/null"])
        #expect(allowed.status == 0)
    }

    @Test("the nightly script on header-only extracts stops and leaves last night's lists byte-identical")
    func nightlyHeaderOnly() throws {
        let dir = try temporaryFolder()
        let extracts = dir + "/extracts", lists = dir + "/lists"
        try FileManager.default.copyItem(atPath: Programs.root + "/examples/data/ics", toPath: extracts)
        let bin = Programs.root + "/.build/debug"
        func nightly(_ asOf: String) throws -> Programs.Result {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["JOINEDUP_BIN=\(bin)", "bash", Programs.root + "/examples/cron/nightly.sh", extracts, lists, asOf]
            return try Programs.runCommand("/usr/bin/env", p.arguments!)
        }
        let first = try nightly("2026-04-01")
        #expect(first.status == 0, "\(first.stderr)")
        func snapshot() throws -> [String: Data] {
            var out: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: lists) where !name.hasPrefix(".") {
                out[name] = try Data(contentsOf: URL(fileURLWithPath: lists + "/" + name))
            }
            return out
        }
        let before = try snapshot()
        #expect(before["last-night.jsonl"] != nil && before["index.html"] != nil && before["pathway-history.csv"] != nil)
        for folder in ["gp", "hospital", "council"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: extracts + "/" + folder) where name.hasSuffix(".csv") {
                let path = extracts + "/" + folder + "/" + name
                let header = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").first.map { String($0) + "\n" } ?? ""
                try header.write(toFile: path, atomically: true, encoding: .utf8)
            }
        }
        let second = try nightly("2026-04-02")
        #expect(second.status == 65 && second.stderr.contains("no person was emitted"), "\(second.status) \(second.stderr)")
        #expect(try snapshot() == before)
    }

    @Test("ingest-gp: a Synthea folder ingests without --format and says so; read as tables it is refused")
    func syntheaRecognised() throws {
        let told = try Programs.run("ingest-gp", ["examples/data/synthea"])
        let explicit = try Programs.run("ingest-gp", ["--format", "synthea", "examples/data/synthea"])
        #expect(told.status == 0 && told.stdout == explicit.stdout && !told.stdout.isEmpty)
        #expect(told.stderr.contains("note: reading examples/data/synthea as synthea"))
        let wrong = try Programs.run("ingest-gp", ["--format", "tables", "examples/data/synthea"])
        #expect(wrong.status == 65 && wrong.stdout.isEmpty && wrong.stderr.contains("it looks like Synthea output: --format synthea"))
    }

    @Test("ingest-gp: FHIR Patient.ndjson and Condition.ndjson as two arguments give the folder's records")
    func fhirFilesAsArguments() throws {
        let folder = try Programs.run("ingest-gp", ["--format", "fhir", "examples/data/fhir/bulk"])
        let files = try Programs.run("ingest-gp", ["--format", "fhir", "examples/data/fhir/bulk/Patient.ndjson", "examples/data/fhir/bulk/Condition.ndjson",
                                                   "examples/data/fhir/bulk/observation-p77.xml"])
        #expect(folder.status == 0 && files.status == 0 && folder.stdout == files.stdout)
        // The example's deliberate faults (a broken line, a Condition whose Patient is in no file) alike.
        let rejects = { (r: Programs.Result) in r.stderr.split(separator: "\n").filter { $0.contains("rejected") } }
        #expect(rejects(folder) == rejects(files) && rejects(files).count == 3)
    }

    @Test("ingest-gp: header-only tables exit 65 and write nothing; --allow-empty lets it through")
    func emptyExtract() throws {
        let dir = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: dir + "/gp", withIntermediateDirectories: true)
        try "nhs_number,date_of_birth,sex,practice\n".write(toFile: dir + "/gp/patients.csv", atomically: true, encoding: .utf8)
        try "old\n".write(toFile: dir + "/people.jsonl", atomically: true, encoding: .utf8)
        let r = try Programs.run("ingest-gp", [dir + "/gp", "-o", dir + "/people.jsonl"])
        #expect(r.status == 65 && r.stderr.contains("no person was emitted"))
        #expect(try String(contentsOfFile: dir + "/people.jsonl", encoding: .utf8) == "old\n")
        #expect(try Programs.run("ingest-gp", [dir + "/gp", "--allow-empty", "-q"]).status == 0)
    }

    @Test("a pathway's expressions are checked when it is loaded: file, line, column and the nearest name", arguments: [
        ("match: kind = \"admission\" and methd = \"emergency\"", "did you mean 'method'?"),
        ("match: kind = \"admission\" and method = Emergncy", "'Emergncy' is not a value of method"),
        ("match: count(diagnosis where code = \"x\") > 0", "count( takes a list"),
    ])
    func pathwayChecked(_ match: String, _ expected: String) throws {
        let dir = try temporaryFolder()
        try """
        id: typo
        title: A pathway with a typo
        source: a test
        trigger:
          from: encounters
          \(match)
        steps:
          - id: contact
            title: Any contact
            from: events
            match: "true"
            window: within 7d after trigger.end
        """.write(toFile: dir + "/typo.yaml", atomically: true, encoding: .utf8)
        let r = try Programs.run("pathway-audit", ["--check", "--pathways", dir])
        #expect(r.status == 78 && r.stderr.contains("typo.yaml:6:") && r.stderr.contains(expected), "\(r.stderr)")
    }

    @Test("--group-by is checked by every program that groups", arguments: ["outcome-report", "pathway-audit"])
    func groupByEverywhere(_ program: String) throws {
        let extra = program == "pathway-audit" ? ["--pathways", "examples/pathways", "--summary"] : []
        let r = try Programs.run(program, [Self.scored, "--group-by", "practise"] + extra)
        #expect(r.status == 64 && r.stderr.contains("did you mean 'practice'?"), "\(r.stderr)")
    }

    static let programs = ["ingest-gp", "risk-score", "mdt-list", "pathway-audit", "outcome-report", "synth-extract", "risk-model", "impact-report"]

    @Test("--version on every program, from one place; man pages show no subcommand or help entry")
    func versionAndManPages() throws {
        let versions = try Self.programs.map { try Programs.run($0, ["--version"]) }
        #expect(versions.allSatisfy { $0.status == 0 && $0.out.hasPrefix("joinedup ") })
        #expect(Set(versions.map(\.out)).count == 1)
        for p in Self.programs {
            let page = try String(contentsOfFile: Programs.root + "/man/\(p).1", encoding: .utf8)
            #expect(!page.contains("subcommand") && page.contains("Fl -version"), "man/\(p).1")
        }
    }

    @Test("small things: --explain takes an NHS number as lists print it; synth-extract --out - is refused; a map that names nobody is an error")
    func smallThings() throws {
        let plain = try Programs.run("risk-score", [Self.scored, "--explain", "9990000034", "--as-of", "2026-04-01", "-q"])
        let spaced = try Programs.run("risk-score", [Self.scored, "--explain", "999 000 0034", "--as-of", "2026-04-01", "-q"])
        #expect(plain.status == 0 && !plain.stdout.isEmpty && spaced.stdout == plain.stdout)
        let one = try Programs.run("mdt-list", [Self.scored, "--as-of", "2026-04-01", "--where", "id = \"9990000018\"", "-o", "/dev/null"])
        #expect(one.status == 0 && one.stderr.contains("1 list, 1 person listed"), "\(one.stderr)")
        let synth = try Programs.run("synth-extract", ["--out", "-", "--people", "3"])
        #expect(synth.status == 64 && synth.stderr.contains("not standard output"))
        let dir = try temporaryFolder()
        try "pseudonym,nhs_number\nnobody-here,9990000018\n".write(toFile: dir + "/map.csv", atomically: true, encoding: .utf8)
        let r = try Programs.run("mdt-list", [Self.scored, "--as-of", "2026-04-01", "--reidentify", dir + "/map.csv"])
        #expect(r.status == 65 && r.stderr.contains("names none of the") && r.stdout.isEmpty)
    }

    @Test("every program with --as-of warns of stale data or a different day upstream", arguments: ["risk-score", "mdt-list", "pathway-audit", "outcome-report"])
    func asOfWarnings(_ program: String) throws {
        let folder = try temporaryFolder()
        func extra(_ night: String) -> [String] { program == "pathway-audit" ? ["--pathways", "examples/pathways", "--history", "\(folder)/\(night).csv"] : [] }
        let r = try Programs.run(program, [Self.scored, "--as-of", "2027-01-01", "-o", "/dev/null"] + extra("later"))
        #expect(r.status == 0)
        if program != "mdt-list" { #expect(r.stderr.contains("days after the newest date in the input"), "\(r.stderr)") }
        if program != "risk-score" { #expect(r.stderr.contains("records have risk.as_of 2026-04-01, not --as-of 2027-01-01"), "\(r.stderr)") }
        let same = try Programs.run(program, [Self.scored, "--as-of", "2026-04-01", "-o", "/dev/null"] + extra("same"))
        #expect(same.status == 0 && !same.stderr.contains("warning"), "\(same.stderr)")
    }
}
