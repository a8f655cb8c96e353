import Foundation
import Testing

@Suite("mdt-list as a program")
struct MDTListProgramTests {
    /// The bundled example, joined and scored (the nightly pipeline).
    func scored() throws -> String {
        let dir = try temporaryFolder()
        #expect(try Programs.run("ingest-gp", ["examples/data/ics/gp", "examples/data/ics/hospital", "examples/data/ics/council",
                                               "-q", "-o", dir + "/people.jsonl"]).status == 0)
        #expect(try Programs.run("risk-score", [dir + "/people.jsonl", "--as-of", "2026-04-01", "-q", "-o", dir + "/scored.jsonl"]).status == 0)
        return dir + "/scored.jsonl"
    }

    /// Starts mdt-list reading a pipe that stays open, so the run is still going.
    func startBlocked(_ args: [String]) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Programs.path("mdt-list"))
        process.arguments = ["-"] + args
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(300_000)
        return (process, input)
    }

    @Test("writes one list per practice and an index; a re-run is byte-identical")
    func outDir() throws {
        let input = try scored()
        let dir = try temporaryFolder()
        let args = [input, "--as-of", "2026-04-01", "--top", "5", "--format", "html", "--out-dir", dir + "/lists"]
        let r = try Programs.run("mdt-list", args)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("mdt-list: read 300 people; emitted "))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/lists").filter { !$0.hasPrefix(".") }.sorted()
        #expect(files.contains("index.html") && files.count >= 2)
        let first = try files.map { try Data(contentsOf: URL(fileURLWithPath: dir + "/lists/" + $0)) }
        #expect(try Programs.run("mdt-list", args).status == 0)
        let second = try files.map { try Data(contentsOf: URL(fileURLWithPath: dir + "/lists/" + $0)) }
        #expect(first == second)
        #expect(!r.stderr.contains("999"), "no NHS number in diagnostics")
    }

    @Test("--top-percent reading standard input: the same lists as from the file, an over-long record rejected at its place, nothing left in TMPDIR")
    func topPercentFromStandardInput() throws {
        let dir = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: dir + "/tmp", withIntermediateDirectories: true)
        let lines = try String(contentsOfFile: try scored(), encoding: .utf8).split(separator: "\n")
        var input = Data((lines[..<150].joined(separator: "\n") + "\n").utf8)
        input.append(Data(#"{"id":"x","note":""#.utf8))
        input.append(Data(repeating: UInt8(ascii: "a"), count: 70 << 20))
        input.append(Data("\"}\n".utf8))
        input.append(Data((lines[150...].joined(separator: "\n") + "\n").utf8))
        try input.write(to: URL(fileURLWithPath: dir + "/in.jsonl"))
        let args = ["--as-of", "2026-04-01", "--top-percent", "5", "--format", "csv"]

        let fromFile = try Programs.run("mdt-list", [dir + "/in.jsonl"] + args)
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Programs.path("mdt-list"))
        process.arguments = ["-", "-o", dir + "/from-stdin.csv"] + args
        process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": dir + "/tmp"]) { $1 }
        process.standardInput = FileHandle(forReadingAtPath: dir + "/in.jsonl")
        _ = FileManager.default.createFile(atPath: dir + "/stderr", contents: nil)
        process.standardError = FileHandle(forWritingAtPath: dir + "/stderr")
        try process.run()
        process.waitUntilExit()
        let stderr = try String(contentsOfFile: dir + "/stderr", encoding: .utf8)
        #expect(process.terminationStatus == 0, "\(stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/from-stdin.csv")) == fromFile.stdout && !fromFile.stdout.isEmpty)
        #expect(stderr.contains("standard input:151: record too long"), "\(stderr)")
        #expect(fromFile.stderr.contains("in.jsonl:151: record too long"), "\(fromFile.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/tmp").isEmpty, "the spool has no name")
    }

    @Test("a second run while the first holds the lock exits 75")
    func lock() throws {
        let dir = try temporaryFolder()
        let (first, pipe) = try startBlocked(["--out-dir", dir, "--min-people", "0"])
        let second = try Programs.run("mdt-list", ["/dev/null", "--out-dir", dir])
        #expect(second.status == 75)
        #expect(second.stderr.contains("another mdt-list run holds the lock"))
        try pipe.fileHandleForWriting.close()
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        #expect(try Programs.run("mdt-list", ["/dev/null", "--out-dir", dir, "--min-people", "0"]).status == 0, "the lock is released")
    }

    @Test("a failed or killed run leaves the old lists intact and nothing partial")
    func failures() throws {
        let dir = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: dir + "/lists", withIntermediateDirectories: true)
        try "old\n".write(toFile: dir + "/lists/index.jsonl", atomically: true, encoding: .utf8)
        try "{\"id\":\"a\"}\n{\"id\":\n".write(toFile: dir + "/bad.jsonl", atomically: true, encoding: .utf8)
        let strict = try Programs.run("mdt-list", [dir + "/bad.jsonl", "--strict", "--out-dir", dir + "/lists"])
        #expect(strict.status == 65)
        let (killed, pipe) = try startBlocked(["--out-dir", dir + "/lists"])
        killed.terminate()
        killed.waitUntilExit()
        try? pipe.fileHandleForWriting.close()
        #expect(killed.terminationStatus == 128 + 15 || killed.terminationReason == .uncaughtSignal)
        #expect(try String(contentsOfFile: dir + "/lists/index.jsonl", encoding: .utf8) == "old\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/lists").filter { !$0.hasPrefix(".mdt-list.lock") } == ["index.jsonl"])
    }

    @Test("usage errors exit 64 and point at the column", arguments: [
        ["x", "--where", "age >= and"], ["x", "--top", "3", "--top-percent", "2"], ["x", "--format", "pdf"],
        ["x", "--rank-by", "risk..efi"], ["x", "--review-gap", "soon"], ["x", "--top-percent", "0"],
    ])
    func usage(_ args: [String]) throws {
        let r = try Programs.run("mdt-list", args)
        #expect(r.status == 64, "\(r.stderr)")
        if args.contains("--where") { #expect(r.stderr.contains("column 8") && r.stderr.contains("^")) }
    }

    @Test("--help shows real examples")
    func help() throws {
        let r = try Programs.run("mdt-list", ["--help"])
        #expect(r.status == 0 && r.out.contains("Examples:") && r.out.contains("--top-percent 2"))
    }
}
