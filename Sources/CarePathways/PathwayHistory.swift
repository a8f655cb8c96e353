import CareCore

/// When each person entered the group of a `date: entered` pathway (the MDT-review pathway's
/// high-risk group), carried from one run to the next in a small CSV (`pathway-audit --history
/// FILE`): `pathway,id,entered`, after a `# as_of: YYYY-MM-DD` line.
///
/// A person in the group tonight who was in it at the last run keeps the day they entered; one
/// who is new enters tonight; one who left is dropped, so a later return starts a new instance.
/// Memory: one entry per person in such a group (docs/limits.md).
public struct PathwayHistory: Sendable {
    public private(set) var asOf: ISODate?
    struct Key: Hashable, Sendable { var pathway: String; var person: String }
    var entries: [Key: ISODate] = [:]

    public init() {}

    public var count: Int { entries.count }

    public func entered(pathway: String, person: String) -> ISODate? { entries[Key(pathway: pathway, person: person)] }

    public mutating func set(pathway: String, person: String, entered: ISODate) {
        entries[Key(pathway: pathway, person: person)] = entered
    }

    /// Reads the file a previous run wrote. Tonight must not be before that run.
    public init(path: String, tonight: ISODate) throws {
        let bytes = try InputFile(path: path).readAll(limit: 1 << 30)
        let first = String(decoding: bytes.prefix { $0 != 0x0A && $0 != 0x0D }, as: UTF8.self)
        if first.hasPrefix("# as_of: ") { asOf = ISODate.parse(String(first.dropFirst(9)).trimmingSpaces) }
        guard let asOf else {
            throw CareError(.dataError, "\(path):1: not a pathway history (it starts '# as_of: YYYY-MM-DD'; pathway-audit --history writes it)")
        }
        if asOf > tonight {
            throw CareError(.dataError, "\(path): the history is as of \(asOf), after --as-of \(tonight): runs must go forward in time (give the history of an earlier night, or a new file)")
        }
        let table: CSVTable
        do { table = try CSVTable(name: path, bytes: bytes) } catch let e as CSVTableError { throw CareError(.dataError, e.description) }
        let p: Int, i: Int, e: Int
        do { (p, i, e) = (try table.column("pathway"), try table.column("id"), try table.column("entered")) }
        catch let err as CSVTableError { throw CareError(.dataError, err.description) }
        for row in table.rows {
            guard row.fields.count > max(p, i, e), let d = ISODate.parse(row.fields[e]), d <= asOf else {
                throw CareError(.dataError, "\(path):\(row.line): field 'entered': not a date on or before the history's as_of")
            }
            entries[Key(pathway: row.fields[p], person: row.fields[i])] = d
        }
    }

    /// The file's text, sorted, so two runs on the same data write the same bytes.
    public func rendered(asOf: ISODate) -> [UInt8] {
        // Read back by this program, never opened as a spreadsheet: ids written verbatim.
        var out = Array("# as_of: \(asOf)\n# When each person entered the group of a pathway dated 'entered' (pathway-audit --history).\npathway,id,entered\n".utf8)
        for (k, d) in entries.sorted(by: { ($0.key.pathway, $0.key.person) < ($1.key.pathway, $1.key.person) }) {
            CSVText.appendVerbatim(k.pathway, to: &out)
            out.append(UInt8(ascii: ","))
            CSVText.appendVerbatim(k.person, to: &out)
            out.append(contentsOf: ",\(d)\n".utf8)
        }
        return out
    }
}
