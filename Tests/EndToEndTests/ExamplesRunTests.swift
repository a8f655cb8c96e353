import Foundation
import Testing

/// Every example in the README and in each program's --help runs as printed, in a folder laid
/// out as the examples assume (their input files made from the bundled data), and exits 0.
@Suite("examples run as printed", .serialized)
struct ExamplesRunTests {
    static let programs = ["ingest-gp", "risk-score", "mdt-list", "pathway-audit", "outcome-report", "synth-extract", "risk-model", "impact-report"]
    /// Examples too big for a test run, each with the reason (bench/ runs them).
    static let tooBig = ["synth-extract --people 1000000": "a million people: minutes and gigabytes (bench/ingest runs it)"]

    /// A shell command per example: `\`-continued lines joined; comments and `make` lines left out.
    static func commands(_ text: String) -> [String] {
        var out: [String] = [], current = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if current.isEmpty && (line.isEmpty || line.hasPrefix("#") || line.hasPrefix("make ")) { continue }
            if line.hasSuffix("\\") { line.removeLast(); current += line + " "; continue }
            current += line
            out.append(current)
            current = ""
        }
        return out
    }

    static func readmeExamples() throws -> [String] {
        let readme = try String(contentsOfFile: Programs.root + "/README.md", encoding: .utf8)
        var blocks: [String] = [], inBlock = false, block = ""
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```sh") { inBlock = true; block = ""; continue }
            if line.hasPrefix("```") && inBlock { inBlock = false; blocks.append(block); continue }
            if inBlock { block += line + "\n" }
        }
        return blocks.flatMap(commands)
    }

    static func helpExamples(_ program: String) throws -> [String] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try Programs.path(program))
        p.arguments = ["--help"]
        p.environment = ["COLUMNS": "1000"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard let start = text.range(of: "Examples:\n") else { return [] }
        let section = text[start.upperBound...].prefix { _ in true }
        let lines = section.split(separator: "\n", omittingEmptySubsequences: false).prefix { !$0.isEmpty }
        return commands(lines.joined(separator: "\n"))
    }

    /// The files the examples name, made from the bundled data.
    static let setup = #"""
    set -euo pipefail
    cp -r "$ROOT/examples" examples
    mkdir -p bulk export home/codelists/efi home/opencodelists my-pathways lists home/gm-sde/shared/clinical-code-sets/patient/efi-falls/1
    printf '1912002\tFall (event)\n' > home/gm-sde/shared/clinical-code-sets/patient/efi-falls/1/efi-falls.snomed.txt
    cp examples/data/fhir/bulk/*.ndjson bulk/
    cp examples/data/fhir/bulk/*.ndjson export/
    echo '{"resourceType":"Observation","id":"o-1","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},"subject":{"reference":"Patient/p-77"},"effectiveDateTime":"2024-05-06","valueQuantity":{"value":96,"unit":"/min"}}' > export/Observation.ndjson
    cp examples/data/fhir/ukcore-9990000018.json record.json
    cp examples/data/fhir/ukcore-9990000018.json gpconnect-record.json
    cp -r examples/data/ics/gp extract
    cp -r examples/data/ics/gp big-extract
    cp -r examples/data/ics/hospital hes-extract && mv hes-extract/patients.csv hes-extract/people.csv
    printf 'table,column,their_column\npatients,,people.csv\n' > hes-columns.csv
    head -c 32 /dev/urandom > key.bin && chmod 600 key.bin
    echo 9993873195 > optout.txt
    printf 'code,term\n161898004,Falls\n' > home/codelists/efi/falls.csv
    cp -R examples/pathways/. my-pathways/
    printf 'code,term\n1912002,Fall\n217082002,Accidental fall\n' > home/opencodelists/falls.csv
    printf 'practice,team\nZZ0001,North\nZZ0002,North\nZZ0003,North\nZZ0004,North\nZZ0005,South\nZZ0006,South\nZZ0007,South\nZZ0008,South\n' > teams.csv
    printf 'id,reason,until\n9993873195,reviewed at the MDT,2026-06-30\n' > reviewed.csv
    : > lists/last-night.jsonl
    { echo age_band,population; for b in 0-4 5-9 10-14 15-19 20-24 25-29 30-34 35-39 40-44 45-49 50-54 55-59 60-64 65-69 70-74 75-79 80-84 85-89 90+; do echo "$b,100"; done; } > list-sizes.csv
    ingest-gp examples/data/ics/gp examples/data/ics/hospital examples/data/ics/council -q | risk-score --as-of 2026-04-01 -q > history.jsonl
    head -150 history.jsonl > part-1.jsonl && tail -n +151 history.jsonl > part-2.jsonl
    outcome-report part-2.jsonl --as-of 2026-04-01 --format tallies -q -o part-2.tallies
    ingest-gp examples/data/ics/gp examples/data/ics/hospital examples/data/ics/council --pseudonymise key.bin --pseudonym-map pseudonym-map.csv -q \
      | risk-score --as-of 2026-04-01 -q > pseudonymised.jsonl
    risk-model history.jsonl --as-of 2024-04-01 --validate-as-of 2025-04-01 --penalty 1 -q -o admission-model.json
    synth-extract --people 10000 --seed 5 --plant-mdt=-0.15 --plant-uptake 1 --out planted-tables -q && ingest-gp planted-tables -q -o planted.jsonl
    risk-model planted.jsonl --as-of 2023-04-01 --penalty 1 -q -o planted-model.json
    """#

    @Test("the README's examples, then every --help example")
    func examples() throws {
        let dir = try temporaryFolder()
        let bin = Programs.root + "/.build/debug"
        let env = ["ROOT": Programs.root, "HOME": dir + "/home", "PATH": bin + ":/usr/local/bin:/usr/bin:/bin", "TMPDIR": dir]
        func shell(_ command: String) throws -> Programs.Result {
            try Programs.runCommand("/usr/bin/env", env.map { "\($0.key)=\($0.value)" } + ["bash", "-o", "pipefail", "-c", command], in: dir)
        }
        let prepared = try shell(Self.setup)
        try #require(prepared.status == 0, "setting up the examples' files: \(prepared.stderr)")
        let hasJQ = try shell("command -v jq").status == 0
        var examples = try Self.readmeExamples()
        for p in Self.programs { examples += try Self.helpExamples(p) }
        #expect(examples.count >= 40, "found \(examples.count) examples")
        var ran = 0
        for command in examples {
            if let big = Self.tooBig.first(where: { command.hasPrefix($0.key) }) {
                print("note: not run here: \(command) (\(big.value))")
                continue
            }
            if command.contains("jq ") && !hasJQ {
                print("note: skipping an example that needs jq (apt-get install jq; .ci/run installs it): \(command)")
                continue
            }
            let r = try shell(command)
            #expect(r.status == 0, "\(command)\nexit \(r.status): \(r.stderr.suffix(600))")
            ran += 1
        }
        print("examples run as printed: \(ran) of \(examples.count)")
    }
}
