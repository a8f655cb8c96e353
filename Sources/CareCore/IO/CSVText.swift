/// Writing CSV fields (RFC 4180): quoted only where they must be, quotes doubled, and safe to
/// open in a spreadsheet.
///
/// **Formula injection** (OWASP, "CSV Injection"): a cell that begins with `=`, `+`, `-`, `@`, a
/// tab or a carriage return is run as a formula by Excel, LibreOffice and Google Sheets when the
/// file is opened, so a value from an extract (a practice name, a term, a reason) could run
/// code on the GP's machine. Such a cell is written with a leading `'` (which spreadsheets take
/// as "text", and show without it) and quoted, as OWASP advises; a cell that is a plain number
/// (`-1.5`, `+44`) is left as it is. docs/lists.md says so. Extract tables written as input
/// for ingest-gp (synth-extract) use `appendVerbatim`.
public enum CSVText {
    @inline(__always) static func needsQuotes(_ s: String) -> Bool {
        s.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
    }

    /// Whether a spreadsheet would read the cell as a formula.
    @inline(__always) static func isFormula(_ s: String) -> Bool {
        guard let first = s.utf8.first else { return false }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "@"), 0x09, 0x0D: return true
        case UInt8(ascii: "+"), UInt8(ascii: "-"): return Double(s) == nil
        default: return false
        }
    }

    /// One field as text.
    public static func field(_ s: String) -> String {
        if isFormula(s) { return "\"'" + s.replacing("\"", with: "\"\"") + "\"" }
        return needsQuotes(s) ? "\"" + s.replacing("\"", with: "\"\"") + "\"" : s
    }

    /// One field appended to a line's bytes (the table writers' path: no String built).
    public static func append(_ s: String, to line: inout [UInt8]) {
        if isFormula(s) {
            line.append(UInt8(ascii: "\""))
            line.append(UInt8(ascii: "'"))
            appendQuotedBody(s, to: &line)
            line.append(UInt8(ascii: "\""))
            return
        }
        appendVerbatim(s, to: &line)
    }

    /// One field as RFC 4180 writes it, with no formula guard: for CSV read back by a program
    /// (synth-extract's extract tables), never opened as a spreadsheet.
    public static func appendVerbatim(_ s: String, to line: inout [UInt8]) {
        guard needsQuotes(s) else { line.append(contentsOf: s.utf8); return }
        line.append(UInt8(ascii: "\""))
        appendQuotedBody(s, to: &line)
        line.append(UInt8(ascii: "\""))
    }

    @inline(__always) static func appendQuotedBody(_ s: String, to line: inout [UInt8]) {
        for b in s.utf8 {
            if b == UInt8(ascii: "\"") { line.append(b) }
            line.append(b)
        }
    }

    /// A whole record, with its line break.
    public static func row(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") + "\n" }
}
