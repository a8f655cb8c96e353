import Foundation
import Testing
@testable import CareModel

/// docs/admission-model.md's table of features is the program's own (RECORD_GOLDEN=1 rewrites it).
@Suite struct AdmissionDocsTests {
    @Test func theFeatureTableIsTheProgramsOwn() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/admission-model.md").path
        let doc = try String(contentsOfFile: path, encoding: .utf8)
        let open = "<!-- features: generated -->\n", close = "<!-- /features -->"
        let start = try #require(doc.range(of: open)), end = try #require(doc.range(of: close))
        let table = AdmissionFeature.markdownTable
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            try (String(doc[..<start.upperBound]) + table + String(doc[end.lowerBound...])).write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        #expect(String(doc[start.upperBound..<end.lowerBound]) == table, "regenerate with RECORD_GOLDEN=1 swift test --filter AdmissionDocs")
    }
}
