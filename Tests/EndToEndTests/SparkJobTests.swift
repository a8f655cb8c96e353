import Foundation
import Testing

/// The Spark job (examples/spark/nightly.py) in local mode against the single-machine pipe:
/// scripts/check-spark.sh runs it two nights running on the bundled example data, compares
/// people, lists, pathway history, report and rejects byte for byte, and checks that a failing
/// program fails the job. CI gives it the static build (JOINEDUP_STATIC_BIN, from
/// `swift build -c release --static-swift-stdlib`); elsewhere it runs the debug build.
@Suite("the Spark job")
struct SparkJobTests {
    @Test("examples/spark/nightly.py gives the single machine's people, lists, history, report and rejects, and fails when a program fails")
    func sameAsOneMachine() throws {
        let env = ProcessInfo.processInfo.environment
        let bin = env["JOINEDUP_STATIC_BIN"].map { $0.hasPrefix("/") ? $0 : Programs.root + "/" + $0 } ?? Programs.root + "/.build/debug"
        _ = try Programs.path("ingest-gp")
        if env["JOINEDUP_STATIC_BIN"] == nil {
            print("note: the Spark job runs the debug build here; CI runs it on the static build (JOINEDUP_STATIC_BIN)")
        }
        let r = try Programs.runCommand("/bin/bash", ["scripts/check-spark.sh", bin])
        if r.status == 77 {
            print("note: skipping the Spark job check: \(r.out.trimmingCharacters(in: .whitespacesAndNewlines))")
            return
        }
        #expect(r.status == 0, "\(r.out)\n\(r.stderr.suffix(4000))")
        #expect(r.out.contains("spark: all identical to the single-machine pipe"))
        print(r.out.split(separator: "\n").filter { $0.hasPrefix("spark:") }.joined(separator: "\n"))
    }
}
