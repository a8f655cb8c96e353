import CareCore

/// Ethnicity recorded as a coded GP entry (SNOMED CT, CTV3 or Read v2), read with a mapping the
/// user gives (`ingest-gp --ethnicity-codes FILE`): an OpenCodelists CSV with the codes and their
/// 16-group category, such as OpenSAFELY's "ethnicity-snomed-0removed" (columns `snomedcode` or
/// `code`, and `Grouping_16`: 1–16 in the NHS Data Dictionary's order, A … S). None is bundled:
/// the lists are large and their terms are SNOMED CT content (docs/inequalities.md). The latest
/// such entry is the person's ethnicity, unless a source recorded one later.
public struct EthnicityCodes: Sendable {
    /// Code → NHS Data Dictionary category letter.
    let categories: [String: String]

    public var count: Int { categories.count }

    public init(path: String) throws {
        let table: CSVTable
        do { table = try CSVTable(name: path, bytes: try InputFile(path: path).readAll(limit: 64 << 20)) }
        catch let e as CSVTableError { throw CareError(.config, e.description) }
        guard let code = table.header.firstIndex(where: { ["code", "snomedcode", "ctv3code", "ctv3id"].contains($0.lowercased()) }) else {
            throw CareError(.config, "\(path):1: no code column (code, snomedcode or ctv3code)")
        }
        guard let group = table.header.firstIndex(where: { $0.lowercased() == "grouping_16" }) else {
            throw CareError(.config, "\(path):1: no Grouping_16 column (the 16 ethnic categories, 1-16)")
        }
        var map: [String: String] = [:]
        for row in table.rows {
            guard row.fields.count > max(code, group) else { throw CareError(.config, "\(path):\(row.line): too few fields") }
            let c = row.fields[code].trimmingSpaces
            guard !c.isEmpty else { throw CareError(.config, "\(path):\(row.line): field '\(table.header[code])' is empty") }
            guard let n = Int(row.fields[group].trimmingSpaces), (1...16).contains(n) else {
                throw CareError(.config, "\(path):\(row.line): field 'Grouping_16': '\(row.fields[group])' is not a category from 1 to 16")
            }
            map[c] = EthnicCategory.byNumber16[n - 1]
        }
        guard !map.isEmpty else { throw CareError(.config, "\(path): no codes") }
        categories = map
    }

    /// The string value of `"key":"…"` in an event's JSON fragment.
    static func value(_ key: [UInt8], in fragment: ArraySlice<UInt8>) -> String? {
        guard fragment.count > key.count else { return nil }
        var i = fragment.startIndex
        while i + key.count <= fragment.endIndex {
            if fragment[i] == key[0] && fragment[i..<(i + key.count)].elementsEqual(key) {
                let start = i + key.count
                guard let end = fragment[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
                return String(decoding: fragment[start..<end], as: UTF8.self)
            }
            i += 1
        }
        return nil
    }

    static let codeKey = Array(#""code":""#.utf8), systemKey = Array(#""system":""#.utf8)

    /// The ethnicity an event fragment records, if its code is on the list.
    func ethnicity(in fragment: ArraySlice<UInt8>, date: ISODate?, source: String?) -> Ethnicity? {
        guard let code = Self.value(Self.codeKey, in: fragment), let category = categories[code],
              let g = EthnicCategory.groups[category] else { return nil }
        return Ethnicity(code: code, system: Self.value(Self.systemKey, in: fragment) ?? "local", category: category,
                         group16: g.group16, group5: g.group5, source: source, date: date)
    }
}
