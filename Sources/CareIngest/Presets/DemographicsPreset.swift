import CareCore

/// A demographics side file: a CSV with the columns of the tables preset's `patients.csv`
/// (`nhs_number` required; `date_of_birth`, `sex`, `date_of_death`, `practice`, `lsoa`, ...).
/// GP2GP extracts carry no birth date or sex (they come from the Personal Demographics
/// Service), so a PDS trace or a practice list completes them. Its rows join other sources by
/// NHS number; a person found only in the side file is filtered ("demographics only"), so a
/// practice-wide list does not add empty records.
struct DemographicsPreset: Preset {
    static let name = "demographics"
    var mapping = TableMapping()

    func plan(path: String, registry: IngestRegistry, diagnostics: Diagnostics) throws -> [TableJob] {
        guard FileExists.at(path) || path == "-" else {
            throw CareError(.noInput, "cannot open \(Mask.path(path)): no such file")
        }
        registry.attachOnlySources.insert(registry.sourceIndex)
        return [TablesPreset(mapping: mapping).patientsFile(path, tag: "demographics:" + DocumentFiles.stem(path), registry: registry)]
    }
}
