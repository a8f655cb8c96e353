import Foundation
import Testing
@testable import CarePathways
import CareCore

/// Definitions are checked with the file, line and column of what is wrong.
@Suite struct DefinitionTests {
    static let base = """
    id: t
    title: T
    source: test
    trigger:
      from: encounters
      match: kind = "admission"
    steps:
      - id: follow_up
        title: F
        match: kind = "gp"
        window: within 7d after trigger.end
    """

    func error(_ yaml: String) -> PathwayError? {
        do { _ = try definition(yaml); return nil } catch let e as PathwayError { return e } catch { return nil }
    }

    @Test func theBaseIsValid() throws {
        let d = try definition(Self.base)
        #expect(d.steps.map(\.id) == ["follow_up"])
        #expect(d.steps[0].window.kind == .withinAfter(CareCore.Duration(days: 7)))
    }

    @Test func unknownFieldsNameTheirPlace() throws {
        let e = try #require(error(Self.base + "\n    colour: red"))
        #expect(e.line == 12 && e.column == 5, "\(e)")
        #expect(e.message.contains("unknown field 'colour' in a step"))
        let top = try #require(error("notes: x\n" + Self.base))
        #expect(top.line == 1 && top.message.contains("unknown field 'notes'"))
    }

    @Test func badWindowsAndExpressionsPointAtTheColumn() throws {
        let w = try #require(error(Self.base.replacingOccurrences(of: "within 7d after trigger.end", with: "within 7d around trigger.end")))
        #expect(w.line == 11 && w.message.contains("bad window"), "\(w)")
        let x = try #require(error(Self.base.replacingOccurrences(of: "match: kind = \"gp\"", with: "match: kind = = \"gp\"")))
        // The value starts at column 12 (after "    match: "); its second "=" is its 8th character.
        #expect(x.line == 10 && x.column == 19, "\(x)")
        let r = try #require(error(Self.base.replacingOccurrences(of: "after trigger.end", with: "after trigger.end +")))
        #expect(r.line == 11 && r.message.contains("ends too soon"), "\(r)")
    }

    @Test func cyclesAndUnknownStepsAreErrors() throws {
        let cycle = Self.base.replacingOccurrences(of: "within 7d after trigger.end", with: "within 7d after steps.second.date") + """

          - id: second
            title: S
            match: kind = "ae"
            window: after steps.follow_up.date
        """
        let e = try #require(error(cycle))
        #expect(e.message.contains("cycle: follow_up → second → follow_up") || e.message.contains("cycle: second → follow_up → second"), "\(e)")
        let unknown = try #require(error(Self.base.replacingOccurrences(of: "trigger.end", with: "steps.nothing.date")))
        #expect(unknown.message.contains("steps.nothing"), "\(unknown)")
        let dash = try #require(error(Self.base.replacingOccurrences(of: "id: follow_up", with: "id: follow-up")))
        #expect(dash.message.contains("letters, digits and _"))
    }

    @Test func stepsAreOrderedAfterTheStepsTheyReferTo() throws {
        let d = try definition(Self.base.replacingOccurrences(of: "within 7d after trigger.end", with: "within 7d after steps.second.date") + """

          - id: second
            title: S
            match: kind = "ae"
            window: after trigger.start
        """)
        #expect(d.steps.map(\.id) == ["second", "follow_up"])
    }

    @Test("every problem in a file is reported at once, in file order, each with its line and column")
    func allProblemsAtOnce() throws {
        let bad = Self.base
            .replacingOccurrences(of: "title: T\n", with: "")
            .replacingOccurrences(of: "kind = \"admission\"", with: "kind = \"admission\" and colour = 1")
            .replacingOccurrences(of: "within 7d after trigger.end", with: "within 7 days after trigger.end")
        let e = try #require(error(bad))
        let all = e.all
        #expect(all.count == 3, "\(e)")
        #expect(all[0].line == 1 && all[0].message.contains("needs 'title'") && all[0].message.contains("required: id, title, source, trigger"), "\(all[0])")
        #expect(all[1].line == 5 && all[1].message.contains("unknown field 'colour'"), "\(all[1])")
        #expect(all[2].line == 10 && all[2].message.contains("write durations as 7d, not '7 days'"), "\(all[2])")
        #expect(e.description.hasPrefix("3 problems in test.yaml:"))
        // A step missing its window says which keys a step needs.
        let noWindow = try #require(error(Self.base.replacingOccurrences(of: "    window: within 7d after trigger.end", with: "")))
        #expect(noWindow.message.contains("a step needs 'window' (required: id, title, window)"), "\(noWindow)")
        let within = try #require(error(Self.base + "\nduplication:\n  match: kind = \"gp\"\n  within: 4 weeks"))
        #expect(within.message.contains("write durations as 4w"), "\(within)")
    }

    @Test("steps and triggers over several lists: from: [a, b] with one match, or any: of {from, match}")
    func severalLists() throws {
        let list = try definition(Self.base.replacingOccurrences(of: "    match: kind = \"gp\"", with: "    from: [encounters, events]\n    match: source = \"gp:x\""))
        #expect(list.steps[0].sources.map(\.list) == ["encounters", "events"])
        let any = try definition(Self.base.replacingOccurrences(of: "    match: kind = \"gp\"", with: """
            any:
              - from: encounters
                match: kind = "gp"
              - from: events
                match: code = "1"
        """))
        #expect(any.steps[0].sources.map(\.list) == ["encounters", "events"])
        // Each list's match is checked against that list: events have no method.
        let wrong = try #require(error(Self.base.replacingOccurrences(of: "    match: kind = \"gp\"", with: "    from: [encounters, events]\n    match: method = emergency")))
        #expect(wrong.message.contains("unknown field 'method'"), "\(wrong)")
        let both = try #require(error(Self.base.replacingOccurrences(of: "    match: kind = \"gp\"", with: "    match: kind = \"gp\"\n    any:\n      - from: events\n        match: code = \"1\"")))
        #expect(both.message.contains("any: or from: and match:, not both"), "\(both)")
        let trigger = try definition(Self.base.replacingOccurrences(of: "  from: encounters\n  match: kind = \"admission\"", with: "  from: [encounters, care]\n  match: kind = \"admission\""))
        #expect(trigger.trigger.sources.map(\.list) == ["encounters", "care"])
    }

    @Test("codelist(\"name\") names a list of the library; an unknown name says which exist")
    func codeListsAreChecked() throws {
        let dir = NSTemporaryDirectory() + "joinedup-codelists-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "# test list\ncode,term\n1912002,Fall\n".write(toFile: dir + "/falls.csv", atomically: true, encoding: .utf8)
        var library = CodeListLibrary()
        try library.addFolder(dir)
        let yaml = Self.base.replacingOccurrences(of: "    match: kind = \"gp\"", with: "    from: events\n    match: code in codelist(\"fall\")")
        do { _ = try PathwayDefinition(yaml: yaml, file: "t.yaml", codeLists: library); Issue.record("accepted an unknown list") } catch let e as PathwayError {
            #expect(e.message.contains("no code list named 'fall': did you mean 'falls'?"), "\(e)")
        }
        let ok = try PathwayDefinition(yaml: yaml.replacingOccurrences(of: "\"fall\"", with: "\"falls\""), file: "t.yaml", codeLists: library)
        guard case .inCodeList(_, "falls", let list?, _) = ok.steps[0].sources[0].match else { Issue.record("not resolved"); return }
        #expect(list.codes == ["snomed": ["1912002"]], "a list of SNOMED CT identifiers is SNOMED CT")
    }

    @Test func everyBundledPathwayIsValid() throws {
        for name in ["emergency-discharge-follow-up", "reablement-at-home-91", "annual-review-65", "smi-physical-health-check",
                     "mdt-review-high-risk", "end-of-life-palliative-referral", "falls-assessment"] {
            let d = try bundled(name)
            #expect(d.id == name)
            #expect(!d.source.isEmpty)
        }
    }
}

extension String {
    func replacingOccurrences(of a: String, with b: String) -> String {
        guard let r = range(of: a) else { return self }
        return String(self[..<r.lowerBound]) + b + String(self[r.upperBound...])
    }
}
