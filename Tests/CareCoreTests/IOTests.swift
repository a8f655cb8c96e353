import Foundation
import Testing
@testable import CareCore

/// A fresh temporary folder per test.
func temporaryFolder(_ name: String = #function) throws -> String {
    let path = NSTemporaryDirectory() + "joinedup-test-\(name.filter { $0.isLetter })-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func lines(of path: String, blockSize: Int = 1 << 20) throws -> [String] {
    var out: [String] = []
    try LineReader(try InputFile(path: path), blockSize: blockSize).forEachLine { line, _ in
        out.append(String(decoding: line, as: UTF8.self))
    }
    return out
}

@Suite("Input and output")
struct IOTests {
    @Test("line reader: CRLF, BOM, missing final newline, lines longer than a block")
    func lineReader() throws {
        let dir = try temporaryFolder()
        let long = String(repeating: "x", count: 100)
        let text = "\u{FEFF}first\r\nsecond\n\n\(long)\nlast"
        try text.write(toFile: dir + "/in.txt", atomically: true, encoding: .utf8)
        for block in [7, 64, 1 << 20] {
            #expect(try lines(of: dir + "/in.txt", blockSize: block) == ["first", "second", "", long, "last"])
        }
    }

    @Test("a missing input is exit 66 naming the file")
    func missingInput() {
        #expect {
            try InputFile(path: "/nonexistent/x.csv")
        } throws: { error in
            (error as? CareError)?.status == .noInput && "\(error)".contains("/nonexistent/x.csv")
        }
    }

    @Test("atomic output: the old file stays until commit; abandon leaves it untouched")
    func atomic() throws {
        let dir = try temporaryFolder()
        let path = dir + "/out.jsonl"
        try "old\n".write(toFile: path, atomically: true, encoding: .utf8)
        let f = try OutputFile(path: path)
        try f.write(Array("new\n".utf8))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
        f.abandon()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.jsonl"])
        let g = try OutputFile(path: path)
        try g.write(Array("new\n".utf8))
        try g.commit()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.jsonl"])
    }

    @Test("an output in a missing folder is exit 73")
    func cannotCreate() {
        #expect {
            try OutputFile(path: "/nonexistent/out.jsonl")
        } throws: { error in
            (error as? CareError)?.status == .cantCreate
        }
    }
}

@Suite("Diagnostics")
struct DiagnosticsTests {
    @Test("counts reconcile and rejects go to the rejects file as JSON lines")
    func rejectsFile() throws {
        let dir = try temporaryFolder()
        let d = try Diagnostics(program: "test", unit: "rows", quiet: true, rejectsPath: dir + "/rejects.jsonl")
        d.countRead(5)
        d.countEmitted(3)
        d.filter(reason: "opt-out")
        try d.reject(Reject(source: "a.csv", line: 7, field: "date", reason: "invalid date", value: "2023-02-30"))
        try d.finish()
        #expect(d.read == d.emitted + d.filteredTotal + d.rejectedTotal)
        let rejects = try lines(of: dir + "/rejects.jsonl")
        #expect(rejects == [#"{"source":"a.csv","line":7,"field":"date","reason":"invalid date","value":"2023-02-30"}"#])
        #expect(d.summary() == "test: read 5 rows; emitted 3; filtered 1 (opt-out: 1); rejected 1 (invalid date: 1)")
    }

    @Test("--strict stops at the first reject with exit 65")
    func strict() throws {
        let d = try Diagnostics(program: "test", quiet: true, strict: true)
        #expect {
            try d.reject(Reject(source: "a.csv", line: 2, reason: "ragged row"))
        } throws: { error in
            (error as? CareError)?.status == .dataError
        }
    }
}

/// CSV written for spreadsheets: formula injection neutralised (OWASP "CSV Injection").
@Suite("CSV text")
struct CSVTextTests {
    @Test("cells a spreadsheet would run are quoted behind a ' ; numbers and plain text are not", arguments: [
        ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""), ("+cmd|' /C calc'!A0", "\"'+cmd|' /C calc'!A0\""),
        ("-2+3", "\"'-2+3\""), ("@SUM(A1)", "\"'@SUM(A1)\""), ("\tx", "\"'\tx\""), ("-1.5", "-1.5"), ("+44", "+44"),
        ("ZZ0001", "ZZ0001"), ("a,b", "\"a,b\""), ("", ""),
    ])
    func formulas(_ cell: String, _ expected: String) {
        #expect(CSVText.field(cell) == expected)
        var bytes: [UInt8] = []
        CSVText.append(cell, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
    }

    @Test("verbatim cells (extract tables read back by a program) are only quoted")
    func verbatim() {
        var bytes: [UInt8] = []
        CSVText.appendVerbatim("=x", to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "=x")
    }
}

/// Temporary files registered for removal on a signal: more than the 256 the first version held.
@Suite("temporary files")
struct TemporaryFilesTests {
    // (removeAll itself is not called here: it would remove other tests' temporary files too;
    // the SIGTERM tests of the programs exercise it.)
    @Test("a thousand files can be registered at once (the first version held 256, and lost the rest)")
    func many() throws {
        let dir = NSTemporaryDirectory() + "joinedup-tmpfiles-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let paths = (0..<1000).map { dir + "/f\($0)" }
        for p in paths {
            _ = FileManager.default.createFile(atPath: p, contents: Data("x".utf8))
            #expect(TemporaryFiles.register(p))
        }
        #expect(TemporaryFiles.capacity >= 1 << 16)
        for p in paths { TemporaryFiles.unregister(p) }
        try FileManager.default.removeItem(atPath: dir)
    }

    @Test("a spill file has no name on disk, with O_TMPFILE or without; a missing folder is named in the error", arguments: [true, false])
    func unnamed(_ withTmpfile: Bool) throws {
        let dir = try temporaryFolder()
        let fd = try withTmpfile ? TemporaryNames.unnamedFile(in: dir, hint: "set --temp-dir") : TemporaryNames.unlinkedFile(in: dir, hint: "set --temp-dir")
        defer { close(fd) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
        #expect(write(fd, "runs", 4) == 4 && readBack(fd) == "runs")
        do {
            _ = try withTmpfile ? TemporaryNames.unnamedFile(in: dir + "/gone", hint: "set --temp-dir")
                : TemporaryNames.unlinkedFile(in: dir + "/gone", hint: "set --temp-dir")
            Issue.record("a missing folder was accepted")
        } catch let e as CareError {
            #expect(e.status == .cantCreate && e.message == "cannot create a temporary file in \(dir)/gone: No such file or directory (set --temp-dir)")
        }
    }

    private func readBack(_ fd: Int32) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        let n = pread(fd, &bytes, bytes.count, 0)
        return String(decoding: bytes.prefix(max(n, 0)), as: UTF8.self)
    }

    @Test("createFile makes a private file from the template and words a failure in the caller's terms")
    func createFile() throws {
        let dir = try temporaryFolder()
        let made = try TemporaryFiles.createFile(dir + "/spool.XXXXXX") { CareError(.cantCreate, "cannot spool: \($0)") }
        defer { close(made.fd); unlink(made.path); TemporaryFiles.unregister(made.path) }
        #expect(made.path.hasPrefix(dir + "/spool.") && made.path.count == dir.count + 13)
        var st = stat()
        #expect(fstat(made.fd, &st) == 0 && st.st_mode & 0o777 == 0o600)
        #expect(TemporaryFiles.creating { 41 + 1 } == 42)
        do {
            _ = try TemporaryFiles.createFile(dir + "/no/such/folder/x.XXXXXX") { CareError(.cantCreate, "cannot spool: \($0)") }
            Issue.record("a template in a missing folder was accepted")
        } catch let e as CareError {
            #expect(e.status == .cantCreate && e.message == "cannot spool: No such file or directory")
        }
    }
}
