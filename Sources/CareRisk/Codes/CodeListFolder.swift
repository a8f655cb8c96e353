import CareCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A folder of code lists, one CSV per eFI deficit, as OpenCodelists downloads them (a `code`
/// column; `term` and others are ignored). Each file is named after the deficit's slug
/// (`falls.csv`, every clinical-terms system), or slug and system (`falls.snomed.csv`,
/// `falls.read2.csv`, `falls.ctv3.csv`). A file whose name is not a deficit is an error, so a
/// misspelt file never silently leaves a deficit empty.
public struct CodeListFolder {
    public private(set) var codes: [String: [UInt64]] = [:]
    /// Deficits with no file.
    public private(set) var missing: [String] = []

    public init(path: String, deficits: [String]) throws {
        guard let dir = opendir(path) else {
            throw CareError(.noInput, "cannot open code-list folder \(path): \(String(cString: strerror(errno)))")
        }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name.hasSuffix(".csv") { names.append(name) }
        }
        closedir(dir)
        for name in names.sorted() {
            let parts = name.dropLast(4).split(separator: ".").map(String.init)
            guard let slug = parts.first, deficits.contains(slug), parts.count <= 2 else {
                throw CareError(.dataError, "\(path)/\(name): not an eFI deficit code list (name files SLUG.csv or SLUG.SYSTEM.csv; slugs in docs/models.md)")
            }
            let systems: [CodeSystemTag]
            if parts.count == 2 {
                let s = CodeSystemTag(parts[1])
                guard [.snomed, .read2, .ctv3].contains(s) else {
                    throw CareError(.dataError, "\(path)/\(name): unknown code system '\(parts[1])' (snomed, read2, ctv3)")
                }
                systems = [s]
            } else {
                systems = [.snomed, .read2, .ctv3]
            }
            let file = "\(path)/\(name)"
            let table: CSVTable
            do { table = try CSVTable(name: file, bytes: try InputFile(path: file).readAll()) }
            catch let e as CSVTableError { throw CareError(.dataError, e.description) }
            let column: Int
            do { column = try table.column("code") } catch let e as CSVTableError { throw CareError(.dataError, e.description) }
            for row in table.rows {
                guard column < row.fields.count, !row.fields[column].trimmingSpaces.isEmpty else {
                    throw CareError(.dataError, "\(file):\(row.line): field 'code' is empty")
                }
                let code = row.fields[column].trimmingSpaces
                var any = false
                for s in systems {
                    let key = CodeKey.terms(s, code)
                    if key != CodeKey.none { codes[slug, default: []].append(key); any = true }
                }
                if !any {
                    throw CareError(.dataError, "\(file):\(row.line): field 'code': '\(code)' is not a \(systems.map(\.name).joined(separator: " or ")) code")
                }
            }
            if codes[slug] == nil { codes[slug] = [] }
        }
        missing = deficits.filter { codes[$0] == nil }
    }
}
