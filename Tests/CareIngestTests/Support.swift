import Foundation
import Testing
@testable import CareCore
@testable import CareIngest

enum Paths {
    /// Tests/Fixtures in this repository.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").path
    /// ../shared beside the clone (CI has it; a user's fresh clone may not).
    static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared").path

    static func sharedSample(_ relative: String) -> String? {
        let path = shared + "/samples/" + relative
        if FileManager.default.fileExists(atPath: path) { return path }
        print("note: skipping a check on ../shared/samples/\(relative): not present beside this clone")
        return nil
    }
}

func temporaryFolder(_ name: String = #function) throws -> String {
    let path = NSTemporaryDirectory() + "joinedup-test-\(name.filter { $0.isLetter })-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// The result of one in-process ingest run.
struct IngestResult {
    var lines: [String]
    var people: [Person]
    var rejects: [JSONValue]
    var diagnostics: Diagnostics
    var summary: IngestSummary
    var bytes: [UInt8]
    var rejectLines: [String]
}

/// Runs ingest-gp's engine in-process on `sources`, writing to a temporary file.
func ingest(_ sources: [SourceSpec], memory: Int = IngestOptions.defaultMemoryBudget, optOut: String? = nil,
            pseudonymKey: String? = nil, pseudonymMap: String? = nil, withTerms: Bool = false, strict: Bool = false,
            readers: Int = IngestOptions.defaultReaders, mapping: TableMapping = TableMapping(), allowEmpty: Bool = false) throws -> IngestResult {
    let dir = try temporaryFolder()
    let out = dir + "/out.jsonl", rejects = dir + "/rejects.jsonl"
    let diagnostics = try Diagnostics(program: "ingest-gp", unit: "rows", quiet: true, strict: strict, rejectsPath: rejects)
    let output = try OutputTarget(path: out)
    let options = IngestOptions(sources: sources, memoryBudget: memory, temporaryFolder: dir, pseudonymKeyFile: pseudonymKey,
                                pseudonymMapFile: pseudonymMap, optOutFile: optOut, withTerms: withTerms, readers: readers, mapping: mapping,
                                allowEmpty: allowEmpty)
    let summary = try IngestRun.run(options, diagnostics: diagnostics, output: output)
    try output.commit()
    try diagnostics.finish()
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: out)))
    let text = String(decoding: bytes, as: UTF8.self)
    let lines = text.split(separator: "\n").map(String.init)
    let people = try lines.map { try Person(json: $0) }
    let rejectLines = (try? String(contentsOfFile: rejects, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
    // Temporary runs are always cleaned up.
    let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("joinedup-sort") }
    #expect(left.isEmpty, "temporary sort folders left behind: \(left)")
    return IngestResult(lines: lines, people: people, rejects: try rejectLines.map { try JSONValue(parsing: $0) },
                        diagnostics: diagnostics, summary: summary, bytes: bytes, rejectLines: rejectLines)
}

func tables(_ name: String) -> SourceSpec { SourceSpec(preset: .tables, path: Paths.fixtures + "/tables/" + name) }

/// The repository's bundled example data (examples/data), which the document-format tests read.
enum Examples {
    static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/data").path
}

func gp2gp(_ path: String) -> SourceSpec { SourceSpec(preset: .gp2gp, path: path) }
func fhir(_ path: String) -> SourceSpec { SourceSpec(preset: .fhir, path: path) }
func demographics(_ path: String) -> SourceSpec { SourceSpec(preset: .demographics, path: path) }

extension IngestResult {
    /// Each reject as "FILE:LINE:FIELD:REASON" (file name without folder).
    var rejectSummaries: [String] {
        rejects.map { v in
            let file = (v["source"]?.stringValue ?? "").split(separator: "/").last.map(String.init) ?? ""
            return "\(file):\(v["line"]?.intValue ?? 0):\(v["field"]?.stringValue ?? "-"):\(v["reason"]?.stringValue ?? "")"
        }
    }

    func person(_ id: String) throws -> Person { try #require(people.first { $0.id == id }, "no person \(id)") }

    /// Counts reconcile: every record read is emitted, filtered or rejected.
    var reconciles: Bool {
        diagnostics.read == diagnostics.emitted + diagnostics.filteredTotal + diagnostics.rejectedTotal
    }
}
