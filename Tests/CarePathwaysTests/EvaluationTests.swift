import Testing
@testable import CareCore
@testable import CarePathways

/// Statuses on hand-built people, as of 2026-04-01 unless said.
@Suite struct EvaluationTests {
    static let followUp = """
    id: follow-up
    title: Follow-up
    source: test
    trigger:
      from: encounters
      match: kind = "admission" and method = "emergency"
      where: trigger.age >= 65
    episode: within 30d after trigger.end
    steps:
      - id: gp
        title: GP contact within 7 days of discharge
        match: kind = "gp"
        window: within 7d after trigger.end
      - id: review
        title: Review within 14 days of the GP contact
        match: kind = "mdt-review"
        window: within 14d after steps.gp.date
    duplication:
      match: kind = "social-care-assessment"
      within: 28d
    """

    @Test(arguments: [
        // (GP contact date, expected gp step) — discharged 2026-01-10: window 01-10 … 01-17.
        ("2026-01-10", "gp:met@2026-01-10+0"),
        ("2026-01-17", "gp:met@2026-01-17+7"),      // the last day of the window
        ("2026-01-18", "gp:late@2026-01-18+1"),     // one day late
        ("2026-01-09", "gp:missed"),                // before the window: does not count
    ])
    func windowEdges(_ gpDate: String, _ expected: String) throws {
        var p = Person()
        p.admission("2026-01-05", "2026-01-10")
        p.encounter("gp", gpDate)
        let i = try audit(try definition(Self.followUp), p)
        #expect(i.count == 1)
        #expect(i[0].stepSummary.first == expected)
    }

    @Test func pendingWhileTheWindowIsOpenAndNotApplicableWithoutItsReference() throws {
        var p = Person()
        p.admission("2026-03-28", "2026-03-30")
        let i = try audit(try definition(Self.followUp), p)
        // GP window 03-30 … 04-06 is still open on 04-01; the review refers to the GP contact,
        // which has no date yet: not applicable.
        #expect(i[0].stepSummary == ["gp:pending", "review:not-applicable"])
        #expect(i[0].status == "in-progress")
        let later = try audit(try definition(Self.followUp), p, asOf: "2026-04-07")
        #expect(later[0].stepSummary == ["gp:missed", "review:not-applicable"])
        #expect(later[0].status == "incomplete")
    }

    @Test func aStepRefersToAnother() throws {
        var p = Person()
        p.admission("2026-01-05", "2026-01-10")
        p.encounter("gp", "2026-01-12")
        p.encounter("mdt-review", "2026-01-26")   // 14 days after the GP contact: met
        var i = try audit(try definition(Self.followUp), p)
        #expect(i[0].stepSummary == ["gp:met@2026-01-12+2", "review:met@2026-01-26+14"])
        #expect(i[0].status == "complete")
        p.encounters.removeLast()
        p.encounter("mdt-review", "2026-01-27")
        i = try audit(try definition(Self.followUp), p)
        #expect(i[0].stepSummary[1] == "review:late@2026-01-27+1")
    }

    @Test func oneInstancePerTriggerAndTheTriggerCondition() throws {
        var p = Person()
        p.admission("2025-06-01", "2025-06-03")
        p.admission("2026-01-05", "2026-01-10")
        p.admission("2026-02-01", "2026-02-02", emergency: false)   // elective: no instance
        p.encounter("gp", "2025-06-04")
        let i = try audit(try definition(Self.followUp), p)
        #expect(i.map { $0.triggerStart?.description } == ["2025-06-01", "2026-01-05"])
        #expect(i.map(\.status) == ["incomplete", "incomplete"])   // second: no GP contact
        p.birth = "1962-01-01"   // 63 at the first admission, 64 at the second: no instances
        #expect(try audit(try definition(Self.followUp), p).isEmpty)
    }

    @Test func duplicatedAssessmentsByDifferentServices() throws {
        var p = Person()
        p.admission("2026-01-05", "2026-01-10")
        p.encounter("social-care-assessment", "2026-01-12", source: "asc:council")
        p.encounter("social-care-assessment", "2026-01-20", source: "community:trust")    // 8 days later, another service
        p.encounter("social-care-assessment", "2026-01-21", source: "asc:council")        // the council again: not a new duplicate
        p.encounter("gp", "2026-01-11")
        let i = try audit(try definition(Self.followUp), p)
        #expect(i[0].duplicates.count == 1)
        #expect(i[0].duplicates.first?.sources == ["asc:council", "community:trust"])
        // Episode 2026-01-10 … 02-09 (30 days after discharge): three assessments and the GP contact;
        // the admission itself started before it.
        #expect(i[0].contacts.encounters == 4)
    }

    @Test func outcomesAtTheirHorizon() throws {
        let d = try bundled("reablement-at-home-91")
        var p = Person()
        p.careEpisode("reablement", "2025-12-01", route: "discharge-from-hospital")
        // Day 91 is 2026-03-02.
        #expect(try audit(d, p)[0].outcomes.map(\.status) == ["met"])
        #expect(try audit(d, p, asOf: "2026-03-01")[0].outcomes.map(\.status) == ["pending"])
        var died = p
        died.death = "2026-03-02"   // dead on day 91: missed
        #expect(try audit(d, died)[0].outcomes.map(\.status) == ["missed"])
        var careHome = p
        careHome.careEpisode("nursing", "2026-02-15", permanent: true)
        #expect(try audit(d, careHome)[0].outcomes.map(\.status) == ["missed"])
        var respite = p
        respite.careEpisode("residential", "2026-02-15", permanent: false)
        #expect(try audit(d, respite)[0].outcomes.map(\.status) == ["met"])
        var community = p
        community.care = []
        community.careEpisode("reablement", "2025-12-01", route: "community")
        #expect(try audit(d, community).isEmpty)
    }
}
