import Foundation
import Testing
@testable import CareCore
@testable import CareMDT

/// A hand-built scored person.
struct Scored {
    var id: String
    var practice = "P1"
    var efi: Double? = 0.1
    var category = "fit"
    var hfrs: Double? = 0
    var birth = "1940-01-01"
    var extra = ""
    var encounters: [String] = []

    var line: String {
        var risk = #"{"as_of":"2026-04-01""#
        if let efi { risk += #","efi":{"score":\#(efi),"category":"\#(category)","reasons":[{"deficit":"falls","label":"Falls","code":"161898004","system":"snomed","date":"2020-01-01"}]}"# }
        if let hfrs { risk += #","hfrs":{"score":\#(hfrs),"band":"\#(hfrs > 15 ? "high" : hfrs >= 5 ? "intermediate" : "low")","reasons":[]}"# }
        risk += "}"
        return #"{"id":"\#(id)","nhs_number":"\#(id)","birth_date":"\#(birth)","sex":"female","practice":"\#(practice)","registration_start":"2000-01-01"\#(extra),"encounters":[\#(encounters.joined(separator: ","))],"risk":\#(risk)}"#
    }
}

func write(_ people: [Scored], to path: String) throws {
    try people.map { $0.line + "\n" }.joined().write(toFile: path, atomically: true, encoding: .utf8)
}

func temporaryFolder(_ name: String = #function) throws -> String {
    let path = NSTemporaryDirectory() + "joinedup-mdt-\(name.filter { $0.isLetter })-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Runs the selection on `people`; returns the lists and the diagnostics.
func lists(_ people: [Scored], _ configure: (inout MDTSettings) throws -> Void = { _ in }) throws -> (MDTLists, Diagnostics) {
    let dir = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try write(people, to: dir + "/in.jsonl")
    var settings = MDTSettings(asOf: ISODate.parse("2026-04-01")!, rankBy: try RankKey.parseList("risk.efi.score,risk.hfrs.score"))
    try configure(&settings)
    let diagnostics = try Diagnostics(program: "mdt-list", unit: "people", quiet: true)
    let result = try MDTRun.run(inputPath: dir + "/in.jsonl", settings: settings, diagnostics: diagnostics)
    #expect(diagnostics.read == diagnostics.emitted + diagnostics.filteredTotal + diagnostics.rejectedTotal, "every record accounted for")
    return (result, diagnostics)
}

func ids(_ l: MDTLists, _ group: String? = nil) -> [String] {
    l.groups.filter { group == nil || $0.name == group }.flatMap { $0.entries.map(\.id) }
}
