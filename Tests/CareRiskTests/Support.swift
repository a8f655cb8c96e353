import Foundation
import Testing
@testable import CareCore
@testable import CareRisk

/// A hand-built person, written as a schema-1 line.
struct TestPerson {
    var id = "9990000018"
    var birth: String? = "1940-06-15"
    var sex = "female"
    var events: [String] = []
    var encounters: [String] = []
    var extra = ""

    static func quote(_ s: String) -> String { "\"\(s)\"" }

    mutating func event(_ date: String?, _ system: String, _ code: String, value: String? = nil, kind: String? = nil) {
        var parts: [String] = []
        if let date { parts.append("\"date\":\(Self.quote(date))") }
        if let kind { parts.append("\"kind\":\(Self.quote(kind))") }
        parts.append("\"system\":\(Self.quote(system))")
        parts.append("\"code\":\(Self.quote(code))")
        if let value { parts.append("\"value\":\(value)") }
        parts.append("\"source\":\"gp:test\"")
        events.append("{" + parts.joined(separator: ",") + "}")
    }

    mutating func drug(_ date: String, _ code: String) { event(date, "dmd", code, kind: "medication") }

    mutating func admission(_ start: String, _ end: String?, emergency: Bool = true, _ icd10: [String] = []) {
        var parts = ["\"kind\":\"admission\"", "\"start\":\(Self.quote(start))"]
        if let end { parts.append("\"end\":\(Self.quote(end))") }
        parts.append("\"method\":\(Self.quote(emergency ? "emergency" : "elective"))")
        parts.append("\"diagnoses\":[" + icd10.map { "{\"system\":\"icd10\",\"code\":\(Self.quote($0))}" }.joined(separator: ",") + "]")
        parts.append("\"source\":\"apc:test\"")
        encounters.append("{" + parts.joined(separator: ",") + "}")
    }

    mutating func ae(_ date: String) {
        encounters.append("{\"kind\":\"ae\",\"start\":\(Self.quote(date)),\"source\":\"ecds:test\"}")
    }

    var line: String {
        var s = "{\"id\":\(Self.quote(id))"
        if let birth { s += ",\"birth_date\":\(Self.quote(birth))" }
        s += ",\"sex\":\(Self.quote(sex)),\"events\":[\(events.joined(separator: ","))],\"encounters\":[\(encounters.joined(separator: ","))]\(extra)}"
        return s
    }
}

/// Scores `person` through the same path as the program (facts → models → JSON) and returns
/// the decoded record.
func scoredRecord(_ person: TestPerson, asOf: String = "2026-04-01", models: ModelSet? = nil) throws -> [String: Any] {
    let set = try models ?? ModelSet()
    var facts = PersonFacts()
    var w = JSONWriter()
    var bytes = Array(person.line.utf8)
    try bytes.withUnsafeMutableBufferPointer { buf in
        try facts.read(UnsafeBufferPointer(buf))
        let results = set.score(facts, asOf: ISODate.parse(asOf)!)
        RiskJSON.writePerson(facts, results: results, asOf: ISODate.parse(asOf)!, to: &w)
    }
    let object = try JSONSerialization.jsonObject(with: Data(w.bytes))
    return try #require(object as? [String: Any])
}

/// The `risk` object of one model.
func risk(_ person: TestPerson, _ model: String, asOf: String = "2026-04-01", models: ModelSet? = nil) throws -> [String: Any] {
    let record = try scoredRecord(person, asOf: asOf, models: models)
    let risk = try #require(record["risk"] as? [String: Any])
    return try #require(risk[model] as? [String: Any], "no \(model) in \(risk.keys)")
}

func number(_ v: Any?) -> Double? { (v as? NSNumber)?.doubleValue }

func reasonIDs(_ r: [String: Any], _ key: String) -> [String] {
    ((r["reasons"] as? [[String: Any]]) ?? []).compactMap { $0[key] as? String }
}

enum Paths {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let fixtures = repository + "/Tests/Fixtures"
    /// ../shared/reference/risk beside the clone, or nil (with a visible note) when absent.
    static func reference(_ file: String) -> String? {
        let path = repository + "/../shared/reference/risk/" + file
        if FileManager.default.fileExists(atPath: path) { return path }
        print("note: skipping a check against ../shared/reference/risk/\(file): not present beside this clone")
        return nil
    }
}

func temporaryFolder(_ name: String = #function) throws -> String {
    let path = NSTemporaryDirectory() + "joinedup-risk-\(name.filter { $0.isLetter })-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
