import Testing
@testable import CareCore
import Foundation

/// docs/expressions.md's table of fields is the checker's own table (RECORD_GOLDEN=1 rewrites it).
@Suite("Expression docs")
struct ExpressionDocsTests {
    @Test("docs/expressions.md lists exactly the fields the checker knows")
    func fieldTable() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/expressions.md").path
        let doc = try String(contentsOfFile: path, encoding: .utf8)
        let open = "<!-- fields: generated -->\n", close = "<!-- /fields -->"
        let start = try #require(doc.range(of: open)), end = try #require(doc.range(of: close))
        let table = RecordSchema.standard.markdownTable
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            try (String(doc[..<start.upperBound]) + table + String(doc[end.lowerBound...])).write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        #expect(String(doc[start.upperBound..<end.lowerBound]) == table, "regenerate with RECORD_GOLDEN=1 swift test --filter ExpressionDocs")
    }
}
