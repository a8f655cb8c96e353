import Foundation
import Testing
@testable import CareCore
@testable import CareMDT

/// The choosing pass on several threads (each keeping its own best of each group, merged at the
/// end) gives the lists, the reasons and the counts of one thread.
@Suite("mdt-list on several threads")
struct ThreadsTests {
    @Test("threads 1, 2 and 3 on small batches: the same entries, left entries and counts", arguments: [false, true])
    func sameLists(topPercent: Bool) throws {
        // 600 people in 5 practices; ties in score (broken by id), some excluded, some not
        // meeting --where, a previous list with people who moved, left, or stay.
        var people: [Scored] = []
        for i in 0..<600 {
            var p = Scored(id: String(9_000_000_000 + i * 7919 % 600))
            p.practice = "P\(i % 5)"
            p.efi = Double(i % 37) / 100
            p.hfrs = Double(i % 11)
            if i % 50 == 0 { p.extra = #","death_date":"2025-01-01""# }
            if i % 13 == 0 { p.birth = "2000-01-01" }
            people.append(p)
        }
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write(people, to: dir + "/in.jsonl")
        var previous = ""
        for (k, p) in people.prefix(40).enumerated() {
            previous += #"{"group":"\#(k % 3 == 0 ? "P9" : p.practice)","rank":\#(k + 1),"id":"\#(p.id)"}"# + "\n"
        }
        try previous.write(toFile: dir + "/previous.jsonl", atomically: true, encoding: .utf8)
        func run(_ threads: Int) throws -> (String, [String: Int], Int) {
            var s = MDTSettings(asOf: ISODate.parse("2026-04-01")!, rankBy: try RankKey.parseList("risk.hfrs.score,risk.efi.score"))
            s.size = topPercent ? .topPercent(10) : .top(7)
            s.filter = try Expression.parse("age >= 65")
            s.previous = try PreviousList(path: dir + "/previous.jsonl")
            let d = try Diagnostics(program: "mdt-list", unit: "people", quiet: true)
            let l = try MDTRun.run(inputPath: dir + "/in.jsonl", settings: s, diagnostics: d, threads: threads, batchBytes: 4096)
            let text = l.groups.map { g in
                g.name + ": " + g.entries.map { "\($0.id) \($0.status)" }.joined(separator: ", ") + " | left " + g.left.map { "\($0.id) \($0.reason)" }.joined(separator: ", ")
            }.joined(separator: "\n")
            return (text, d.filtered, d.read)
        }
        let one = try run(1)
        #expect(one.0.contains("moved to") && one.0.contains("left") && one.1["ranked below the top of its group"] ?? 0 > 100)
        for threads in [2, 3] {
            let many = try run(threads)
            #expect(many.0 == one.0)
            #expect(many.1 == one.1 && many.2 == one.2 && one.2 == 600)
        }
    }
}
