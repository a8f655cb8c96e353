import Foundation
import Testing
@testable import CareCore
@testable import CarePathways

/// Each bundled pathway on hand-built people at the exact edges of its windows: met, late,
/// missed, pending and not-applicable wherever the pathway can give them (and a note where its
/// shape rules one out). As of 2026-04-01 unless said.
@Suite struct WindowEdgeTests {
    /// Someone with an emergency admission discharged on `discharge`, aged 66 on it unless `born`.
    func discharged(_ discharge: String, born: String = "1960-01-01") -> Person {
        var p = Person()
        p.birth = born
        p.admission(ISODate.parse(discharge)!.adding(days: -4).description, discharge)
        return p
    }

    @Test("follow-up: GP on day 2, community on day 7, GP event on day 9, nothing, discharged 3 days ago, aged 64")
    func emergencyDischargeFollowUp() throws {
        let d = try bundled("emergency-discharge-follow-up")
        var gp = discharged("2026-03-01"); gp.encounter("gp", "2026-03-03")
        var community = discharged("2026-03-01"); community.encounter("community", "2026-03-08")   // day 7: the last day
        var event = discharged("2026-03-01"); event.event("2026-03-10", "271649006")             // day 9: 2 days late
        let nothing = discharged("2026-03-01")
        let recent = discharged("2026-03-29")                                                  // window open to 04-05
        var young = discharged("2026-03-01", born: "1961-06-01"); young.encounter("gp", "2026-03-03")   // 64 on discharge
        #expect(try statuses(d, [gp, community, event, nothing, recent, young]) == ["met", "met", "late", "missed", "pending", "not-applicable"])
        // The result says which list dated the step, and by how much.
        let c = try audit(d, community)[0].steps[0]
        #expect(c.list == "encounters" && c.days == 7 && c.windowTo == ISODate.parse("2026-03-08"))
        let e = try audit(d, event)[0].steps[0]
        #expect(e.list == "events" && e.days == 2)
        // Day 8 is the first late day; an A&E visit is not a contact.
        var day8 = discharged("2026-03-01"); day8.encounter("outpatient", "2026-03-09")
        var ae = discharged("2026-03-01"); ae.encounter("ae", "2026-03-03")
        #expect(try statuses(d, [day8, ae]) == ["late", "missed"])
        // The as-of day counts as whole: a window whose day 7 is the as-of day has closed (missed);
        // one whose day 7 is tomorrow is pending.
        #expect(try statuses(d, [discharged("2026-03-26"), discharged("2026-03-25")]) == ["pending", "missed"])
        // Several lists: the earliest match over both.
        var both = discharged("2026-03-01"); both.event("2026-03-05", "1"); both.encounter("gp", "2026-03-03")
        #expect(try audit(d, both)[0].steps[0].date == ISODate.parse("2026-03-03"))
    }

    @Test("falls: assessment on day 14 met, day 15 late, none missed, attendance last week pending, aged 64 not applicable")
    func fallsAssessment() throws {
        let d = try bundled("falls-assessment")
        func fall(_ date: String = "2026-03-01", code: String = "217082002") -> Person {
            var p = Person(); p.encounter("ae", date, diagnoses: [code]); return p
        }
        var met = fall(); met.event("2026-03-15", "414191008")
        var late = fall(); late.event("2026-03-16", "414191008")
        var community = fall(); community.encounter("community", "2026-03-10", procedures: ["414191008"])
        var young = fall(); young.birth = "1961-06-01"
        #expect(try statuses(d, [met, late, fall(), fall("2026-03-25"), young, community])
                == ["met", "late", "missed", "pending", "not-applicable", "met"])
        // Every code of the falls list starts an instance; a code off it does not.
        for code in ["1912002", "161898004", "217082002", "217154006", "279992002", "298344006"] {
            #expect(try audit(d, fall(code: code)).count == 1, "\(code)")
        }
        #expect(try audit(d, fall(code: "22298006")).isEmpty)
    }

    @Test("annual review: a reading on the first day of the year met, the day before missed; the window ends on the as-of day, so never late or pending")
    func annualReview65() throws {
        let d = try bundled("annual-review-65")
        var first = Person(); first.event("2025-04-01", "271649006")
        var last = Person(); last.event("2026-04-01", "271649006")
        var before = Person(); before.event("2025-03-31", "271649006")
        var young = first; young.birth = "1961-04-02"   // 64 on the as-of day
        var dead = first; dead.death = "2026-01-01"
        #expect(try statuses(d, [first, last, before, young, dead]) == ["met", "met", "missed", "not-applicable", "not-applicable"])
        var turned65 = first; turned65.birth = "1961-04-01"
        #expect(try statuses(d, [turned65]) == ["met"])
    }

    @Test("SMI: on the register by any listed code; checks in the year met, before it missed; not on the register not applicable")
    func smiPhysicalHealthCheck() throws {
        let d = try bundled("smi-physical-health-check")
        func onRegister(_ code: String = "13746004") -> Person {
            var p = Person(); p.birth = "1980-01-01"; p.event("2010-01-01", code); return p
        }
        var met = onRegister(); met.event("2025-04-01", "271649006"); met.event("2026-04-01", "60621009")
        var missed = onRegister("391193001"); missed.event("2025-03-31", "271649006")
        #expect(try statuses(d, [met, missed, Person()], step: "blood_pressure") == ["met", "missed", "not-applicable"])
        #expect(try statuses(d, [met, missed], step: "bmi") == ["met", "missed"])
    }

    @Test("MDT review: entered 31 days ago and reviewed on day 28 met, day 29 late, never missed; entered last week pending; not high risk not applicable")
    func mdtReview() throws {
        let d = try bundled("mdt-review-high-risk")
        var history = PathwayHistory()
        func highRisk(_ id: String, entered: String?, review: String? = nil) -> Person {
            var p = Person(); p.id = id
            p.extra = #""risk":{"as_of":"2026-04-01","efi":{"category":"moderate"},"hfrs":{"band":"low"}},"#
            if let entered { history.set(pathway: d.id, person: id, entered: ISODate.parse(entered)!) }
            if let review { p.encounter("mdt-review", review) }
            return p
        }
        let people = [highRisk("a", entered: "2026-03-01", review: "2026-03-29"),
                      highRisk("b", entered: "2026-03-01", review: "2026-03-30"),
                      highRisk("c", entered: "2026-03-01"),
                      highRisk("d", entered: "2026-03-25")]
        var fit = highRisk("e", entered: nil)
        fit.extra = #""risk":{"as_of":"2026-04-01","efi":{"category":"mild"},"hfrs":{"band":"intermediate"}},"#
        #expect(try statuses(d, people + [fit], history: history) == ["met", "late", "missed", "pending", "not-applicable"])
        // A review before entering the group does not count; the instance starts the day they entered.
        let early = highRisk("f", entered: "2026-03-01", review: "2026-02-27")
        let i = try audit(d, early, history: history)[0]
        #expect(i.triggerStart == ISODate.parse("2026-03-01") && i.steps[0].status == "missed")
        // Someone new to the group enters tonight: pending, whatever the history held for others.
        let new = highRisk("g", entered: nil)
        #expect(try audit(d, new, history: history)[0].triggerStart == ISODate.parse("2026-04-01"))
    }

    @Test("MDT review: --history carries the day a person entered from night to night, and forgets those who left")
    func historyCarriesEntry() throws {
        let d = try bundled("mdt-review-high-risk")
        var p = Person(); p.id = "x"
        p.extra = #""risk":{"as_of":"2026-03-01","efi":{"category":"severe"}},"#
        let dir = NSTemporaryDirectory() + "joinedup-pw-history-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func night(_ asOf: String, _ person: Person) throws -> PathwayHistory {
            try (person.line + "\n").write(toFile: dir + "/in.jsonl", atomically: true, encoding: .utf8)
            let path = dir + "/history.csv"
            var options = PathwayOptions(asOf: ISODate.parse(asOf)!)
            if FileManager.default.fileExists(atPath: path) { options.history = try PathwayHistory(path: path, tonight: options.asOf) }
            let tonight = try PathwayRun.run(input: InputFile(path: dir + "/in.jsonl"), pathways: [d], options: options,
                                             diagnostics: try Diagnostics(program: "t", quiet: true), write: { _ in })
            try Data(tonight.rendered(asOf: options.asOf)).write(to: URL(fileURLWithPath: path))
            return tonight
        }
        #expect(try night("2026-03-01", p).entered(pathway: d.id, person: "x") == ISODate.parse("2026-03-01"))
        #expect(try night("2026-03-02", p).entered(pathway: d.id, person: "x") == ISODate.parse("2026-03-01"))
        var recovered = p
        recovered.extra = #""risk":{"as_of":"2026-03-03","efi":{"category":"fit"}},"#
        #expect(try night("2026-03-03", recovered).count == 0)
        #expect(try night("2026-03-04", p).entered(pathway: d.id, person: "x") == ISODate.parse("2026-03-04"), "a return starts again")
        // Going back in time is refused.
        #expect(throws: CareError.self) { try PathwayHistory(path: dir + "/history.csv", tonight: ISODate.parse("2026-03-01")!) }
    }

    @Test("end of life: care on the day of the first emergency admission met, the day after late, none missed, no admission not applicable; both windows are closed by the death, so never pending")
    func endOfLife() throws {
        let d = try bundled("end-of-life-palliative-referral")
        func died(_ care: String?) -> Person {
            var p = Person(); p.death = "2026-03-01"
            p.admission("2025-11-01", "2025-11-05"); p.admission("2026-02-01", "2026-02-10")
            if let care { p.event(care, "306288008") }
            return p
        }
        var noAdmission = Person(); noAdmission.death = "2026-03-01"
        #expect(try statuses(d, [died("2025-11-01"), died("2025-11-02"), died(nil), noAdmission], step: "palliative_referral")
                == ["met", "late", "missed", "not-applicable"])
        // The year before death starts on 2025-03-01: care that day counts, the day before does not.
        #expect(try statuses(d, [died("2025-03-01"), died("2025-02-28")], step: "palliative_referral") == ["met", "missed"])
    }

    @Test("reablement: at home on day 91 met, a permanent placement on day 91 missed, day 92 met, discharged 60 days ago pending, aged 64 not applicable")
    func reablement() throws {
        let d = try bundled("reablement-at-home-91")
        func reabled(_ start: String = "2025-12-01", born: String = "1950-01-01") -> Person {
            var p = Person(); p.birth = born; p.careEpisode("reablement", start, route: "discharge-from-hospital"); return p
        }
        // 2025-12-01 + 91 days = 2026-03-02.
        var placed91 = reabled(); placed91.careEpisode("residential", "2026-03-02", permanent: true)
        var placed92 = reabled(); placed92.careEpisode("nursing", "2026-03-03", permanent: true)
        var died = reabled(); died.death = "2026-03-02"
        var respite = reabled(); respite.careEpisode("residential", "2026-02-01", permanent: false)
        #expect(try statuses(d, [reabled(), placed91, placed92, died, respite, reabled("2026-01-31"), reabled(born: "1961-06-01")])
                == ["met", "missed", "met", "missed", "met", "pending", "not-applicable"])
        #expect(try audit(d, reabled("2025-12-31"))[0].outcomes[0].status == "met", "day 91 is the as-of day: decided")
    }
}
