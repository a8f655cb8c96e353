import Foundation
import Testing

/// Every `--where` selection the README shows picks at least one person from the bundled example
/// data (scored as of 2026-04-01): an example that selects nobody shows nothing.
@Suite("README selections select someone")
struct ReadmeSelectionTests {
    /// The quoted `--where '…'` expressions of the README's code.
    static func selections() throws -> [String] {
        let readme = try String(contentsOfFile: Programs.root + "/README.md", encoding: .utf8)
        var out: [String] = []
        var rest = Substring(readme)
        while let r = rest.range(of: "--where '") {
            rest = rest[r.upperBound...]
            guard let end = rest.firstIndex(of: "'") else { break }
            out.append(String(rest[..<end]))
            rest = rest[end...]
        }
        return out
    }

    @Test func everySelectionPicksSomeone() throws {
        let selections = try Self.selections()
        #expect(selections.count >= 2, "the README shows selections")
        let dir = try temporaryFolder()
        #expect(try Programs.run("ingest-gp", ["examples/data/ics/gp", "examples/data/ics/hospital", "examples/data/ics/council",
                                               "-q", "-o", dir + "/people.jsonl"]).status == 0)
        #expect(try Programs.run("risk-score", [dir + "/people.jsonl", "--as-of", "2026-04-01", "-q", "-o", dir + "/scored.jsonl"]).status == 0)
        for s in selections {
            let r = try Programs.run("mdt-list", [dir + "/scored.jsonl", "--as-of", "2026-04-01", "--where", s, "--format", "jsonl"])
            let listed = r.out.split(separator: "\n").filter { $0.contains(#""status":"new""#) || $0.contains(#""status":"continuing""#) || $0.contains(#""rank""#) }
            #expect(r.status == 0 && !listed.isEmpty, "\(s) selects nobody on the bundled data: \(r.stderr)")
        }
    }
}
