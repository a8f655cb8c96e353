import CareCore

/// A CSV table's header: finds columns by name, case-insensitively, trying several spellings
/// (column sets differ between versions of the same extract).
public final class Columns {
    public let names: [String]
    private let index: [String: Int]
    /// Our column name → the extract's (from a mapping file), lower-cased.
    private let aliases: [String: String]

    public init(header: [String], aliases: [String: String] = [:]) {
        self.aliases = aliases
        names = header
        var index: [String: Int] = [:]
        for (i, n) in header.enumerated() where index[n.trimmingSpaces.lowercased()] == nil {
            index[n.trimmingSpaces.lowercased()] = i
        }
        self.index = index
    }

    public func find(_ candidates: String...) -> Int? { find(candidates) }

    public func find(_ candidates: [String]) -> Int? {
        for c in candidates {
            let ours = c.lowercased()
            if let i = index[aliases[ours] ?? ours] { return i }
        }
        return nil
    }

    /// A column the table cannot be read without. Without it, every row of the table is
    /// rejected as "missing required column" (see `TableReader`).
    public func require(_ candidates: String...) throws -> Int {
        if let i = find(candidates) { return i }
        let wanted = candidates.map { c in aliases[c.lowercased()].map { "\($0) (mapped from \(c))" } ?? c }.joined(separator: " or ")
        throw MissingColumn(column: wanted, header: names)
    }
}

/// A table lacks a column it cannot be read without.
public struct MissingColumn: Error, Sendable {
    public var column: String
    public var header: [String]
}

/// Reads one CSV table: the header, then each record. Ragged records and broken quoting are
/// rejected with their line; every data record is counted as read exactly once. A table that
/// lacks a required column is still read: each of its rows is rejected with that reason, and
/// a warning says so once (with --strict the first row stops the run).
enum TableReader {
    static func read(path: String, file: UInt32, context: IngestContext, aliases: [String: String] = [:],
                     header: (Columns) throws -> Void, row: (CSVRow) throws -> Void) throws {
        let input = try InputFile(path: path)
        let reader = CSVReader(input)
        var columnCount: Int?
        var missing: MissingColumn?
        try reader.read(record: { record in
            guard let expected = columnCount else {
                let names = (0..<record.count).map { record.string($0) }
                columnCount = names.count
                do {
                    try header(Columns(header: names, aliases: aliases))
                } catch let m as MissingColumn {
                    missing = m
                    context.accounting.warn("\(path): missing required column \(m.column) (the header has: \(Mask.text(m.header.joined(separator: ", ")))); every row of this table is rejected")
                }
                return
            }
            context.accounting.countRead(1)
            if let missing {
                try context.reject(file: file, line: record.line, field: missing.column, reason: "missing required column")
                return
            }
            guard record.count == expected else {
                try context.reject(file: file, line: record.line, reason: "ragged row",
                                   detail: "\(record.count) fields where the header has \(expected)")
                return
            }
            try row(record)
        }, problem: { p in
            if columnCount == nil {
                throw CareError(.dataError, "\(path):\(p.line): cannot read the header: \(p.reason): \(p.detail)")
            }
            context.accounting.countRead(1)
            try context.reject(file: file, line: p.line, reason: p.reason, detail: p.detail)
        })
        if columnCount == nil {
            throw CareError(.dataError, "\(path): empty file (no header line)")
        }
        if reader.invalidUTF8Lines > 0 {
            context.accounting.warn("\(path): \(reader.invalidUTF8Lines) line(s) have bytes that are not UTF-8 (first at line \(reader.firstInvalidUTF8Line)); they read as U+FFFD. Is the file in another encoding (Windows-1252)? Convert it with iconv first")
        }
    }
}
