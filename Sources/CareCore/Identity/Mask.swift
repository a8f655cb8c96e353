/// Keeps personal identifiers out of diagnostics. Every message that could show a field's value
/// goes through `Mask.value(field:_:)`, which shows the value only for fields known to carry no
/// identifier (codes, event dates, counts) and a placeholder for everything else.
public enum Mask {
    /// Field names (lower-cased, any source) that identify a person. Their values are never shown.
    public static let identifierFields: Set<String> = [
        "nhs_number", "nhs number", "nhsnumber", "id", "patient", "patient_id", "person_id",
        "la person unique identifier", "birthdate", "birth_date", "date_of_birth", "date of birth", "dob",
        "deathdate", "death_date", "date_of_death", "date of death", "ssn", "drivers", "passport",
        "prefix", "first", "middle", "last", "suffix", "maiden", "name", "given", "family",
        "address", "postcode", "zip", "lat", "lon", "city", "county", "fips", "birthplace",
    ]

    public static func isIdentifier(_ field: String) -> Bool {
        identifierFields.contains(field.lowercased())
    }

    /// A value as it may appear in a message or a rejects file: cut to 40 characters, or
    /// `<withheld: N characters>` for identifier fields.
    public static func value(field: String, _ value: String) -> String {
        if isIdentifier(field) { return "<withheld: \(value.count) characters>" }
        return value.count > 40 ? String(value.prefix(40)) + "…" : value
    }

    /// A file path as messages show it (extracts are often named after their patient): as
    /// `text` shows any text, with no length limit.
    public static func path(_ path: String) -> String { text(path, limit: Int.max) }

    /// Any text from the input as a message may show it: the one masking path for file names,
    /// header lines, libxml2's messages and values. A valid NHS number (ten digits, or written
    /// 3-3-4 with spaces or dashes) becomes `<NHS number>`; a date (`YYYY-MM-DD`, `YYYY/MM/DD`,
    /// `DD/MM/YYYY`, `DD-MM-YYYY`, `YYYYMMDD` of a real day from 1850 on) becomes `<date>`, since
    /// it may be a birth date; a control character (a newline that would forge a second summary
    /// line, a terminal escape) is written as `\u{…}`; the result is cut to `limit` characters.
    public static func text(_ text: String, limit: Int = 200) -> String {
        let c = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0, shown = 0
        func isDigit(_ k: Int) -> Bool { k < c.count && c[k].value >= 0x30 && c[k].value <= 0x39 }
        func digits(_ k: Int, _ n: Int) -> Int? {
            var v = 0
            for x in k..<(k + n) { guard isDigit(x) else { return nil }; v = v * 10 + Int(c[x].value - 0x30) }
            return v
        }
        func realDay(_ y: Int, _ m: Int, _ d: Int) -> Bool {
            y >= 1850 && y <= 2999 && (1...12).contains(m) && d >= 1 && d <= ISODate.daysIn(month: m, year: y)
        }
        func at(_ k: Int, _ ch: Character) -> Bool { k < c.count && Character(c[k]) == ch }
        func sep(_ k: Int) -> Bool { at(k, "-") || at(k, "/") || at(k, " ") }
        func append(_ s: String) { out.append(contentsOf: s.unicodeScalars); shown += s.count }
        while i < c.count && shown < limit {
            let boundary = i == 0 || !isDigit(i - 1)
            if boundary && isDigit(i) {
                // NHS numbers: ten digits, or 3-3-4 with one kind of separator.
                if let n = digits(i, 10), !isDigit(i + 10), NHSNumber.isValid(Mask.tenDigits(n)) { append("<NHS number>"); i += 10; continue }
                if sep(i + 3), sep(i + 7), c[i + 3] == c[i + 7], let a = digits(i, 3), let b = digits(i + 4, 3), let d = digits(i + 8, 4), !isDigit(i + 12),
                   NHSNumber.isValid(Mask.tenDigits(a * 10_000_000 + b * 10_000 + d)) { append("<NHS number>"); i += 12; continue }
                // Dates.
                if (at(i + 4, "-") || at(i + 4, "/")), c[i + 4] == (i + 7 < c.count ? c[i + 7] : " "), let y = digits(i, 4), let m = digits(i + 5, 2),
                   let d = digits(i + 8, 2), !isDigit(i + 10), realDay(y, m, d) { append("<date>"); i += 10; continue }
                if (at(i + 2, "/") || at(i + 2, "-")), c[i + 2] == (i + 5 < c.count ? c[i + 5] : " "), let d = digits(i, 2), let m = digits(i + 3, 2),
                   let y = digits(i + 6, 4), !isDigit(i + 10), realDay(y, m, d) { append("<date>"); i += 10; continue }
                if let v = digits(i, 8), !isDigit(i + 8), realDay(v / 10000, v / 100 % 100, v % 100) { append("<date>"); i += 8; continue }
            }
            let u = c[i]
            if u.value < 0x20 || u.value == 0x7F || (u.value >= 0x80 && u.value < 0xA0) {
                append("\\u{\(String(u.value, radix: 16))}")
            } else {
                out.append(u); shown += 1
            }
            i += 1
        }
        if i < c.count { out.append("…") }
        return String(out)
    }
}

extension Mask {
    /// Ten digits, with leading zeros.
    static func tenDigits(_ n: Int) -> String {
        let digits = n.description
        return String(repeating: "0", count: max(0, 10 - digits.count)) + digits
    }
}
