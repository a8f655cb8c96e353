import Foundation
import Testing

@Suite("risk-model and the admission model in risk-score, as programs")
struct RiskModelProgramTests {
    /// The bundled example joined, and a model fitted on it as the README does.
    func fitted() throws -> (people: String, model: String, dir: String) {
        let dir = try temporaryFolder()
        let joined = try Programs.run("ingest-gp", ["examples/data/ics/gp", "examples/data/ics/hospital", "examples/data/ics/council",
                                                   "-q", "-o", dir + "/people.jsonl"])
        try #require(joined.status == 0)
        let fit = try Programs.run("risk-model", [dir + "/people.jsonl", "--as-of", "2024-04-01", "--validate-as-of", "2025-04-01",
                                                  "--penalty", "1", "-o", dir + "/model.json", "--card", dir + "/card.md"])
        try #require(fit.status == 0, "\(fit.stderr)")
        // Every person accounted for in the summary line.
        #expect(fit.stderr.contains("risk-model: read 300 people; emitted "))
        #expect(fit.stderr.contains("validated on "))
        return (dir + "/people.jsonl", dir + "/model.json", dir)
    }

    static func probabilities(jsonl: String) throws -> [String: Double?] {
        var out: [String: Double?] = [:]
        for line in jsonl.split(separator: "\n") {
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let a = (o["risk"] as! [String: Any])["admission"] as! [String: Any]
            out[o["id"] as! String] = a["probability"] as? Double
        }
        return out
    }

    @Test("the same probability in every format, whichever published models are beside it")
    func formatsAgree() throws {
        let (people, model, _) = try fitted()
        let full = try Programs.run("risk-score", [people, "--as-of", "2026-04-01", "--models", "efi,hfrs,charlson,admission:" + model, "-q"])
        try #require(full.status == 0, "\(full.stderr)")
        let reference = try Self.probabilities(jsonl: full.out)
        #expect(reference.count == 300)
        #expect(reference.values.compactMap { $0 }.count > 150, "adults alive and registered are scored")
        // --format risk reads only what the models read, unless the admission model is there.
        let risk = try Programs.run("risk-score", [people, "--as-of", "2026-04-01", "--models", "efi,admission:" + model, "--format", "risk", "-q"])
        #expect(try Self.probabilities(jsonl: risk.out) == reference)
        let csv = try Programs.run("risk-score", [people, "--as-of", "2026-04-01", "--models", "hfrs,admission:" + model, "--format", "csv", "-q"])
        let rows = csv.out.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let header = rows[0].split(separator: ",", omittingEmptySubsequences: false)
        let column = try #require(header.firstIndex(of: "admission_probability"))
        #expect(header.last == "admission_in_population")
        for row in rows.dropFirst() {
            let fields = row.split(separator: ",", omittingEmptySubsequences: false)
            #expect(fields.count == header.count)
            #expect(Double(fields[column]) == reference[String(fields[0])]!, "\(fields[0])")
        }
    }

    @Test("--explain shows every contribution; mdt-list ranks by the probability")
    func explainAndRank() throws {
        let (people, model, dir) = try fitted()
        let scored = try Programs.run("risk-score", [people, "--as-of", "2026-04-01", "--models", "hfrs,admission:" + model, "-q", "-o", dir + "/scored.jsonl"])
        try #require(scored.status == 0)
        let probabilities = try Self.probabilities(jsonl: String(contentsOfFile: dir + "/scored.jsonl", encoding: .utf8))
        let top = try #require(probabilities.compactMap { k, v in v.map { (k, $0) } }.max { $0.1 < $1.1 })
        let explain = try Programs.run("risk-score", [people, "--as-of", "2026-04-01", "--models", "admission:" + model, "--explain", top.0])
        #expect(explain.out.contains("% chance of an emergency admission in the next 1y"))
        #expect(explain.out.contains("contributions to the log-odds against an average person"))
        let list = try Programs.run("mdt-list", [dir + "/scored.jsonl", "--as-of", "2026-04-01",
                                                 "--rank-by", "risk.admission.probability", "--top", "3", "--format", "csv", "-q"])
        #expect(list.status == 0, "\(list.stderr)")
        // The highest risk of all is first in their practice's list.
        let row = try #require(list.out.split(separator: "\n").first { $0.split(separator: ",")[1] == top.0 })
        #expect(row.split(separator: ",")[4] == "1")
        #expect(row.contains("Admission \((top.1 * 1000).rounded() / 10) %"))
    }

    @Test("a model file that is not one, and admission without its file, are errors")
    func refusals() throws {
        let (people, _, dir) = try fitted()
        try "{\"model\":\"something else\"}".write(toFile: dir + "/bad.json", atomically: true, encoding: .utf8)
        let bad = try Programs.run("risk-score", [people, "--models", "admission:" + dir + "/bad.json"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("not a joinedup emergency-admission model file"))
        #expect(bad.out.isEmpty)
        let bare = try Programs.run("risk-score", [people, "--models", "efi,admission"])
        #expect(bare.status == 64)
        #expect(bare.stderr.contains("admission:MODEL.json"))
        // Records that end before the outcome window does: a clear error, not a quiet fit.
        let late = try Programs.run("risk-model", [people, "--as-of", "2025-12-01", "--penalty", "1", "-o", dir + "/late.json"])
        #expect(late.status != 0)
        #expect(late.stderr.contains("before the outcome window ends"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/late.json"))
    }
}
