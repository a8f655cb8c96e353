import Foundation
import Testing
@testable import CareCore
@testable import CareMDT

/// Each output form against golden files checked by hand (Tests/Fixtures/mdt/golden: five
/// hand-made people of two practices in two teams, a previous list, as of 2026-04-01).
///
/// Worked: North (A81001) has 9990000018 (eFI 0.361 severe), 9990000026 (0.25 moderate) and
/// 9990000034 (0.5 severe, but an mdt-review on 2026-03-01, inside the 90-day gap: left out).
/// Top 2 by eFI: 0018 (new), 0026 (on the previous North list: continuing); 0034 left
/// ("reviewed recently"). South (B82002): 9990000042 (0.278 moderate) listed; 9990000050 is fit
/// (fails --where); 9990000059, on the previous list, is not in the data. Ages at 2026-04-01:
/// born 1938-05-02 → 87 (85-89); 1950-11-30 → 75; 1929-01-01 → 97 (90+).
/// What happens next for 0018 (its `pathways`): the annual review's blood pressure step, missed
/// with its window closing on the as-of day, is overdue (within 28 days); the follow-up contact is
/// due by 2026-04-06; the falls assessment missed in June 2025 is too old to show. 0042 has an
/// Elixhauser score of −3 (depression), which every form explains. 0018 lives in E01000001
/// (IMD 2019 decile 9: not Core20) and is recorded White British (A); 0042 in E01000027 (decile
/// 2: Core20), with no ethnicity recorded.
@Suite struct FormatTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/mdt").path

    func lists() throws -> MDTLists {
        var s = MDTSettings(asOf: ISODate.parse("2026-04-01")!, rankBy: try RankKey.parseList("risk.efi.score:desc,risk.hfrs.score:desc"))
        s.groupBy = "team"
        s.teams = try TeamMap(path: Self.fixtures + "/teams.csv")
        s.filterText = "risk.efi.category >= moderate"
        s.filter = try Expression.parse(s.filterText!)
        s.size = .top(2)
        s.previous = try PreviousList(path: Self.fixtures + "/previous.jsonl")
        let d = try Diagnostics(program: "mdt-list", unit: "people", quiet: true)
        let l = try MDTRun.run(inputPath: Self.fixtures + "/scored.jsonl", settings: s, diagnostics: d)
        #expect(d.filtered == ["does not meet --where": 1, "reviewed recently": 1])
        return l
    }

    @Test(arguments: ListFormat.allCases)
    func matchesTheGoldenFile(_ format: ListFormat) throws {
        let l = try lists()
        let golden = try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/golden/lists.\(format.rawValue)"))
        let out = Data(format.render(l.groups[...], lists: l))
        #expect(out == golden, "\(String(decoding: out, as: UTF8.self))")
    }

    @Test func jsonLinesReadBackAsThePreviousList() throws {
        let l = try lists()
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data(ListFormat.jsonl.render(l.groups[...], lists: l)).write(to: URL(fileURLWithPath: dir + "/p.jsonl"))
        let p = try PreviousList(path: dir + "/p.jsonl")
        #expect(p.groups == ["9990000018": "North", "9990000026": "North", "9990000042": "South"])
    }

    @Test func csvPutsTheNHSNumberFirstAndQuotesOnlyWhereNeeded() throws {
        let csv = String(decoding: ListFormat.csv.render(try lists().groups[...], lists: try lists()), as: UTF8.self)
        let lines = csv.split(separator: "\n")
        #expect(lines[0].hasPrefix("nhs_number,id,group,"))
        #expect(lines[1].hasPrefix("9990000018,9990000018,North,North,1,new,85-89,female,no,White,0.361,16.2,"))
        #expect(CSVText.field("a,b") == "\"a,b\"" && CSVText.field("say \"hi\"") == "\"say \"\"hi\"\"\"" && CSVText.field("plain") == "plain")
    }

    @Test("the agenda: a title over the expression, words before codes, NHS numbers kept whole, what happens next")
    func agendaReadsForPeople() throws {
        var l = try lists()
        l.settings.title = "Moderate or severe frailty"
        let html = String(decoding: ListFormat.html.render(l.groups[...], lists: l), as: UTF8.self)
        #expect(html.contains("<p class=\"selection\">Moderate or severe frailty</p>"))
        #expect(html.contains("<small>As of 2026-04-01. Selected where risk.efi.category &gt;= moderate."))
        #expect(html.contains("<span class=\"nowrap\">999 000 0018</span>") && html.contains("<span class=\"nowrap\">85-89</span>"))
        #expect(html.contains("<b>eFI</b> Falls, 2019 <small class=\"code\">snomed 161898004</small>"))
        #expect(html.contains("<b>Elixhauser</b> Depression (hospital, 2025)"))
        #expect(html.contains("overdue since 2026-04-01</span>: Blood pressure in the last 12 months"))
        #expect(html.contains("due by 2026-04-06</span>: Follow-up contact"))
        #expect(!html.contains("Falls risk assessment within 14 days"), "missed more than 28 days ago")
        #expect(html.contains("Elixhauser below 0: van Walraven"))
        #expect(html.contains("tr { break-inside: avoid") && html.contains("thead { display: table-header-group"))
    }

    @Test("the index has totals and practice names; an empty night says so, with the counts")
    func indexAndEmptyNight() throws {
        var l = try lists()
        l.settings.teams.practiceNames = ["North": "North Road Surgery"]
        let index = String(decoding: ListFormat.html.index(l), as: UTF8.self)
        #expect(index.contains("<th>Name</th>") && index.contains("<td>North Road Surgery</td>"))
        #expect(index.contains("<tr class=\"total\"><td>Total (2 lists)</td><td></td><td></td><td class=\"n\">3</td><td class=\"n\">2</td><td class=\"n\">2</td>"))
        let md = String(decoding: ListFormat.markdown.index(l), as: UTF8.self)
        #expect(md.contains("| **Total (2 lists)** | | | **3** | **2** | **2** | |"), "\(md)")
        var empty = l
        empty.groups = []
        empty.filtered = ["does not meet --where": 4, "died": 1]
        empty.peopleRead = 5
        for text in [String(decoding: ListFormat.html.index(empty), as: UTF8.self), String(decoding: ListFormat.html.render([][...], lists: empty), as: UTF8.self)] {
            #expect(text.contains("Nobody met the selection tonight: 5 people read."))
            #expect(text.contains("Not listed: does not meet --where: 4, died: 1."))
        }
        #expect(String(decoding: ListFormat.markdown.index(empty), as: UTF8.self).contains("Nobody met the selection tonight: 5 people read."))
    }

    @Test func markdownAndHTMLEscapeWhatTheyShow() {
        #expect(ListMarkdown.cell("a|b\nc<d") == "a\\|b c&lt;d")
        #expect(ListHTML.esc("<A&E \"x\">") == "&lt;A&amp;E &quot;x&quot;&gt;")
    }
}
