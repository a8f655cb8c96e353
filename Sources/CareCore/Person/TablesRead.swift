/// A record made from only some of an extract's tables (`ingest-gp --only`) says which, in its
/// `tables_read` member; a record without it was made from every table it had. A program that
/// needs a table the record was made without must not read the absence as a fact (no GP events
/// is not "no frailty"): it stops with this error instead.
public enum TablesRead {
    /// Every table of a tables folder besides patients (the tables preset's names).
    public static let everything = ["clinical_events", "medications", "apcs", "ec", "opa", "social_care"]

    /// The tables named by a `tables_read` value (JSON text), or nil when it is not a list of
    /// names.
    public static func parse(_ value: UnsafeBufferPointer<UInt8>) -> [String]? {
        guard let v = try? JSONValue(parsing: value), let list = v.arrayValue else { return nil }
        let names = list.compactMap(\.stringValue)
        return names.count == list.count ? names : nil
    }

    /// Throws when `needs` holds a table the record's `tables_read` leaves out. `what` names the
    /// reader ("eFI", "pathway-audit"); the message names the file and line, never a value.
    public static func require(_ needs: [String], for what: String, tablesRead value: UnsafeBufferPointer<UInt8>,
                               source: String, line: Int) throws {
        guard let read = parse(value) else {
            throw CareError(.dataError, "\(Mask.path(source)):\(line): tables_read: not a list of table names")
        }
        let missing = needs.filter { !read.contains($0) }
        guard !missing.isEmpty else { return }
        throw CareError(.dataError, "\(Mask.path(source)):\(line): \(what) needs \(missing.joined(separator: ", ")), which this record was made without "
                        + "(ingest-gp --only: tables_read \(read.joined(separator: ", "))): ingest those tables, or ask only for what the record holds")
    }
}
