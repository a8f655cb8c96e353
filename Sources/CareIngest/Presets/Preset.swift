import CareCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A kind of source folder ingest-gp knows how to read. Planning (on one thread) registers the
/// folder's files and tags and returns one job per table; jobs are then read by worker threads.
protocol Preset {
    static var name: String { get }
    /// Plans a source given as a path (a folder, or for the XML and FHIR formats also a file).
    func plan(path: String, registry: IngestRegistry, diagnostics: Diagnostics) throws -> [TableJob]
}

/// A preset that reads a folder of CSV tables.
protocol FolderPreset: Preset {
    func plan(folder: SourceFolder, registry: IngestRegistry, diagnostics: Diagnostics) throws -> [TableJob]
}

extension FolderPreset {
    func plan(path: String, registry: IngestRegistry, diagnostics: Diagnostics) throws -> [TableJob] {
        try plan(folder: try SourceFolder(path: path), registry: registry, diagnostics: diagnostics)
    }
}

/// One table to read: its size (to share the work out) and the reading (which knows its file).
struct TableJob: @unchecked Sendable {
    let size: Int
    let read: (IngestContext) throws -> Void

    init(path: String, read: @escaping (IngestContext) throws -> Void) {
        var st = stat()
        size = stat(path, &st) == 0 ? Int(st.st_size) : 0
        self.read = read
    }

    init(size: Int, read: @escaping (IngestContext) throws -> Void) {
        self.size = size
        self.read = read
    }
}

public enum PresetName: String, CaseIterable, Sendable {
    case synthea
    case tables
    case gp2gp
    case fhir
    case demographics

    func preset(mapping: TableMapping, only: TableSelection? = nil) -> any Preset {
        switch self {
        case .synthea: return SyntheaPreset()
        case .tables: return TablesPreset(mapping: mapping, only: only)
        case .gp2gp: return GP2GPPreset()
        case .fhir: return FHIRPreset()
        case .demographics: return DemographicsPreset(mapping: mapping)
        }
    }
}

/// One input folder and the preset that reads it.
public struct SourceSpec: Sendable, Equatable {
    public var preset: PresetName
    public var path: String
    public init(preset: PresetName, path: String) {
        self.preset = preset
        self.path = path
    }
}

/// A source folder's CSV tables, by table name: `conditions.csv` and `conditions.head.csv`
/// are both the table "conditions" (the part of the file name before its first dot, lower-cased).
struct SourceFolder {
    let path: String
    /// The folder's own name, used in source tags ("synthea:NAME").
    let name: String
    let tables: [String: String]

    init(path: String) throws {
        self.path = path
        var trimmed = path
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        name = trimmed.split(separator: "/").last.map(String.init) ?? trimmed
        guard let dir = opendir(path) else {
            throw CareError(.noInput, "cannot open folder \(path): \(String(cString: strerror(errno)))")
        }
        defer { closedir(dir) }
        var found: [String: String] = [:]
        while let entry = readdir(dir) {
            let fileName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard fileName.lowercased().hasSuffix(".csv"), !fileName.hasPrefix(".") else { continue }
            let table = String(fileName.split(separator: ".", maxSplits: 1)[0]).lowercased()
            let full = trimmed + "/" + fileName
            // Prefer the plain name when both a.csv and a.something.csv exist.
            if found[table] == nil || fileName.lowercased() == table + ".csv" { found[table] = full }
        }
        tables = found
    }

    func table(_ name: String) -> String? { tables[name] }
}
