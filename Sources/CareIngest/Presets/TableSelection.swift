import CareCore

/// The tables of a CSV table folder a run reads (`ingest-gp --only`): named, or by group. The
/// patients tables are always read (they make the people). Records made from a selection say
/// so (`tables_read`), so a later program that needs a table left out refuses them
/// (`TablesRead`, in CareCore) instead of scoring an absence as a fact.
public struct TableSelection: Sendable, Equatable {
    /// The tables of the tables preset besides patients, in the preset's order.
    public static let all = TablesRead.everything
    public static let groups: [String: [String]] = [
        "gp": ["clinical_events", "medications"],
        "hospital": ["apcs", "ec", "opa"],
        "social-care": ["social_care"],
    ]

    public let tables: Set<String>

    public init(parsing text: String) throws {
        var chosen = Set<String>()
        for part in text.split(separator: ",").map({ String($0).trimmingSpaces }) where !part.isEmpty {
            if let g = Self.groups[part] { chosen.formUnion(g) }
            else if Self.all.contains(part) { chosen.insert(part) }
            else if part == "patients" { continue }
            else {
                throw CareError(.usage, "--only: '\(part)' is not a table (\(Self.all.joined(separator: ", "))) or a group (gp, hospital, social-care)")
            }
        }
        guard !chosen.isEmpty else { throw CareError(.usage, "--only: name at least one table besides patients (which is always read)") }
        tables = chosen
    }

    /// The record's `tables_read` member, as JSON: every table read, in the preset's order.
    var recordMember: [UInt8] {
        var w = JSONWriter(capacity: 128)
        w.raw(#","tables_read":"#)
        w.list(["patients"] + Self.all.filter(tables.contains)) { $0.string($1) }
        return w.bytes
    }
}
