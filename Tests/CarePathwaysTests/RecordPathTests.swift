import Foundation
import Testing
@testable import CareCore
@testable import CarePathways

@Suite struct PathwayRecordPathTests {
    func run(_ input: String, summary: Bool = false, csv: Bool = false, threads: Int = 2) throws -> (String, Diagnostics) {
        let dir = NSTemporaryDirectory() + "joinedup-pw-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try input.write(toFile: dir + "/in.jsonl", atomically: true, encoding: .utf8)
        var options = PathwayOptions(asOf: ISODate.parse("2026-04-01")!)
        options.summary = summary
        options.csv = csv
        options.threads = threads
        let d = try Diagnostics(program: "pathway-audit", unit: "people", quiet: true)
        var out: [UInt8] = []
        try PathwayRun.run(input: InputFile(path: dir + "/in.jsonl"), pathways: [try bundled("emergency-discharge-follow-up")],
                           options: options, diagnostics: d) { out += $0 }
        return (String(decoding: out, as: UTF8.self), d)
    }

    func people() -> String {
        var lines: [String] = []
        for i in 0..<40 {
            var p = Person()
            p.id = "p\(i)"
            p.practice = i % 2 == 0 ? "P1" : "P2"
            p.admission("2026-01-05", "2026-01-10")
            if i % 4 < 3 { p.event("2026-01-1\(i % 4 + 1)", "271649006") }   // 3 in 4 followed up in time
            lines.append(p.line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func recordsGainPathwaysAndKeepTheRest() throws {
        var p = Person()
        p.extra = #""pathways":{"old":true},"x":[1, 2],"#
        p.admission("2026-01-05", "2026-01-10")
        let (out, d) = try run(p.line + "\n")
        #expect(d.emitted == 1)
        #expect(!out.contains("\"old\""))
        #expect(out.contains(#","x":[1, 2],"#))
        let v = try JSONSerialization.jsonObject(with: Data(out.utf8)) as! [String: Any]
        let pw = v["pathways"] as! [String: Any]
        #expect(pw["as_of"] as? String == "2026-04-01")
        let inst = (pw["emergency-discharge-follow-up"] as! [[String: Any]])[0]
        #expect(inst["status"] as? String == "incomplete")
        #expect(((inst["steps"] as! [[String: Any]])[0]["status"]) as? String == "missed")
    }

    @Test func summaryCountsPerGroupAndTheSameWhateverTheThreads() throws {
        let (one, d) = try run(people(), summary: true, threads: 1)
        let (two, _) = try run(people(), summary: true, threads: 3)
        #expect(one == two)
        #expect(d.read == 40 && d.emitted == 40)
        let rows = one.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let step = rows.first { $0["group"] as? String == "P1" && $0["item"] as? String == "step:contact" }!
        // P1 has i = 0, 2, …, 38: i % 4 is 0 or 2, both followed up in time: 20 met.
        #expect(step["met"] as? Int == 20 && step["compliance"] as? Double == 1)
        let p2 = rows.first { $0["group"] as? String == "P2" && $0["item"] as? String == "step:contact" }!
        // P2 has i % 4 of 1 (in time) and 3 (no contact): 10 met, 10 missed.
        #expect(p2["met"] as? Int == 10 && p2["missed"] as? Int == 10 && p2["compliance"] as? Double == 0.5)
        let csv = try run(people(), summary: true, csv: true).0
        #expect(csv.hasPrefix("pathway,group,item,title,instances,met,late,missed,pending,not_applicable,compliance,"))
    }

    @Test func badLinesAreRejected() throws {
        let (_, d) = try run("{\"id\":\n{\"practice\":\"P1\"}\n")
        #expect(d.rejected == ["invalid JSON": 1, "missing id": 1])
    }
}
