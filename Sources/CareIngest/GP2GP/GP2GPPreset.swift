import CareCore

/// Reads GP2GP EHR extracts (HL7 v3 `RCMR_IN030000UK06` / `UK07`): a file, a folder of `.xml`
/// files, or `-`. Each `EhrExtract` in a document is one person (a file may hold one extract or
/// many under any wrapper element). docs/formats.md gives the mapping element by element.
struct GP2GPPreset: Preset {
    static let name = "gp2gp"

    func plan(path: String, registry: IngestRegistry, diagnostics: Diagnostics) throws -> [TableJob] {
        let files = try DocumentFiles.list(path, extensions: ["xml"])
        registry.wholeRecordSources.insert(registry.sourceIndex)
        if files.isEmpty { diagnostics.warn("\(Mask.path(path)): no .xml files") }
        return files.map { f in
            let file = registry.registerFile(f)
            let name = DocumentFiles.dropExtension(DocumentFiles.name(of: f, in: path))
            return TableJob(path: f) { context in try GP2GPReader(path: f, name: name, file: file, context: context).read() }
        }
    }
}
