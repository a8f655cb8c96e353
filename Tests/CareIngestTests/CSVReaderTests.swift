import Foundation
import Testing
@testable import CareCore
@testable import CareIngest

@Suite("CSV reader (libcsv)")
struct CSVReaderTests {
    /// Reads `text` and returns (records as field lists with their start line, problems).
    func read(_ text: String) throws -> ([(Int, [String])], [CSVProblem]) {
        let dir = try temporaryFolder()
        try text.write(toFile: dir + "/t.csv", atomically: true, encoding: .utf8)
        var records: [(Int, [String])] = []
        var problems: [CSVProblem] = []
        try CSVReader(try InputFile(path: dir + "/t.csv")).read(record: { r in
            records.append((r.line, (0..<r.count).map { String(decoding: r[$0], as: UTF8.self) }))
        }, problem: { problems.append($0) })
        return (records, problems)
    }

    @Test("quoted fields: commas, doubled quotes, newlines; spaces kept; line numbers of record starts")
    func quoting() throws {
        let (records, problems) = try read("a,b,c\n\"x, y\",\"say \"\"hi\"\"\", z \n\"two\nlines\",2,3\r\n\n4,,6")
        #expect(problems.isEmpty)
        #expect(records.map(\.0) == [1, 2, 3, 6])
        #expect(records[1].1 == ["x, y", "say \"hi\"", " z "])
        #expect(records[2].1 == ["two\nlines", "2", "3"])
        #expect(records[3].1 == ["4", "", "6"])
    }

    @Test("a byte-order mark is skipped")
    func bom() throws {
        let (records, _) = try read("\u{FEFF}Id,NAME\n1,x\n")
        #expect(records[0].1 == ["Id", "NAME"])
    }

    @Test("malformed quoting is reported with its line and reading goes on")
    func malformed() throws {
        let (records, problems) = try read("a,b\n1,\"x\"y\n2,ok\n")
        #expect(problems.map(\.line) == [2])
        #expect(problems[0].reason == "malformed quoting")
        #expect(records.map(\.1) == [["a", "b"], ["2", "ok"]])
    }

    @Test("an unbalanced quote at the end is reported at the line that opened it")
    func unbalanced() throws {
        let (records, problems) = try read("a,b\n1,ok\n2,\"never closed\n3,x\n4,y\n")
        #expect(records.count == 2)
        #expect(problems.count == 1)
        #expect(problems[0].line == 3 && problems[0].reason == "unbalanced quote")
    }
}

@Suite("External sorter")
struct ExternalSorterTests {
    func run(budget: Int, count: Int) throws -> (out: [(String, Int)], runs: Int, passes: Int) {
        let dir = try temporaryFolder()
        let sorter = ExternalSorter(memoryBudget: budget, temporaryParent: dir)
        var rng = SystemRandomNumberGenerator()
        var input: [(String, Int)] = []
        for i in 0..<count {
            // Few distinct keys, of different lengths, so ties and prefixes are common.
            let key = String(repeating: "k", count: Int.random(in: 0...9, using: &rng)) + String(Int.random(in: 0...40, using: &rng))
            input.append((key, i))
            try sorter.add(key: Array(key.utf8), payload: Array(String(i).utf8) + [UInt8](repeating: 0x2E, count: 40))
        }
        var out: [(String, Int)] = []
        try sorter.finish { k, p in
            out.append((String(decoding: k, as: UTF8.self), Int(String(decoding: p.prefix { $0 != 0x2E }, as: UTF8.self))!))
        }
        let runs = sorter.runCount, passes = sorter.mergePasses
        // Expected: by key bytes, ties in insertion order.
        let expected = input.enumerated().sorted { a, b in
            let ka = Array(a.element.0.utf8), kb = Array(b.element.0.utf8)
            return ka.lexicographicallyPrecedes(kb) || (ka == kb && a.offset < b.offset)
        }.map(\.element)
        #expect(out.map(\.0) == expected.map(\.0))
        #expect(out.map(\.1) == expected.map(\.1))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty, "runs are removed")
        return (out, runs, passes)
    }

    @Test("in memory: sorted by key, ties in insertion order")
    func inMemory() throws {
        let r = try run(budget: 64 << 20, count: 5000)
        #expect(r.runs == 0)
    }

    @Test("spilling to many runs gives the same order")
    func spilled() throws {
        let r = try run(budget: 1, count: 20000)   // the minimum budget (64 KiB): many runs
        #expect(r.runs > 5)
    }

    @Test("more runs than the budget has read buffers for: merged in passes, the same order")
    func mergedInPasses() throws {
        // 64 KiB: two 16 KiB read buffers at a time, so hundreds of runs take several passes.
        let r = try run(budget: 64 << 10, count: 60000)
        #expect(r.runs > 100 && r.passes >= 2, "\(r.runs) runs, \(r.passes) passes")
    }
}
