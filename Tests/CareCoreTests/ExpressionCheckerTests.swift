import Testing
@testable import CareCore

/// The checked selection language: every path, list, type and category word is checked
/// against the record schema before a record is read (docs/expressions.md, "Checking").
@Suite("Expression checker")
struct ExpressionCheckerTests {
    func check(_ text: String, schema: RecordSchema = .standard) throws -> Expression {
        try ExpressionChecker(schema: schema).checkCondition(try Expression.parse(text), text: text)
    }

    func message(_ text: String) -> String? {
        do { _ = try check(text); return nil } catch { return "\(error)" }
    }

    @Test("misspellings are errors with the nearest names", arguments: [
        ("agee >= 65", "unknown field 'agee': did you mean 'age'?"),
        ("risk.efi.categroy >= mild", "did you mean 'risk.efi.category'?"),
        ("gender = \"female\"", "unknown field 'gender': did you mean 'sex'?"),
        ("risk.hfrs.category = high", "did you mean 'risk.hfrs.band'?"),
        ("count(admissions in last 365d) > 0", "count( takes a list: care, encounters, events, not 'admissions'"),
        ("count(encounters where kid = \"ae\") > 0", "unknown field 'kid': did you mean 'kind' or 'end'?"),
        ("risk.efi.category >= Moderat", "'Moderat' is not a value of risk.efi.category: fit, mild, moderate, severe: did you mean 'moderate'?"),
        ("risk.efi.category >= \"very bad\"", "'very bad' is not a value of risk.efi.category"),
        ("sex = femal", "did you mean 'female'?"),
        ("risk.efi.category > 3", "cannot compare a category with a number"),
        ("age > 30d", "cannot compare a number with a duration"),
        ("age + 3d > 4", "cannot add a duration to a number"),
        ("age", "this is a number, not a condition"),
        ("agee", "unknown field 'agee'"),
    ])
    func misspellings(_ text: String, _ expected: String) {
        let m = message(text)
        #expect(m?.contains(expected) == true, "\(text): \(m ?? "no error")")
    }

    /// Whether the checked expression holds for a record.
    func holds(_ text: String, _ record: String, schema: RecordSchema = .standard) throws -> Bool {
        let e = try check(text, schema: schema)
        let scope = RecordScope(asOf: ISODate(year: 2026, month: 4, day: 1))
        var bytes = Array(record.utf8)
        return try bytes.withUnsafeMutableBufferPointer { buf in
            try scope.load(UnsafeBufferPointer(buf), validate: true)
            return e.holds(scope)
        }
    }

    static let record = #"{"id":"a","birth_date":"1950-06-01","sex":"female","practice":"B2","risk":{"efi":{"category":"moderate"}},"#
        + #""events":[{"date":"2026-01-01","system":"snomed","code":"x","significance":"major","source":"gp"}],"#
        + #""encounters":[{"kind":"ae","start":"2026-03-01","source":"ecds"}]}"#

    @Test("what the checker settles: category words in any case, bare category words, in (…), between, as_of", arguments: [
        ("risk.efi.category >= \"Moderate\"", true), ("risk.efi.category > \"MODERATE\"", false), ("sex = Female", true),
        ("sex = male", false), ("age between 75 and 75", true), ("age between 76 and 80", false),
        ("practice in (\"A1\", \"B2\")", true), ("practice in (\"A1\")", false),
        ("count(events where significance = Major) >= 1", true), ("count(events where significance = minor) >= 1", false),
        ("count(encounters where start > as_of - 90d) = 1", true), ("count(encounters where start > as_of - 30d) = 1", false),
    ])
    func rewrites(_ text: String, _ expected: Bool) throws {
        #expect(try holds(text, Self.record) == expected, "\(text)")
    }

    @Test("fields outside the schema: declared with --field, else unknown")
    func declared() throws {
        #expect(message("local.flag") != nil)
        var schema = RecordSchema.standard
        schema.declare("local.flag", .bool)
        schema.declare("local.tier", FieldType.parse("category(bronze,silver,gold)")!)
        #expect(try holds("local.flag and local.tier >= Silver", #"{"id":"a","local":{"flag":true,"tier":"gold"}}"#, schema: schema))
        #expect(try !holds("local.tier > Gold", #"{"id":"a","local":{"flag":true,"tier":"gold"}}"#, schema: schema))
        #expect(FieldType.parse("category()") == nil && FieldType.parse("numbr") == nil)
    }

    @Test("--rank-by and --group-by fields: known, one value each")
    func fields() throws {
        let checker = ExpressionChecker()
        #expect(try checker.checkField(["risk", "efi", "score"], option: "--rank-by") == .number)
        #expect(throws: CareError.self) { try checker.checkField(["risk", "efi", "scor"], option: "--rank-by") }
        #expect(throws: CareError.self) { try checker.checkField(["events"], option: "--rank-by") }
        #expect(throws: CareError.self) { try checker.checkField([""], option: "--group-by") }
    }

    @Test("every documented example of docs/expressions.md passes the checker")
    func documentedExamples() throws {
        for text in ["risk.efi.category >= moderate and age >= 65 and not deceased",
                     "risk.hfrs.score > 15 or count(encounters where kind = \"admission\" and method = \"emergency\" in last 365d) >= 2",
                     "count(encounters where kind = \"admission\" and method = \"emergency\" in last 365d) >= 2",
                     "age >= 65 and (risk.efi.category >= mild or risk.hfrs.score >= 5)", "exists(death_date) and registered"] {
            _ = try check(text)
        }
    }

}
