import CareCore

/// A patients-table row's fragment, written straight from the row's fields: the bytes
/// `Person.write` gives for a person of demographics only (`{"id":""`, the members in
/// `writeHead`'s order, `,"sources":[],"events":[],"encounters":[],"care":[]}`), without making
/// a Person and its strings for every row. PersonAssembler splices these members into the record
/// (`demographicMembers`); the output identity test (scripts/ingest-identity.sh) holds the two
/// writers to the same bytes.
struct PatientFragment {
    var nhsNumber: String?
    var birthDate: ISODate?
    var sex: String?
    var deathDate: ISODate?
    var deathPlace: String?
    var practice: UnsafeBufferPointer<UInt8>?
    var team: UnsafeBufferPointer<UInt8>?
    var lsoa: UnsafeBufferPointer<UInt8>?
    /// The ethnicity member's value, as `Person.writeHead` writes it.
    var ethnicity: [UInt8]?
    var registrationStart: ISODate?
    var registrationEnd: ISODate?

    func write(to w: inout JSONWriter) {
        var first = false   // after the id
        w.raw(#"{"id":"""#)
        w.optionalString("nhs_number", nhsNumber, first: &first)
        w.date("birth_date", birthDate, first: &first)
        w.optionalString("sex", sex, first: &first)
        w.date("death_date", deathDate, first: &first)
        w.optionalString("death_place", deathPlace, first: &first)
        Self.text("practice", practice, to: &w)
        Self.text("team", team, to: &w)
        Self.text("lsoa", lsoa, to: &w)
        if let ethnicity {
            w.raw(#","ethnicity":"#)
            w.raw(ethnicity)
        }
        w.date("registration_start", registrationStart, first: &first)
        w.date("registration_end", registrationEnd, first: &first)
        w.raw(#","sources":[],"events":[],"encounters":[],"care":[]}"#)
    }

    /// A trimmed text field as `CSVRow.optionalString` then `JSONWriter.string` would write it:
    /// ASCII straight from the bytes; anything else through a String (whose decoding replaces
    /// invalid UTF-8 as the general path does).
    static func text(_ name: StaticString, _ value: UnsafeBufferPointer<UInt8>?, to w: inout JSONWriter) {
        guard let value else { return }
        var first = false
        w.member(name, first: &first)
        if value.allSatisfy({ $0 < 0x80 }) { w.string(utf8: value) } else { w.string(String(decoding: value, as: UTF8.self)) }
    }
}

/// Values worked out from a field's text, kept for the few distinct texts a coded column holds
/// (sex, place of death, ethnic category): the work and its strings once per text, not per row.
/// Past `limit` distinct texts it stops keeping new ones.
final class FieldValueCache<Value> {
    private var keys: [[UInt8]] = []
    private var tags: [UInt32] = []
    private var values: [Value?] = []
    private let limit: Int

    init(limit: Int = 64) { self.limit = limit }

    func value(_ text: UnsafeBufferPointer<UInt8>, tag: UInt32 = 0, make: () -> Value?) -> Value? {
        for i in keys.indices where tags[i] == tag && keys[i].count == text.count && keys[i].elementsEqual(text) { return values[i] }
        let v = make()
        if keys.count < limit { keys.append(Array(text)); tags.append(tag); values.append(v) }
        return v
    }
}
