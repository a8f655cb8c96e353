import Testing
@testable import CareCore
@testable import CarePathways

/// Every bundled pathway has someone who meets it and someone who misses it.
@Suite struct LibraryTests {
    @Test func emergencyDischargeFollowUp() throws {
        let d = try bundled("emergency-discharge-follow-up")
        var met = Person()
        met.admission("2026-01-05", "2026-01-10")
        met.event("2026-01-15", "271649006")
        #expect(try audit(d, met).map(\.status) == ["complete"])
        var missed = Person()
        missed.admission("2026-01-05", "2026-01-10")
        missed.event("2026-02-15", "271649006")   // 36 days after: late
        #expect(try audit(d, missed).map(\.status) == ["incomplete"])
        var died = Person()
        died.admission("2026-01-05", "2026-01-10", destination: "died")
        #expect(try audit(d, died).isEmpty)
    }

    @Test func reablementAtHome91() throws {
        let d = try bundled("reablement-at-home-91")
        var met = Person()
        met.careEpisode("reablement", "2025-10-01", route: "discharge-from-hospital")
        #expect(try audit(d, met).map(\.status) == ["complete"])
        var missed = met
        missed.careEpisode("residential", "2025-11-01", permanent: true)
        #expect(try audit(d, missed).map(\.status) == ["incomplete"])
    }

    @Test func annualReview65() throws {
        let d = try bundled("annual-review-65")
        var met = Person()
        met.event("2025-04-01", "271649006")   // exactly 12 months before as-of: in the window
        #expect(try audit(d, met).map(\.status) == ["complete"])
        var missed = Person()
        missed.event("2025-03-31", "271649006")
        // The year runs to the as-of day, which is when the audit is taken: no reading, missed.
        #expect(try audit(d, missed).map(\.status) == ["incomplete"])
        #expect(try audit(d, missed)[0].steps[0].windowTo == ISODate.parse("2026-04-01"))
        var young = Person()
        young.birth = "1970-01-01"
        #expect(try audit(d, young).isEmpty)
    }

    @Test func smiPhysicalHealthCheck() throws {
        let d = try bundled("smi-physical-health-check")
        var met = Person()
        met.birth = "1980-01-01"
        met.event("2010-01-01", "58214004")
        met.event("2025-09-01", "271649006")
        met.event("2025-09-01", "60621009")
        #expect(try audit(d, met).map(\.status) == ["complete"])
        var partly = met
        partly.events.removeLast()   // no BMI
        #expect(try audit(d, partly)[0].stepSummary == ["blood_pressure:met@2025-09-01+153", "bmi:missed"])
        var notOnRegister = met
        notOnRegister.events.removeFirst()
        #expect(try audit(d, notOnRegister).isEmpty)
    }

    @Test func endOfLifePalliativeReferral() throws {
        let d = try bundled("end-of-life-palliative-referral")
        var met = Person()
        met.death = "2026-03-01"
        met.event("2025-10-01", "306237005")
        met.admission("2025-11-01", "2025-11-05")
        met.admission("2026-02-01", "2026-02-10")
        let i = try audit(d, met)
        #expect(i.map(\.status) == ["complete"])
        #expect(i[0].steps[0].date == ISODate.parse("2025-11-01"), "the first emergency admission of the last year")
        var missed = met
        missed.events = []
        missed.event("2025-12-01", "306237005")   // after the first admission: late
        #expect(try audit(d, missed).map(\.status) == ["incomplete"])
        var noAdmission = met
        noAdmission.encounters = []
        // No emergency admission in the last year: the referral step does not apply.
        #expect(try audit(d, noAdmission)[0].stepSummary == ["first_emergency_admission:missed", "palliative_referral:not-applicable"])
        #expect(try audit(d, noAdmission)[0].status == "not-applicable")
    }

    @Test func fallsAssessment() throws {
        let d = try bundled("falls-assessment")
        var met = Person()
        met.encounter("ae", "2026-02-01", diagnoses: ["1912002"])
        met.event("2026-02-15", "414191008")   // day 14
        #expect(try audit(d, met).map(\.status) == ["complete"])
        var missed = met
        missed.events = []
        #expect(try audit(d, missed).map(\.status) == ["incomplete"])
        var notAFall = Person()
        notAFall.encounter("ae", "2026-02-01", diagnoses: ["22298006"])
        #expect(try audit(d, notAFall).isEmpty)
    }
}
