import CareCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The eFI's code lists, in one of two layouts:
///
/// - a folder of CSV files as OpenCodelists downloads them (a `code` column; `term` and others are
///   ignored), one per deficit, named after the deficit's slug (`falls.csv`, every clinical-terms
///   system) or slug and system (`falls.snomed.csv`, `falls.read2.csv`, `falls.ctv3.csv`). A file
///   whose name is not a deficit is an error, so a misspelt file never silently leaves a deficit
///   empty;
/// - the published Greater Manchester SDE code sets as a local clone lays them out
///   (`clinical-code-sets/CATEGORY/efi-SLUG/1/efi-SLUG.{readv2,ctv3,snomed}.txt`, tab-separated
///   code and term, no header), given as the `clinical-code-sets` folder or the clone itself.
///   Version 1 is read, as the gm-sde eFI queries pin it (`efi-falls:1`).
public struct CodeListFolder {
    public private(set) var codes: [String: [UInt64]] = [:]
    /// Deficits with no file.
    public private(set) var missing: [String] = []
    /// Which layout was read: `opencodelists` or `gm-sde`.
    public private(set) var layout = "opencodelists"
    /// Code sets of the gm-sde layout that were not read, and why (EMIS local codes, sets that are
    /// not eFI deficits).
    public private(set) var skipped: [String] = []

    public init(path: String, deficits: [String]) throws {
        if let sets = try Self.gmsdeSets(path) {
            layout = "gm-sde"
            try readGMSDE(sets, deficits: deficits)
            missing = deficits.filter { codes[$0] == nil }
            return
        }
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

extension CodeListFolder {
    /// The folders below `path` (names only, sorted), or nil when it is not a folder.
    static func subfolders(_ path: String) -> [String]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            guard !name.hasPrefix(".") else { continue }
            var st = stat()
            if stat(path + "/" + name, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR { names.append(name) }
        }
        return names.sorted()
    }

    /// The gm-sde eFI code-set folders (`…/CATEGORY/efi-SLUG`) under `path` (a `clinical-code-sets`
    /// folder, or a clone holding `shared/clinical-code-sets`); nil when `path` is not laid out so.
    static func gmsdeSets(_ path: String) throws -> [(slug: String, folder: String)]? {
        var base = path
        if subfolders(path + "/shared/clinical-code-sets") != nil { base = path + "/shared/clinical-code-sets" }
        var sets: [(String, String)] = []
        for category in subfolders(base) ?? [] {
            for set in subfolders(base + "/" + category) ?? [] where set.hasPrefix("efi-") {
                sets.append((String(set.dropFirst(4)), base + "/" + category + "/" + set))
            }
        }
        return sets.isEmpty ? nil : sets
    }

    /// Reads version 1 of each set: its `.readv2.txt`, `.ctv3.txt` and `.snomed.txt` files.
    mutating func readGMSDE(_ sets: [(slug: String, folder: String)], deficits: [String]) throws {
        let systems: [(suffix: String, tag: CodeSystemTag)] = [("readv2", .read2), ("ctv3", .ctv3), ("snomed", .snomed)]
        for (slug, folder) in sets {
            guard deficits.contains(slug) else { skipped.append("efi-\(slug) (not an eFI deficit)"); continue }
            if let twice = codes[slug], !twice.isEmpty { throw CareError(.dataError, "\(folder): a second code set for the eFI deficit '\(slug)'") }
            let version = folder + "/1"
            guard Self.subfolders(version) != nil else {
                throw CareError(.dataError, "\(folder): no version 1 folder (the gm-sde eFI queries read efi-\(slug):1)")
            }
            var any = false
            for (suffix, tag) in systems {
                let file = "\(version)/efi-\(slug).\(suffix).txt"
                guard access(file, F_OK) == 0 else { continue }
                any = true
                // By bytes: a CRLF file's "\r\n" is one Character, so a String would not split it.
                let bytes = try InputFile(path: file).readAll(limit: 64 << 20)
                for (n, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
                    let field = line.prefix { $0 != 0x09 && $0 != 0x0D }
                    let code = String(decoding: field, as: UTF8.self).trimmingSpaces
                    if code.isEmpty { continue }
                    let key = CodeKey.terms(tag, code)
                    guard key != CodeKey.none else {
                        throw CareError(.dataError, "\(file):\(n + 1): '\(code)' is not a \(tag.name) code")
                    }
                    codes[slug, default: []].append(key)
                }
            }
            if access("\(version)/efi-\(slug).emis.txt", F_OK) == 0 { skipped.append("efi-\(slug).emis.txt (EMIS local codes: not read)") }
            if !any { throw CareError(.dataError, "\(version): no efi-\(slug).readv2.txt, .ctv3.txt or .snomed.txt") }
            if codes[slug] == nil { codes[slug] = [] }
        }
    }
}

