import Foundation
import Testing
@testable import CareRisk
import CareCore

/// The bundled tables agree with the published tables transcribed in ../shared/reference/risk
/// (skipped, with a note, where that folder is absent).
@Suite struct ReferenceTableTests {
    func reference(_ file: String) throws -> CSVTable? {
        guard let path = Paths.reference(file) else { return nil }
        return try CSVTable(name: file, text: try String(contentsOfFile: path, encoding: .utf8))
    }

    func pairs(_ t: CSVTable, _ a: String, _ b: String) throws -> Set<String> {
        Set(zip(try t.values(a), try t.values(b)).map { "\($0)=\($1)" })
    }

    @Test func hfrs() throws {
        guard let ref = try reference("hfrs_weights.csv") else { return }
        let ours = ModelTables.hfrs()
        let refPoints = Dictionary(uniqueKeysWithValues: zip(try ref.values("code"), try ref.values("weight").map { ModelTables.tenths($0)! }))
        let ourPoints = Dictionary(uniqueKeysWithValues: zip(try ours.values("code"), try ours.values("points").map { ModelTables.tenths($0)! }))
        #expect(ourPoints == refPoints)
        #expect(refPoints.count == 109 && refPoints.values.reduce(0, +) == 1732)
    }

    @Test func charlsonCodesAndWeights() throws {
        guard let codes = try reference("charlson_quan_icd10.csv"), let weights = try reference("charlson_weights.csv") else { return }
        #expect(try pairs(ModelTables.charlsonCodes(), "condition", "code_prefix") == pairs(codes, "condition", "code_prefix"))
        let ours = ModelTables.charlsonWeights()
        for column in ["charlson1987", "quan2011"] {
            let refColumn = column == "charlson1987" ? "charlson_1987" : "quan_2011"
            #expect(try pairs(ours, "condition", column) == pairs(weights, "condition", refColumn))
        }
        #expect(try pairs(ours, "condition", "superseded_by") == pairs(weights, "condition", "superseded_by"))
    }

    @Test func elixhauserCodesAndWeights() throws {
        guard let codes = try reference("elixhauser_quan_icd10.csv"), let weights = try reference("elixhauser_vw_weights.csv") else { return }
        #expect(try pairs(ModelTables.elixhauserCodes(), "condition", "code_prefix") == pairs(codes, "condition", "code_prefix"))
        #expect(try pairs(ModelTables.elixhauserWeights(), "condition", "points") == pairs(weights, "condition", "van_walraven"))
        #expect(try pairs(ModelTables.elixhauserWeights(), "condition", "superseded_by") == pairs(weights, "condition", "superseded_by"))
    }

    @Test func lace() throws {
        guard let points = try reference("lace_points.csv"), let charlson = try reference("lace_charlson_weights.csv") else { return }
        let ours = ModelTables.lacePoints()
        func rows(_ t: CSVTable) throws -> [String] {
            zip(zip(try t.values("component"), try t.values("min")), zip(try t.values("max"), try t.values("points")))
                .map { "\($0.0)|\($0.1)|\($1.0)|\($1.1)" }
        }
        #expect(try rows(ours) == rows(points))
        #expect(try pairs(ModelTables.laceCharlson(), "condition", "points") == pairs(charlson, "condition", "points"))
        #expect(try pairs(ModelTables.laceCharlson(), "condition", "quan_conditions") == pairs(charlson, "condition", "quan_condition"))
    }

    @Test func efiDeficitsCategoriesAndExampleCodes() throws {
        guard let deficits = try reference("efi_deficits.csv"), let categories = try reference("efi_categories.csv") else { return }
        #expect(try ModelTables.efiDeficits().values("deficit") == deficits.values("deficit"))
        // Categories by count, exactly as published.
        let names = try categories.values("category"), lows = try categories.values("min_deficits"), highs = try categories.values("max_deficits")
        for i in names.indices {
            for n in Int(lows[i])!...Int(highs[i])! { #expect("\(EFIModel.category(deficits: n))" == names[i]) }
        }
        // Every starter code is one of the published examples of its deficit.
        let slugs = try deficits.values("gmsde_codeset").map { $0.hasPrefix("efi-") ? String($0.dropFirst(4)) : "polypharmacy" }
        let examples = zip(try deficits.values("example_readv2"), try deficits.values("example_snomed")).map { "\($0);\($1)" }
        let bySlug = Dictionary(uniqueKeysWithValues: zip(slugs, examples))
        let ours = ModelTables.efiCodes()
        for (slug, code) in zip(try ours.values("deficit"), try ours.values("code")) {
            #expect(bySlug[slug]?.contains(code) == true, "\(slug) \(code)")
        }
    }
}
