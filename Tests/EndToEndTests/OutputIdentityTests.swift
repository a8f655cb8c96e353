import Foundation
import Testing

/// ingest-gp writes the same bytes as the build before its per-person path was made faster
/// (Tests/Fixtures/golden/ingest-identity.sha256, written by scripts/ingest-identity.sh with that
/// build): the bundled extracts (three sources merged; on one thread; spilling sorted runs to disk
/// in 64 KB; pseudonymised with the map, through the second sort; GP2GP and FHIR; Synthea) and a
/// generated 100,000-person extract (whole, and its patients table alone).
@Suite("ingest-gp output identity")
struct OutputIdentityTests {
    @Test("every output and rejects file hashes as the golden list says")
    func sameBytes() throws {
        let work = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: work) }
        _ = try Programs.path("ingest-gp")
        let r = try Programs.runCommand("/bin/bash", ["scripts/ingest-identity.sh", Programs.root + "/.build/debug", work])
        #expect(r.status == 0, "\(r.stderr)")
        func lines(_ text: String) -> [String] {
            text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
        }
        let golden = lines(try String(contentsOfFile: Programs.root + "/Tests/Fixtures/golden/ingest-identity.sha256", encoding: .utf8))
        let now = lines(r.out)
        #expect(golden.count == 17 && now.count == golden.count)
        for (g, n) in zip(golden, now) { #expect(g == n, "differs: \(n) (golden: \(g))") }
    }
}
