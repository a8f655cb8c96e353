/// Writing CSV fields (RFC 4180): quoted only where they must be, quotes doubled.
public enum CSVText {
    @inline(__always) static func needsQuotes(_ s: String) -> Bool {
        s.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
    }

    /// One field as text.
    public static func field(_ s: String) -> String {
        needsQuotes(s) ? "\"" + s.replacing("\"", with: "\"\"") + "\"" : s
    }

    /// One field appended to a line's bytes (the table writers' path: no String built).
    public static func append(_ s: String, to line: inout [UInt8]) {
        guard needsQuotes(s) else { line.append(contentsOf: s.utf8); return }
        line.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            if b == UInt8(ascii: "\"") { line.append(b) }
            line.append(b)
        }
        line.append(UInt8(ascii: "\""))
    }

    /// A whole record, with its line break.
    public static func row(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") + "\n" }
}
