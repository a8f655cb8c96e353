/// A small CSV table read whole: bundled model tables, code lists (OpenCodelists downloads,
/// `code,term` with quoted terms), team maps, exclusion lists. Lines starting with `#` are comments (citations);
/// the first other line is the header. RFC 4180 quoting; CRLF or LF.
public struct CSVTable: Sendable {
    public let name: String
    public let header: [String]
    /// Each data row with the line number it came from.
    public let rows: [(line: Int, fields: [String])]

    public init(name: String, text: String) throws {
        self.name = name
        var header: [String]?
        var rows: [(Int, [String])] = []
        var lineNumber = 0
        var fields: [String] = []
        var field = ""
        var quoted = false
        var startLine = 1
        var atLineStart = true
        var comment = false
        var justClosed = false
        func endRecord() {
            fields.append(field)
            field = ""
            defer { fields = [] }
            if fields == [""] { return }
            if header == nil { header = fields } else { rows.append((startLine, fields)) }
        }
        lineNumber = 1
        for ch in text.unicodeScalars {
            if atLineStart {
                atLineStart = false
                startLine = lineNumber
                comment = ch == "#"
            }
            if comment {
                if ch == "\n" { lineNumber += 1; atLineStart = true; comment = false }
                continue
            }
            if quoted {
                if ch == "\"" { quoted = false; justClosed = true } else { field.unicodeScalars.append(ch); if ch == "\n" { lineNumber += 1 } }
                continue
            }
            defer { justClosed = false }
            switch ch {
            case "\"":
                // A doubled quote inside a quoted field ("a ""b""") is one quote.
                if justClosed { field.unicodeScalars.append(ch) }
                quoted = true
            case ",": fields.append(field); field = ""
            case "\r": continue
            case "\n": endRecord(); lineNumber += 1; atLineStart = true
            default: field.unicodeScalars.append(ch)
            }
        }
        if quoted { throw CSVTableError(table: name, line: startLine, message: "unterminated quoted field") }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        guard let header else { throw CSVTableError(table: name, line: 1, message: "no header line") }
        self.header = header.map { $0.trimmingSpaces }
        self.rows = rows
    }

    public init(name: String, bytes: [UInt8]) throws {
        try self.init(name: name, text: String(decoding: bytes, as: UTF8.self))
    }

    /// Reads a file (or `-`); errors become `CareError`s naming the file and line.
    public init(path: String) throws {
        do { try self.init(name: path, bytes: try InputFile(path: path).readAll()) }
        catch let e as CSVTableError { throw CareError(.dataError, e.description) }
    }

    /// Like `values`, but a missing column is a `CareError` (exit 65) naming the file.
    public func requiredValues(_ name: String) throws -> [String] {
        do { return try values(name) } catch let e as CSVTableError { throw CareError(.dataError, e.description) }
    }

    /// The index of a column, or an error naming the table.
    public func column(_ name: String) throws -> Int {
        guard let i = header.firstIndex(of: name) else {
            throw CSVTableError(table: self.name, line: 1, message: "no column '\(name)' (columns: \(Mask.text(header.joined(separator: ", "))))")
        }
        return i
    }

    /// Each row's value in column `name` (empty when the row is short).
    public func values(_ name: String) throws -> [String] {
        let i = try column(name)
        return rows.map { i < $0.fields.count ? $0.fields[i].trimmingSpaces : "" }
    }
}

public struct CSVTableError: Error, CustomStringConvertible {
    public var table: String
    public var line: Int
    public var message: String
    public var description: String { "\(table):\(line): \(message)" }
    public init(table: String, line: Int, message: String) { self.table = table; self.line = line; self.message = message }
}
