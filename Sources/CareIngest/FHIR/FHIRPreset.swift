import CareCore

/// Reads FHIR records: a file, a folder (`.json`, `.ndjson`, `.xml`; sub-folders too), or `-`.
/// FHIR R4 (UK Core) and STU3 (GP Connect structured record), single resources and Bundles.
/// Resources are keyed by their Patient reference; a Patient's valid NHS number becomes the
/// person's id, so the run re-sorts by id and FHIR records join the other sources.
struct FHIRPreset: Preset {
    static let name = "fhir"

    func plan(path: String, registry: IngestRegistry, diagnostics: Diagnostics) throws -> [TableJob] {
        let files = try DocumentFiles.list(path, extensions: ["json", "ndjson", "jsonl", "xml"])
        if files.isEmpty { diagnostics.warn("\(Mask.path(path)): no .json, .ndjson or .xml files") }
        registry.remapsIdentity = true
        // The source tag names the folder the files are in, so a folder and its files given one
        // by one are tagged alike (fhir:bulk); a file in the working folder by its own name.
        var trimmed = path
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        let parts = trimmed.split(separator: "/")
        let isFolder = files.count != 1 || files.first != path
        let sourceName = isFolder || parts.count < 2 ? DocumentFiles.stem(trimmed) : String(parts[parts.count - 2])
        return files.map { f in
            let file = registry.registerFile(f, fhir: true)
            let name = DocumentFiles.name(of: f, in: path)
            return TableJob(path: f) { context in
                try FHIRReader(path: f, name: name, file: file, sourceName: sourceName, context: context).read()
            }
        }
    }
}
