import CareCore

/// Field-level checks shared by the presets. Each returns `.rejected` after recording the
/// reject, so a preset writes `guard case let .ok(x) = try ... else { return }`.
enum Checked<T> {
    case ok(T)
    case rejected
}

struct RowFields {
    let context: IngestContext
    let file: UInt32
    let row: CSVRow
    let columns: Columns

    func name(_ i: Int) -> String { columns.names[i] }

    /// A date column. Blank is `.ok(nil)` unless required; anything unparseable is rejected.
    func date(_ col: Int?, required: Bool) throws -> Checked<ISODate?> {
        guard let col else { return .ok(nil) }
        let f = row.trimmed(col)
        if f.isEmpty {
            if required {
                try context.reject(file: file, line: row.line, field: name(col), reason: "missing date")
                return .rejected
            }
            return .ok(nil)
        }
        guard let d = ISODate.parse(f) else {
            try context.reject(file: file, line: row.line, field: name(col), reason: "invalid date",
                               value: String(decoding: f, as: UTF8.self))
            return .rejected
        }
        return .ok(d)
    }

    /// A required, non-blank text column.
    func required(_ col: Int) throws -> Checked<UnsafeBufferPointer<UInt8>> {
        let f = row.trimmed(col)
        if f.isEmpty {
            try context.reject(file: file, line: row.line, field: name(col), reason: "missing value")
            return .rejected
        }
        return .ok(f)
    }

    /// A person key column (local id or NHS number). Never shown in messages. `plain` tells
    /// whether an NHS number was written as ten bare digits (else it needs normalising).
    func personKey(_ col: Int, isNHSNumber: Bool) throws -> Checked<UnsafeBufferPointer<UInt8>> {
        var plain = true
        return try personKey(col, isNHSNumber: isNHSNumber, plain: &plain)
    }

    func personKey(_ col: Int, isNHSNumber: Bool, plain: inout Bool) throws -> Checked<UnsafeBufferPointer<UInt8>> {
        let f = row.trimmed(col)
        if f.isEmpty {
            try context.reject(file: file, line: row.line, field: name(col), reason: "missing person identifier")
            return .rejected
        }
        if isNHSNumber, let problem = NHSNumber.problem(f, isPlain: &plain) {
            try context.reject(file: file, line: row.line, field: name(col), reason: "invalid NHS number", detail: problem.rawValue)
            return .rejected
        }
        return .ok(f)
    }

    /// A number column, written as JSON number text; nil when blank or not a number
    /// (observations may hold text values).
    func numberText(_ col: Int?) -> String? {
        guard let col else { return nil }
        let f = row.trimmed(col)
        guard !f.isEmpty else { return nil }
        return JSONNumber.text(String(decoding: f, as: UTF8.self))
    }
}

enum JSONNumber {
    /// True when the bytes are a number in JSON's grammar (so they can be copied as they are).
    static func isValid(_ f: UnsafeBufferPointer<UInt8>) -> Bool {
        var s = JSONScanner(f)
        guard (try? s.skipValue()) != nil, s.atEnd, let first = f.first else { return false }
        return first == UInt8(ascii: "-") || (0x30...0x39).contains(first)
    }

    /// A number as JSON number text: as written when it already is one, else rewritten
    /// ("+5", ".5", "1e3" forms); nil when it is not a finite number.
    static func text(_ text: String) -> String? {
        var copy = text
        if copy.withUTF8({ isValid($0) }) { return text }
        guard let d = Double(text), d.isFinite else { return nil }
        var w = JSONWriter(capacity: 24)
        w.double(d)
        return String(decoding: w.bytes, as: UTF8.self)
    }
}
