import Foundation
import Testing

/// `outcome-report --format tallies` and `--merge`: the report of tallies merged from any split of
/// the people is the single run's, byte for byte (docs/scale-out.md).
@Suite("outcome-report tallies and --merge")
struct OutcomeTalliesTests {
    /// The bundled example through ingest, scoring and the pathway audit (so pathway steps are in
    /// the report too), as person lines.
    static func audited(_ dir: String) throws -> [String] {
        #expect(try Programs.run("ingest-gp", ["examples/data/ics/gp", "examples/data/ics/hospital", "examples/data/ics/council",
                                               "-q", "-o", dir + "/people.jsonl"]).status == 0)
        #expect(try Programs.run("risk-score", [dir + "/people.jsonl", "--as-of", "2026-04-01", "-q", "-o", dir + "/scored.jsonl"]).status == 0)
        #expect(try Programs.run("pathway-audit", [dir + "/scored.jsonl", "--pathways", "examples/pathways", "--as-of", "2026-04-01",
                                                   "-q", "-o", dir + "/audited.jsonl"]).status == 0)
        return try String(contentsOfFile: dir + "/audited.jsonl", encoding: .utf8).split(separator: "\n").map(String.init)
    }

    /// Splits the lines into `parts` files, as `how` deals them, and makes each one's tallies.
    static func tallies(_ lines: [String], parts: Int, how: String, dir: String, extra: [String] = []) throws -> [String] {
        var split = Array(repeating: [String](), count: parts)
        for (i, line) in lines.enumerated() {
            switch how {
            case "round-robin": split[i % parts].append(line)
            case "blocks": split[min(parts - 1, i * parts / lines.count)].append(line)
            default: split[abs(line.utf8.reduce(7) { ($0 &* 31 &+ Int($1)) % 1_000_003 }) % parts].append(line)   // by a hash of the line
            }
        }
        var files: [String] = []
        for (k, part) in split.enumerated() {
            #expect(!part.isEmpty)
            let path = "\(dir)/\(how)-\(parts)-\(k).jsonl"
            try (part.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            let r = try Programs.run("outcome-report", [path, "--as-of", "2026-04-01", "--format", "tallies", "-o", path + ".tallies"] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stderr.contains("tallies of \(part.count) people"))
            files.append(path + ".tallies")
        }
        return files
    }

    @Test("merged tallies of 1, 2 and 7 parts give the single run's report byte for byte, in every format and with report options")
    func mergeIsTheSingleRun() throws {
        let dir = try temporaryFolder()
        let lines = try Self.audited(dir)
        #expect(lines.count == 300)
        var bands = "age_band,population\n"
        for b in stride(from: 0, to: 90, by: 5) { bands += "\(b)-\(b + 4),\(1000 + b)\n" }
        bands += "90+,400\n"
        try bands.write(toFile: dir + "/population.csv", atomically: true, encoding: .utf8)
        let reportOptions: [[String]] = [
            ["--format", "html"], ["--format", "jsonl"], ["--format", "csv"], ["--format", "markdown"],
            ["--format", "jsonl", "--targets", "examples/outcomes/targets.csv", "--unit-costs", "examples/outcomes/unit-costs.csv"],
            ["--format", "csv", "--population", dir + "/population.csv", "--suppress-below", "3"],
            ["--format", "jsonl", "--no-suppression", "--spc-limits", "baseline", "--spc-run-length", "6"],
        ]
        var single: [[String]: String] = [:]
        for options in reportOptions {
            let r = try Programs.run("outcome-report", [dir + "/audited.jsonl", "--as-of", "2026-04-01", "-q"] + options)
            #expect(r.status == 0, "\(r.stderr)")
            single[options] = r.out
        }
        // Pathway steps, suppressed rows and breakdowns are in what is compared.
        #expect(single[["--format", "jsonl"]]!.contains("pathway:") && single[["--format", "jsonl"]]!.contains(#""suppressed":true"#)
                && single[["--format", "jsonl"]]!.contains("imd_quintile=1"))
        for (parts, how) in [(1, "blocks"), (2, "blocks"), (2, "round-robin"), (7, "round-robin"), (7, "hash")] {
            let files = try Self.tallies(lines, parts: parts, how: how, dir: dir)
            for options in reportOptions {
                let merged = try Programs.run("outcome-report", ["--merge"] + files + options)
                #expect(merged.status == 0, "\(merged.stderr)")
                #expect(merged.out == single[options], "\(parts) parts (\(how)), \(options.joined(separator: " ")): the merged report differs")
                #expect(merged.stderr.contains("read \(parts) tallies files") && merged.stderr.contains("; 300 people;"))
            }
            // The order of the files does not matter.
            let reversed = try Programs.run("outcome-report", ["--merge"] + files.reversed() + ["--format", "jsonl", "-q"])
            #expect(reversed.out == single[["--format", "jsonl"]])
        }
        // The tallies of a whole run are what the parts add up to, and they hold no rounding:
        // the numerators of the single run's rows are in them.
        let whole = try Self.tallies(lines, parts: 1, how: "blocks", dir: dir + "/")
        let text = try String(contentsOfFile: whole[0], encoding: .utf8)
        #expect(text.hasPrefix(#"{"outcome_tallies":1,"program":"outcome-report "#) && text.contains(#""people":300"#))
        #expect(text.contains(#"{"tally":"emergency_admissions","group":"(all)","period":1,"#))
    }

    @Test("tallies made differently, damaged or empty are refused with the file, the line and the reason")
    func refusals() throws {
        let dir = try temporaryFolder()
        let lines = try Self.audited(dir)
        let a = try Self.tallies(Array(lines.prefix(100)), parts: 1, how: "blocks", dir: dir)
        try FileManager.default.createDirectory(atPath: dir + "/b", withIntermediateDirectories: true)
        let laterDay = try Self.tallies(Array(lines.suffix(200)), parts: 1, how: "blocks", dir: dir + "/b", extra: ["--group-by", "team"])
        let mixed = try Programs.run("outcome-report", ["--merge", a[0], laterDay[0]])
        #expect(mixed.status == 65 && mixed.stderr.contains("--group-by team") && mixed.stderr.contains("merge only when they answer the same question"), "\(mixed.stderr)")
        #expect(mixed.out.isEmpty)

        var text = try String(contentsOfFile: a[0], encoding: .utf8).split(separator: "\n").map(String.init)
        text[4] = text[4].replacing(#""numerator":"#, with: #""numerator":-"#)
        try (text.joined(separator: "\n") + "\n").write(toFile: dir + "/damaged.tallies", atomically: true, encoding: .utf8)
        let damaged = try Programs.run("outcome-report", ["--merge", dir + "/damaged.tallies"])
        #expect(damaged.status == 65 && damaged.stderr.contains("damaged.tallies:5: numerator: missing or not a count"), "\(damaged.stderr)")

        let twice = try Programs.run("outcome-report", ["--merge", dir + "/audited.jsonl"])
        #expect(twice.status == 65 && twice.stderr.contains("audited.jsonl:1: not outcome-report tallies"), "\(twice.stderr)")

        try "".write(toFile: dir + "/empty.tallies", atomically: true, encoding: .utf8)
        let empty = try Programs.run("outcome-report", ["--merge", dir + "/empty.tallies"])
        #expect(empty.status == 65 && empty.stderr.contains("empty"), "\(empty.stderr)")

        // Nobody in, no report and no tallies: an empty input is an error, not a report of nobody.
        try "".write(toFile: dir + "/nobody.jsonl", atomically: true, encoding: .utf8)
        for format in ["tallies", "html"] {
            let none = try Programs.run("outcome-report", ["-", "--as-of", "2026-04-01", "--format", format], stdin: dir + "/nobody.jsonl")
            #expect(none.status == 65 && none.out.isEmpty && none.stderr.contains("no person records"), "\(none.stderr)")
        }
        // Options on the wrong side of the split are usage errors that say where they belong.
        let early = try Programs.run("outcome-report", [dir + "/audited.jsonl", "--format", "tallies", "--targets", "examples/outcomes/targets.csv"])
        #expect(early.status == 64 && early.stderr.contains("give it to outcome-report --merge"))
        let late = try Programs.run("outcome-report", ["--merge", a[0], "--period", "2025-26"])
        #expect(late.status == 64 && late.stderr.contains("--merge takes it from them"))
    }
}
