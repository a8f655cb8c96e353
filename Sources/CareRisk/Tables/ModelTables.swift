import CareCore

/// The bundled model tables (Sources/CareRisk/Tables/*.csv, compiled into the program so it
/// never needs a file at run time). Each CSV cites its primary paper in its `#` lines.
public enum ModelTables {
    public static func hfrs() -> CSVTable { load("hfrs.csv", PackageResources.hfrs_csv) }
    public static func charlsonCodes() -> CSVTable { load("charlson-quan2005-icd10.csv", PackageResources.charlson_quan2005_icd10_csv) }
    public static func charlsonWeights() -> CSVTable { load("charlson-weights.csv", PackageResources.charlson_weights_csv) }
    public static func elixhauserCodes() -> CSVTable { load("elixhauser-quan2005-icd10.csv", PackageResources.elixhauser_quan2005_icd10_csv) }
    public static func elixhauserWeights() -> CSVTable { load("elixhauser-vanwalraven.csv", PackageResources.elixhauser_vanwalraven_csv) }
    public static func lacePoints() -> CSVTable { load("lace-points.csv", PackageResources.lace_points_csv) }
    public static func laceCharlson() -> CSVTable { load("lace-charlson.csv", PackageResources.lace_charlson_csv) }
    public static func efiDeficits() -> CSVTable { load("efi-deficits.csv", PackageResources.efi_deficits_csv) }
    public static func efiCodes() -> CSVTable { load("efi-codes.csv", PackageResources.efi_codes_csv) }
    public static func efiValueRules() -> CSVTable { load("efi-value-rules.csv", PackageResources.efi_value_rules_csv) }

    /// A bundled table that does not parse is a build defect, caught by the tests.
    static func load(_ name: String, _ bytes: [UInt8]) -> CSVTable {
        do { return try CSVTable(name: name, bytes: bytes) } catch { fatalError("bundled table \(error)") }
    }

    /// Tenths from a decimal with at most one decimal place ("7.1" → 71), exactly.
    public static func tenths(_ text: String) -> Int? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int(parts[0]) else { return nil }
        if parts.count == 1 { return whole * 10 }
        guard parts[1].count == 1, let frac = Int(parts[1]) else { return nil }
        return whole * 10 + (text.hasPrefix("-") ? -frac : frac)
    }
}
