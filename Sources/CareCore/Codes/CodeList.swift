#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A named list of clinical codes, as OpenCodelists publishes them: a CSV with a `code` column
/// (and usually `term`), read by `codelist("name")` in the expression language.
///
/// A list's code system comes from a `system` column (one per row, so one file can mix Read v2
/// and SNOMED CT), else from the file name (`falls.snomed.csv`), else it is inferred: a list whose
/// every code is a SNOMED CT identifier (6 to 18 digits) is SNOMED CT. A list with no system
/// matches a code whatever system the element names.
public final class CodeList: Sendable, Equatable, CustomStringConvertible {
    public let name: String
    /// The file it was read from, for messages.
    public let file: String
    /// Codes by system; the `""` key holds codes of no stated system.
    public let codes: [String: Set<String>]
    /// Every code, whatever its system: the quick test before the system is looked at.
    public let allCodes: Set<String>

    public init(name: String, file: String, codes: [String: Set<String>]) {
        self.name = name
        self.file = file
        self.codes = codes
        allCodes = codes.values.reduce(into: Set<String>()) { $0.formUnion($1) }
    }

    public var description: String { "codelist(\"\(name)\")" }
    public var count: Int { allCodes.count }

    public static func == (a: CodeList, b: CodeList) -> Bool { a === b || (a.name == b.name && a.codes == b.codes) }

    /// Whether `code` (in `system`, when the element names one) is on the list.
    public func contains(_ code: String, system: String?) -> Bool {
        guard allCodes.contains(code) else { return false }
        guard let system else { return true }
        return codes[system]?.contains(code) == true || codes[""]?.contains(code) == true
    }

    /// Reads one OpenCodelists CSV (lines starting `#` are comments: the list's citation).
    public convenience init(path: String, name: String, system fileSystem: String?) throws {
        let table: CSVTable
        do { table = try CSVTable(name: path, bytes: try InputFile(path: path).readAll(limit: 64 << 20)) }
        catch let e as CSVTableError { throw CareError(.dataError, e.description) }
        let codeColumn: Int
        do { codeColumn = try table.column("code") } catch let e as CSVTableError {
            throw CareError(.dataError, "\(e.description) (a code list is an OpenCodelists CSV: code,term)")
        }
        let systemColumn = table.header.firstIndex(of: "system")
        var bySystem: [String: Set<String>] = [:]
        for row in table.rows {
            let code = codeColumn < row.fields.count ? row.fields[codeColumn].trimmingSpaces : ""
            guard !code.isEmpty else { throw CareError(.dataError, "\(path):\(row.line): field 'code' is empty") }
            var system = fileSystem ?? ""
            if let s = systemColumn, s < row.fields.count, !row.fields[s].trimmingSpaces.isEmpty {
                guard let known = CodeSystems.normalise(row.fields[s]) else {
                    throw CareError(.dataError, "\(path):\(row.line): field 'system': '\(row.fields[s])' is not a code system (\(CodeSystems.all.sorted().joined(separator: ", ")))")
                }
                system = known
            }
            bySystem[system, default: []].insert(code)
        }
        if table.rows.isEmpty { throw CareError(.dataError, "\(path): the code list has no codes") }
        // No system stated anywhere: SNOMED CT when every code is a SNOMED CT identifier.
        if bySystem.keys.count == 1, let unstated = bySystem[""], unstated.allSatisfy(Self.looksLikeSNOMED) {
            bySystem = ["snomed": unstated]
        }
        self.init(name: name, file: path, codes: bySystem)
    }

    static func looksLikeSNOMED(_ code: String) -> Bool {
        (6...18).contains(code.utf8.count) && code.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && code.utf8.first != 0x30
    }
}

/// The code lists an expression may name, by name: read from folders of OpenCodelists CSV files
/// (`NAME.csv`, or `NAME.SYSTEM.csv` for a list of one system).
public struct CodeListLibrary: Sendable {
    public private(set) var lists: [String: CodeList] = [:]

    public init() {}

    public var names: [String] { lists.keys.sorted() }
    public subscript(name: String) -> CodeList? { lists[name] }
    public var isEmpty: Bool { lists.isEmpty }

    /// Adds one list; a name already held is an error.
    public mutating func add(_ list: CodeList) throws {
        if let earlier = lists[list.name] {
            throw CareError(.dataError, "code list '\(list.name)' is given twice: \(earlier.file) and \(list.file)")
        }
        lists[list.name] = list
    }

    /// Adds every `*.csv` in `folder`. A name given twice (in this folder or an earlier one) is an
    /// error: two lists must not quietly shadow each other.
    /// With `replacing`, a list of a name already held replaces it (a `--codelists` folder over
    /// a pathway folder's own lists) and its name is returned.
    @discardableResult
    public mutating func addFolder(_ folder: String, replacing: Bool = false) throws -> [String] {
        var replaced: [String] = []
        var seen: Set<String> = []
        for file in try Self.csvFiles(in: folder) {
            let parts = file.dropLast(4).split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            let name = parts[0]
            var system: String?
            if parts.count == 2 {
                guard let s = CodeSystems.normalise(parts[1]) else {
                    throw CareError(.dataError, "\(folder)/\(file): '\(parts[1])' is not a code system (name a list NAME.csv or NAME.SYSTEM.csv, SYSTEM one of \(CodeSystems.all.sorted().joined(separator: ", ")))")
                }
                system = s
            } else if parts.count > 2 || name.isEmpty {
                throw CareError(.dataError, "\(folder)/\(file): name a code list NAME.csv or NAME.SYSTEM.csv")
            }
            let list = try CodeList(path: "\(folder)/\(file)", name: name, system: system)
            if let earlier = lists[name] {
                guard replacing && !seen.contains(name) else {
                    throw CareError(.dataError, "code list '\(name)' is given twice: \(earlier.file) and \(list.file)")
                }
                replaced.append(name)
            }
            seen.insert(name)
            lists[name] = list
        }
        return replaced
    }

    /// The `.csv` files directly in `folder`, sorted.
    static func csvFiles(in folder: String) throws -> [String] {
        guard let dir = opendir(folder) else {
            throw CareError(.noInput, "cannot open code-list folder \(folder): \(String(cString: strerror(errno)))")
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name.hasSuffix(".csv") && !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted()
    }

    /// Whether `folder` exists and is a directory.
    public static func isFolder(_ folder: String) -> Bool {
        var st = stat()
        return stat(folder, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }
}
