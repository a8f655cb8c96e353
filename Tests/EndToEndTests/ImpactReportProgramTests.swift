import Foundation
import Testing

/// impact-report on generated people with a planted MDT review (synth-extract --plant-mdt): the
/// method is tested by whether it finds what was planted.
@Suite("impact-report as a program")
struct ImpactReportProgramTests {
    static let intervention = #"events where kind = "mdt-review""#

    /// One planted population, joined and evaluated: the emergency-admission effect row.
    struct Run: Sendable {
        var planted: Double
        var seed: Int
        var effect: Double, lower: Double, upper: Double
        var naive: Double
        /// The planted effect in the estimate's units: the relative change applied to what the
        /// treated would have had (their rate before, moved as their controls' did).
        var truth: Double
        var covered: Bool { lower <= truth && truth <= upper }
    }

    static func run(planted: Double, seed: Int) throws -> Run {
        let dir = try temporaryFolder("impact\(seed)\(Int(planted * 100))")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let made = try Programs.run("synth-extract", ["--people", "20000", "--seed", String(seed), "--plant-mdt=\(planted)", "--plant-uptake", "1",
                                                     "--out", dir + "/tables", "-q"])
        try #require(made.status == 0, "\(made.stderr)")
        let joined = try Programs.run("ingest-gp", [dir + "/tables", "-q", "-o", dir + "/people.jsonl"])
        try #require(joined.status == 0, "\(joined.stderr)")
        let r = try Programs.run("impact-report", [dir + "/people.jsonl", "--intervention", intervention, "--from", "2024-04-01", "--to", "2025-03-31",
                                                   "--bootstrap", "500", "--format", "jsonl", "-q", "--threads", "1"])
        try #require(r.status == 0, "\(r.stderr)")
        let rows = try r.out.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let e = try #require(rows.first { $0["table"] as? String == "effect" && $0["outcome"] as? String == "emergency_admissions" })
        func d(_ k: String) -> Double { e[k] as! Double }
        let counterfactual = d("treated_before") + (d("control_after") - d("control_before"))
        return Run(planted: planted, seed: seed, effect: d("effect"), lower: d("effect_lower"), upper: d("effect_upper"), naive: d("naive"),
                   truth: planted * max(counterfactual, 0))
    }

    @Test("planted effects of 0, −15 % and +10 % are covered by the matched interval; the naive change is biased downwards")
    func plantedEffectsAreFound() throws {
        let cases = [0.0, -0.15, 0.10].flatMap { p in (1...4).map { (p, $0) } }
        nonisolated(unsafe) var runs = [Run?](repeating: nil, count: cases.count)
        nonisolated(unsafe) var failures: [String] = []
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: cases.count) { i in
            do { let r = try Self.run(planted: cases[i].0, seed: cases[i].1); lock.lock(); runs[i] = r; lock.unlock() } catch {
                lock.lock(); failures.append("\(cases[i]): \(error)"); lock.unlock()
            }
        }
        #expect(failures.isEmpty, "\(failures)")
        let done = runs.compactMap { $0 }
        try #require(done.count == cases.count)
        let covered = done.filter(\.covered).count
        for r in done { print("impact: planted \(r.planted) seed \(r.seed): \(r.effect) (\(r.lower) to \(r.upper)), truth \(r.truth), naive \(r.naive)") }
        #expect(Double(covered) >= 0.9 * Double(done.count), "covered \(covered) of \(done.count)")
        // Regression to the mean: people chosen on a spike fall back, so the treated alone show a
        // fall even where the review did nothing, larger than the matched estimate.
        #expect(done.filter { $0.naive < 0 }.count >= done.count * 9 / 10)
        let noEffect = done.filter { $0.planted == 0 }
        #expect(noEffect.allSatisfy { $0.naive < $0.effect }, "\(noEffect.map { ($0.naive, $0.effect) })")
    }

    @Test("every output format; counts 1 to 4 suppressed; bad designs refused")
    func formatsAndRefusals() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try Programs.run("synth-extract", ["--people", "10000", "--seed", "5", "--plant-mdt=-0.15", "--plant-uptake", "1", "--out", dir + "/t", "-q"])
        _ = try Programs.run("ingest-gp", [dir + "/t", "-q", "-o", dir + "/p.jsonl"])
        let base = [dir + "/p.jsonl", "--intervention", Self.intervention, "--from", "2024-04-01", "--to", "2025-03-31", "--bootstrap", "200",
                    "--unit-costs", "examples/outcomes/unit-costs.csv"]
        let html = try Programs.run("impact-report", base + ["-q"])
        #expect(html.status == 0, "\(html.stderr)")
        #expect(html.out.contains("<svg") && html.out.contains("Love plot") && html.out.contains("What this design cannot rule out"))
        #expect(html.out.contains("class=\"x-title\"") && html.out.contains("class=\"y-title\""))
        let md = try Programs.run("impact-report", base + ["--format", "markdown", "-q"])
        #expect(md.out.contains("## Methods") && md.out.contains("regression to the mean") && md.out.contains("per treated person"))
        let csv = try Programs.run("impact-report", base + ["--format", "csv", "-q"])
        #expect(csv.out.hasPrefix("outcome,unit,treated_before") && csv.out.split(separator: "\n").count == 7)
        let jsonl = try Programs.run("impact-report", base + ["--format", "jsonl", "-q"])
        for line in jsonl.out.split(separator: "\n") {
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            if o["table"] as? String == "step", let n = o["people"] as? Int { #expect(n == 0 || n >= 5, "a count from 1 to 4 published: \(o)") }
        }
        #expect(!html.stderr.contains("999") && !md.out.contains("999"), "no NHS number anywhere")
        // Matched on a fitted admission model's prognostic score too: said in the methods.
        let model = try Programs.run("risk-model", [dir + "/p.jsonl", "--as-of", "2023-04-01", "--penalty", "1", "-q", "-o", dir + "/model.json"])
        try #require(model.status == 0, "\(model.stderr)")
        let prognostic = try Programs.run("impact-report", base + ["--prognostic", dir + "/model.json", "--format", "markdown"])
        #expect(prognostic.status == 0, "\(prognostic.stderr)")
        #expect(prognostic.out.contains("and on the prognostic score of the admission model fitted on 2023-04-01"))
        // Refusals: a misspelt field, nobody treated, records that end too soon, stdin.
        let misspelt = try Programs.run("impact-report", [dir + "/p.jsonl", "--intervention", #"events where knd = "mdt-review""#, "--from", "2024-04-01", "--to", "2025-03-31"])
        #expect(misspelt.status == 64 && misspelt.stderr.contains("knd"))
        let nobody = try Programs.run("impact-report", [dir + "/p.jsonl", "--intervention", #"events where kind = "nothing""#, "--from", "2024-04-01", "--to", "2025-03-31"])
        #expect(nobody.status == 65 && nobody.stderr.contains("nothing to evaluate") && nobody.out.isEmpty)
        let late = try Programs.run("impact-report", [dir + "/p.jsonl", "--intervention", Self.intervention, "--from", "2024-04-01", "--to", "2025-03-31", "--window", "24m"])
        #expect(late.status == 65 && late.stderr.contains("before the after window"))
        let stdin = try Programs.run("impact-report", ["-", "--intervention", Self.intervention, "--from", "2024-04-01", "--to", "2025-03-31"])
        #expect(stdin.status == 64)
    }
}
