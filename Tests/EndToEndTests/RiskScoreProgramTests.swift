import Foundation
import Testing

@Suite("risk-score as a program")
struct RiskScoreProgramTests {
    /// The bundled example, joined by ingest-gp (the pipeline a user runs).
    func people() throws -> String {
        let dir = try temporaryFolder()
        let r = try Programs.run("ingest-gp", ["examples/data/ics/gp", "examples/data/ics/hospital", "examples/data/ics/council",
                                              "-q", "-o", dir + "/people.jsonl"])
        #expect(r.status == 0)
        return dir + "/people.jsonl"
    }

    @Test("scores the bundled example: every person out, every other key kept, summary on stderr")
    func example() throws {
        let input = try people()
        let r = try Programs.run("risk-score", [input, "--as-of", "2026-04-01"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.out.split(separator: "\n")
        #expect(lines.count == 300)
        #expect(r.stderr.contains("risk-score: read 300 people; emitted 300; filtered 0; rejected 0; as of 2026-04-01"))
        let original = try String(contentsOfFile: input, encoding: .utf8).split(separator: "\n")
        for (a, b) in zip(original, lines) { #expect(b.hasPrefix(a.dropLast())) }
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        let risk = first?["risk"] as? [String: Any]
        #expect(Set(risk?.keys.map { $0 } ?? []) == ["as_of", "efi", "hfrs", "charlson", "elixhauser", "lace"])
        #expect(!r.stderr.contains("999"), "no NHS number in diagnostics")
    }

    @Test("reads standard input and writes -o atomically; same output twice")
    func stdinAndOutput() throws {
        let input = try people()
        let dir = try temporaryFolder()
        let a = try Programs.run("risk-score", ["-", "--as-of", "2026-04-01", "-q", "-o", dir + "/a.jsonl"], stdin: input)
        #expect(a.status == 0, "\(a.stderr)")
        let b = try Programs.run("risk-score", [input, "--as-of", "2026-04-01", "-q", "--threads", "1", "-o", dir + "/b.jsonl"])
        #expect(b.status == 0)
        #expect(FileManager.default.contentsEqual(atPath: dir + "/a.jsonl", andPath: dir + "/b.jsonl"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["a.jsonl", "b.jsonl"])
    }

    @Test("--explain prints why, as text")
    func explain() throws {
        let input = try people()
        let scored = try Programs.run("risk-score", [input, "--as-of", "2026-04-01", "--format", "csv", "-q"])
        // Someone with a HFRS score: column 6 of the CSV.
        let row = try #require(scored.out.split(separator: "\n").dropFirst().first { $0.split(separator: ",")[5] != "0" })
        let id = String(row.split(separator: ",")[0])
        let r = try Programs.run("risk-score", [input, "--as-of", "2026-04-01", "--explain", id])
        #expect(r.status == 0)
        #expect(r.out.hasPrefix(id + "  age "))
        #expect(r.out.contains("  HFRS: ") && r.out.contains("    + "))
        let missing = try Programs.run("risk-score", [input, "--explain", "0000000000", "--as-of", "2026-04-01"])
        #expect(missing.status == 0)
        #expect(missing.stderr.contains("1 of the --explain ids were not in the input"))
    }

    @Test("usage errors exit 64", arguments: [["x", "--models", "frailty"], ["x", "--as-of", "2026-13-01"], ["x", "--format", "xml"],
                                              ["x", "--models", "charlson:deyo"], ["x", "--lookback-years", "0"]])
    func usage(_ args: [String]) throws {
        let r = try Programs.run("risk-score", args)
        #expect(r.status == 64, "\(r.stderr)")
    }

    @Test("a missing input exits 66; a bad code-list folder 65 or 66")
    func inputs() throws {
        #expect(try Programs.run("risk-score", ["/nonexistent/people.jsonl"]).status == 66)
        #expect(try Programs.run("risk-score", ["-", "--codelists", "/nonexistent/lists"]).status == 66)
    }

    @Test("--strict exits 65 at the first bad line and leaves no output file")
    func strict() throws {
        let dir = try temporaryFolder()
        try "{\"id\":\"a\"}\n{\"id\":\n".write(toFile: dir + "/in.jsonl", atomically: true, encoding: .utf8)
        let r = try Programs.run("risk-score", [dir + "/in.jsonl", "--strict", "-o", dir + "/out.jsonl"])
        #expect(r.status == 65)
        #expect(r.stderr.contains("in.jsonl:2"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/out.jsonl"))
    }

    @Test("--help shows real examples")
    func help() throws {
        let r = try Programs.run("risk-score", ["--help"])
        #expect(r.status == 0)
        #expect(r.out.contains("Examples:") && r.out.contains("risk-score people.jsonl --explain"))
    }
}
