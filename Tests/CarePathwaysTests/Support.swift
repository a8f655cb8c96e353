import Foundation
import Testing
@testable import CareCore
@testable import CarePathways

enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
}

/// A hand-built person for pathway tests.
struct Person {
    var id = "p1"
    var birth = "1940-01-01"
    var death: String?
    var practice = "P1"
    var extra = ""
    var encounters: [String] = []
    var events: [String] = []
    var care: [String] = []

    mutating func admission(_ start: String, _ end: String, emergency: Bool = true, destination: String = "usual-residence") {
        encounters.append(#"{"kind":"admission","method":"\#(emergency ? "emergency" : "elective")","start":"\#(start)","end":"\#(end)","destination":"\#(destination)","source":"apc:h"}"#)
    }
    mutating func encounter(_ kind: String, _ start: String, source: String = "x", diagnoses: [String] = [], procedures: [String] = []) {
        let d = diagnoses.map { #"{"system":"snomed","code":"\#($0)"}"# }.joined(separator: ",")
        let p = procedures.map { #"{"system":"snomed","code":"\#($0)"}"# }.joined(separator: ",")
        encounters.append(#"{"kind":"\#(kind)","start":"\#(start)","source":"\#(source)","diagnoses":[\#(d)],"procedures":[\#(p)]}"#)
    }
    mutating func event(_ date: String, _ code: String) {
        events.append(#"{"date":"\#(date)","system":"snomed","code":"\#(code)","source":"gp:g"}"#)
    }
    mutating func careEpisode(_ kind: String, _ start: String, permanent: Bool? = nil, route: String? = nil) {
        var s = #"{"kind":"\#(kind)","start":"\#(start)""#
        if let permanent { s += #","permanent":\#(permanent)"# }
        if let route { s += #","route":"\#(route)""# }
        care.append(s + "}")
    }

    var line: String {
        var s = #"{"id":"\#(id)","birth_date":"\#(birth)","practice":"\#(practice)""#
        if let death { s += #","death_date":"\#(death)""# }
        s += #",\#(extra)"events":[\#(events.joined(separator: ","))],"encounters":[\#(encounters.joined(separator: ","))],"care":[\#(care.joined(separator: ","))]}"#
        return s
    }
}

/// The instances of `pathway` for `person` at `asOf`.
func audit(_ pathway: PathwayDefinition, _ person: Person, asOf: String = "2026-04-01", history: PathwayHistory? = nil) throws -> [PathwayInstance] {
    let record = RecordScope(asOf: ISODate.parse(asOf)!)
    var bytes = Array(person.line.utf8)
    return try bytes.withUnsafeMutableBufferPointer { buf in
        try record.load(UnsafeBufferPointer(buf), validate: true)
        return PathwayEvaluator.evaluate(pathway, PathwayScope(record: record, history: history))
    }
}

/// The status of `step` (the first non-marker step by default) for each person: the step's
/// status where the pathway applies, `not-applicable` where it starts no instance.
func statuses(_ pathway: PathwayDefinition, _ people: [Person], asOf: String = "2026-04-01", history: PathwayHistory? = nil,
              step: String? = nil) throws -> [String] {
    try people.map { p in
        let instances = try audit(pathway, p, asOf: asOf, history: history)
        guard let i = instances.first else { return "not-applicable" }
        precondition(instances.count == 1, "one instance per person in these tests")
        if let step { return i.steps.first { $0.id == step }?.status ?? i.outcomes.first { $0.id == step }!.status }
        return i.steps.first { !$0.marker }?.status ?? i.outcomes[0].status
    }
}

func definition(_ yaml: String) throws -> PathwayDefinition { try PathwayDefinition(yaml: yaml, file: "test.yaml") }

func bundled(_ name: String) throws -> PathwayDefinition {
    try PathwayDefinition(path: Repo.root + "/examples/pathways/\(name).yaml")
}

extension PathwayInstance {
    var stepSummary: [String] { steps.map { "\($0.id):\($0.status)\($0.date.map { "@\($0)" } ?? "")\($0.days.map { "+\($0)" } ?? "")" } }
}
