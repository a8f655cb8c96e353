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
