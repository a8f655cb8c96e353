import Foundation
import Testing
import CareSynth

/// Runs the built programs as a user would. `make test` builds them first.
enum Programs {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static func path(_ name: String) throws -> String {
        let p = root + "/.build/debug/" + name
        guard FileManager.default.isExecutableFile(atPath: p) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "\(p) is not built: run `swift build` (make test does) first"])
        }
        return p
    }

    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
        var out: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Runs a built program; `stdin` is a file fed to its standard input.
    static func run(_ name: String, _ arguments: [String], in folder: String? = nil, stdin: String? = nil) throws -> Result {
        try runCommand(try path(name), arguments, in: folder, stdin: stdin)
    }

    /// Runs any executable (a script, a browser) from the repository's root.
    static func runCommand(_ executable: String, _ arguments: [String], in folder: String? = nil, stdin: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let stdin { process.standardInput = FileHandle(forReadingAtPath: stdin) }
        process.currentDirectoryURL = URL(fileURLWithPath: folder ?? root)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes concurrently so a full pipe never blocks the child.
        nonisolated(unsafe) var errData = Data()
        let errThread = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        errThread.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while errThread.isExecuting || !errThread.isFinished { usleep(1000) }
        return Result(status: process.terminationStatus, stdout: outData, stderr: String(decoding: errData, as: UTF8.self))
    }
}

func temporaryFolder(_ name: String = #function) throws -> String {
    let path = NSTemporaryDirectory() + "joinedup-e2e-\(name.filter { $0.isLetter })-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Suite("ingest-gp as a program")
struct IngestProgramTests {
    let ics = ["examples/data/ics/gp", "examples/data/ics/hospital", "examples/data/ics/council"]

    @Test("runs on the bundled example data: one line per person, summary on stderr")
    func example() throws {
        let r = try Programs.run("ingest-gp", ics)
        #expect(r.status == 0)
        #expect(r.out.split(separator: "\n").count == 300)
        // 13,130 rows in the nine tables (synth-extract's count: 198 + 3,115 + 23 + 412 + 285 + 7,405 + 1,350 + 300
        // + 42); 112 not-attended outpatient appointments (status 2 or 3: 31 + 81) filtered.
        #expect(r.stderr.contains("ingest-gp: read 13130 records; emitted 13018; filtered 112"))
        #expect(!r.stderr.contains("999"), "no NHS number in diagnostics")
    }

    @Test("--help shows real examples")
    func help() throws {
        let r = try Programs.run("ingest-gp", ["--help"])
        #expect(r.status == 0)
        #expect(r.out.contains("Examples:") && r.out.contains("ingest-gp --format synthea examples/data/synthea"))
    }

    @Test("GP2GP and FHIR sources with a demographics file; FHIR NDJSON on standard input; the old --preset name")
    func documents() throws {
        let r = try Programs.run("ingest-gp", ["--format", "gp2gp", "examples/data/gp2gp", "--demographics", "examples/data/gp2gp-demographics.csv",
                                               "fhir:examples/data/fhir"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.out.split(separator: "\n").count == 5)
        #expect(r.stderr.contains("rejected 4 (invalid date: 2, no usable patient row: 1, unreadable JSON: 1)"), "\(r.stderr)")
        #expect(!r.stderr.contains("9990000") && !r.stderr.contains("1234567890"), "no NHS number in diagnostics")
        let piped = try Programs.run("ingest-gp", ["fhir:-"], stdin: "\(Programs.root)/examples/data/fhir/bulk/Patient.ndjson")
        #expect(piped.status == 0 && piped.out.hasPrefix("{\"id\":\"fhir:Patient/p-77\""), "\(piped.out)")
        let pretty = try Programs.run("ingest-gp", ["fhir:-"], stdin: "\(Programs.root)/examples/data/fhir/ukcore-9990000018.json")
        #expect(pretty.status == 65 && pretty.stderr.contains("jq -c"), "\(pretty.stderr)")
        let old = try Programs.run("ingest-gp", ["--preset", "gp2gp", "examples/data/gp2gp/ehr-9990000018.xml"])
        #expect(old.status == 0 && old.out.hasPrefix("{\"id\":\"9990000018\""))
    }

    @Test("warnings past the first 25 are counted, not printed")
    func manyWarnings() throws {
        let dir = try temporaryFolder()
        for i in 0..<30 {   // each copy warns once: its second extract has an invalid NHS number
            try FileManager.default.copyItem(atPath: Programs.root + "/examples/data/gp2gp/practice-batch.xml", toPath: dir + "/b\(i).xml")
        }
        let r = try Programs.run("ingest-gp", ["gp2gp:" + dir, "-o", "/dev/null"])
        #expect(r.status == 0)
        #expect(r.stderr.components(separatedBy: "ingest-gp: warning:").count - 1 == 25)
        #expect(r.stderr.contains("ingest-gp: … and 5 more warnings"))
    }

    @Test("usage errors exit 64", arguments: [[String](), ["--memory", "lots", "x"], ["nosuchpreset:dir"]])
    func usage(_ args: [String]) throws {
        let r = try Programs.run("ingest-gp", args)
        #expect(r.status == 64, "\(r.stderr)")
    }

    @Test("a missing input folder exits 66 and names it")
    func noInput() throws {
        let r = try Programs.run("ingest-gp", ["/nonexistent/extract"])
        #expect(r.status == 66)
        #expect(r.stderr.contains("/nonexistent/extract"))
    }

    @Test("an output that cannot be created exits 73")
    func cannotCreate() throws {
        let r = try Programs.run("ingest-gp", ics + ["-o", "/nonexistent/out.jsonl"])
        #expect(r.status == 73)
    }

    @Test("a --temp-dir where the spill file cannot be made exits 73, naming the folder")
    func cannotSpill() throws {
        let r = try Programs.run("ingest-gp", ics + ["--memory", "64K", "--temp-dir", "/nonexistent/tmp", "-q"])
        #expect(r.status == 73)
        #expect(r.stderr.contains("cannot create a temporary file in /nonexistent/tmp: No such file or directory (set --temp-dir)"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test("--strict exits 65 at the first bad row, leaving no output file")
    func strict() throws {
        let dir = try temporaryFolder()
        let r = try Programs.run("ingest-gp", ["Tests/Fixtures/tables/bad", "--strict", "-o", dir + "/out.jsonl"])
        #expect(r.status == 65)
        #expect(r.stderr.contains("patients.csv:3: nhs_number: invalid NHS number"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test("a reader that stops early (| head) ends the program quietly with 0")
    func brokenPipe() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Programs.path("ingest-gp"))
        process.arguments = ics
        process.currentDirectoryURL = URL(fileURLWithPath: Programs.root)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        _ = out.fileHandleForReading.readData(ofLength: 100)
        try out.fileHandleForReading.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(!stderr.contains("error") && !stderr.contains("cannot"), "\(stderr)")
    }

    @Test("SIGTERM or SIGINT leaves the old output intact and no temporary files or folders", arguments: [SIGTERM, SIGINT])
    func sigterm(_ signal: Int32) throws {
        let dir = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: dir + "/big", withIntermediateDirectories: true)
        _ = try ExtractWriter.write(PopulationSettings(people: 20000, seed: 5), format: .tables, folder: dir + "/big", badRows: 0)
        try "old\n".write(toFile: dir + "/out.jsonl", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Programs.path("ingest-gp"))
        process.arguments = [dir + "/big", "-o", dir + "/out.jsonl", "--memory", "1M", "--temp-dir", dir]
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(300_000)
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 128 + signal)
        #expect(try String(contentsOfFile: dir + "/out.jsonl", encoding: .utf8) == "old\n")
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0 != "big" && $0 != "out.jsonl" }
        #expect(left.isEmpty, "left behind: \(left)")
    }

    @Test("same input, same output, byte for byte")
    func deterministic() throws {
        let a = try Programs.run("ingest-gp", ics + ["-q"]), b = try Programs.run("ingest-gp", ics + ["-q", "--memory", "64K"])
        #expect(a.stdout == b.stdout && !a.stdout.isEmpty)
    }
}

@Suite("Shipped files stay true")
struct ShippedFilesTests {
    @Test("the bundled examples are exactly what synth-extract writes", arguments: [
        (["--people", "300", "--seed", "7", "--split"], "examples/data/ics"),
        (["--people", "50", "--seed", "7", "--format", "synthea"], "examples/data/synthea"),
    ])
    func examples(_ args: [String], _ folder: String) throws {
        let dir = try temporaryFolder()
        let r = try Programs.run("synth-extract", args + ["--out", dir, "-q"])
        #expect(r.status == 0)
        let shipped = Programs.root + "/" + folder
        let files = try FileManager.default.subpathsOfDirectory(atPath: shipped).filter { $0.hasSuffix(".csv") }.sorted()
        #expect(files == (try FileManager.default.subpathsOfDirectory(atPath: dir).filter { $0.hasSuffix(".csv") }.sorted()))
        for f in files {
            #expect(FileManager.default.contentsEqual(atPath: shipped + "/" + f, andPath: dir + "/" + f), "\(folder)/\(f) is stale")
        }
    }

    @Test("completion scripts are regenerated from the parsers", arguments: ["ingest-gp", "synth-extract", "risk-score", "mdt-list", "pathway-audit", "outcome-report", "risk-model", "impact-report"])
    func completions(_ program: String) throws {
        for (shell, ext) in [("bash", "bash"), ("zsh", "zsh"), ("fish", "fish")] {
            let r = try Programs.run(program, ["--generate-completion-script", shell])
            let committed = try String(contentsOfFile: "\(Programs.root)/completions/\(program).\(ext)", encoding: .utf8)
            #expect(r.out == committed, "completions/\(program).\(ext) is stale: run `make generated`")
        }
    }

    @Test("man pages name every option the parser has", arguments: ["ingest-gp", "synth-extract", "risk-score", "mdt-list", "pathway-audit", "outcome-report", "risk-model", "impact-report"])
    func manPages(_ program: String) throws {
        let page = try String(contentsOfFile: "\(Programs.root)/man/\(program).1", encoding: .utf8)
        let dump = try Programs.run(program, ["--experimental-dump-help"])
        let json = try JSONSerialization.jsonObject(with: dump.stdout) as? [String: Any]
        let command = json?["command"] as? [String: Any]
        let arguments = command?["arguments"] as? [[String: Any]] ?? []
        #expect(!arguments.isEmpty)
        for a in arguments {
            for n in a["names"] as? [[String: Any]] ?? [] where n["kind"] as? String == "long" {
                let name = n["name"] as? String ?? ""
                if name == "help" || name == "version" { continue }
                #expect(page.contains("Fl -\(name) ") || page.contains("Fl -\(name)\n") || page.contains(", -\(name) Ar"),
                        "man/\(program).1 lacks --\(name): run `make generated`")
            }
        }
    }
}
