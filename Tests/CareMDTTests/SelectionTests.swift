import Foundation
import Testing
@testable import CareCore
@testable import CareMDT

@Suite struct SelectionTests {
    @Test func ranksByKeysThenId() throws {
        let people = [Scored(id: "c", efi: 0.3), Scored(id: "a", efi: 0.3), Scored(id: "b", efi: 0.5),
                      Scored(id: "d", efi: 0.3, hfrs: 2), Scored(id: "e", efi: nil)]
        let (l, _) = try lists(people) { $0.size = .top(10) }
        // b highest eFI; d ties a and c on eFI but has the higher HFRS; a before c by id; e has no
        // eFI: last.
        #expect(ids(l) == ["b", "d", "a", "c", "e"])
        #expect(l.groups[0].entries.map(\.position) == [1, 2, 3, 4, 5])
        let (shuffled, _) = try lists(people.reversed()) { $0.size = .top(10) }
        #expect(ids(shuffled) == ids(l))
        let (ascending, _) = try lists(people) { $0.rankBy = try RankKey.parseList("risk.efi.score:asc"); $0.size = .top(10) }
        #expect(ids(ascending) == ["a", "c", "d", "b", "e"])
    }

    @Test func topNPerGroup() throws {
        var people: [Scored] = []
        for i in 0..<7 { people.append(Scored(id: "p1-\(i)", practice: "P1", efi: Double(i) / 10)) }
        for i in 0..<2 { people.append(Scored(id: "p2-\(i)", practice: "P2", efi: Double(i) / 10)) }
        let (l, d) = try lists(people) { $0.size = .top(3) }
        #expect(l.groups.map(\.name) == ["P1", "P2"])
        #expect(ids(l, "P1") == ["p1-6", "p1-5", "p1-4"])
        #expect(ids(l, "P2") == ["p2-1", "p2-0"])
        #expect(d.filtered == ["ranked below the top of its group": 4])
    }

    @Test func topPercentOfEligiblePeopleRoundsUp() throws {
        // P1: 10 people, one of them dead → 9 eligible; 15 % of 9 = 1.35 → 2. P2: 3 → 0.45 → 1.
        var people: [Scored] = []
        for i in 0..<10 { people.append(Scored(id: "a\(i)", practice: "P1", efi: Double(i) / 10, extra: i == 9 ? #","death_date":"2026-01-01""# : "")) }
        for i in 0..<3 { people.append(Scored(id: "b\(i)", practice: "P2", efi: Double(i) / 10)) }
        let (l, _) = try lists(people) { $0.size = .topPercent(15) }
        #expect(ids(l, "P1") == ["a8", "a7"])
        #expect(ids(l, "P2") == ["b2"])
        #expect(l.groups.map(\.eligible) == [9, 3])
    }

    @Test func whereSelects() throws {
        let people = [Scored(id: "a", efi: 0.3, category: "moderate"), Scored(id: "b", efi: 0.4, category: "severe"),
                      Scored(id: "c", efi: 0.2, category: "mild"), Scored(id: "d", efi: 0.5, category: "severe", birth: "1980-01-01")]
        let (l, d) = try lists(people) { $0.filter = try Expression.parse("risk.efi.category >= moderate and age >= 65") }
        #expect(ids(l) == ["b", "a"])
        #expect(d.filtered == ["does not meet --where": 2])
    }

    @Test(arguments: [
        // (extra JSON, encounters, expected reason or nil) — as-of 2026-04-01, review gap 90 days.
        (#","death_date":"2026-04-01""#, [String](), "died" as String?),
        (#","death_date":"2026-04-02""#, [], nil),                                   // dies after as-of: still listed
        (#","registration_end":"2026-03-31""#, [], "no active registration"),
        (#","registration_end":"2026-04-01""#, [], nil),                             // registered to the day
        ("", [#"{"kind":"mdt-review","start":"2026-01-01"}"#], "reviewed recently"), // 2026-01-01 + 90d = 2026-04-01: still out
        ("", [#"{"kind":"mdt-review","start":"2025-12-31"}"#], nil),                 // gap ended 2026-03-31: back on
        ("", [#"{"kind":"mdt-review","start":"2026-04-02"}"#], nil),                 // a future review does not count
    ])
    func exclusionsAndTheirExpiry(extra: String, encounters: [String], reason: String?) throws {
        let (l, d) = try lists([Scored(id: "x", extra: extra, encounters: encounters)])
        #expect(ids(l) == (reason == nil ? ["x"] : []))
        if let reason { #expect(d.filtered == [reason: 1]) }
    }

    @Test func exclusionListAndOptOutExpireOnTheirDay() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "id,reason,until\na,care plan agreed,2026-04-01\nb,in hospital,2026-03-31\n".write(toFile: dir + "/x.csv", atomically: true, encoding: .utf8)
        try "# opted out\nc\n".write(toFile: dir + "/optout.txt", atomically: true, encoding: .utf8)
        let (l, d) = try lists([Scored(id: "a"), Scored(id: "b"), Scored(id: "c")]) {
            try $0.exclusions.readList(dir + "/x.csv")
            try $0.exclusions.readOptOut(dir + "/optout.txt")
        }
        #expect(ids(l) == ["b"])
        #expect(d.filtered == ["on the exclusions list (care plan agreed)": 1, "opted out": 1])
    }

    @Test func changeSinceThePreviousList() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let previous = ["keep", "died", "moved", "improved", "outranked", "gone", "excluded"].map { #"{"group":"P1","id":"\#($0)"}"# }
        try (previous + [#"{"group":"P1","status":"left","id":"old","reason":"died"}"#]).joined(separator: "\n").write(toFile: dir + "/prev.jsonl", atomically: true, encoding: .utf8)
        var people = [Scored(id: "keep", efi: 0.9), Scored(id: "new", efi: 0.8), Scored(id: "died", extra: #","death_date":"2026-03-01""#),
                      Scored(id: "moved", practice: "P2", efi: 0.9), Scored(id: "improved", efi: 0.01),
                      Scored(id: "outranked", efi: 0.5), Scored(id: "excluded", extra: #","registration_end":"2026-01-01""#)]
        people.append(Scored(id: "third", efi: 0.7))
        let (l, _) = try lists(people) {
            $0.previous = try PreviousList(path: dir + "/prev.jsonl")
            $0.filter = try Expression.parse("risk.efi.score > 0.1")
            $0.size = .top(3)
        }
        let p1 = try #require(l.groups.first { $0.name == "P1" })
        #expect(p1.entries.map { "\($0.id):\($0.status)" } == ["keep:continuing", "new:new", "third:new"])
        let moved = try #require(l.groups.first { $0.name == "P2" })
        #expect(moved.entries.map { "\($0.id):\($0.status)" } == ["moved:new"])
        #expect(Dictionary(uniqueKeysWithValues: p1.left.map { ($0.id, $0.reason) }) == [
            "died": "died", "moved": "moved to P2", "improved": "improved: no longer meets --where",
            "outranked": "improved: ranked below the top of the group", "gone": "not in tonight's data",
            "excluded": "left out: no active registration",
        ])
    }

    @Test func badLinesAreRejectedNotDropped() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try (Scored(id: "a").line + "\n{\"id\":\n{\"practice\":\"P1\"}\n\n").write(toFile: dir + "/in.jsonl", atomically: true, encoding: .utf8)
        let diagnostics = try Diagnostics(program: "mdt-list", unit: "people", quiet: true)
        let l = try MDTRun.run(inputPath: dir + "/in.jsonl", settings: MDTSettings(asOf: ISODate.parse("2026-04-01")!, rankBy: try RankKey.parseList("risk.efi.score")), diagnostics: diagnostics)
        #expect(ids(l) == ["a"])
        #expect(diagnostics.rejected == ["invalid JSON": 1, "missing id": 1])
        #expect(diagnostics.filtered == ["blank line": 1])
    }

    @Test func rankKeysParse() throws {
        #expect(try RankKey.parseList("risk.efi.score, age:asc").map { "\($0.text) \($0.descending)" } == ["risk.efi.score true", "age false"])
        #expect(throws: (any Error).self) { try RankKey.parseList("risk..score") }
        #expect(throws: (any Error).self) { try RankKey.parseList("age:up") }
    }
}
