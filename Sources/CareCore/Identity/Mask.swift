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

    /// A file path as messages show it: any run of exactly ten digits that is a valid NHS number
    /// (extracts are often named after their patient) becomes `<NHS number>`.
    public static func path(_ path: String) -> String {
        let chars = Array(path)
        var out = ""
        var i = 0
        while i < chars.count {
            guard chars[i].isASCII && chars[i].isNumber else { out.append(chars[i]); i += 1; continue }
            var j = i
            while j < chars.count && chars[j].isASCII && chars[j].isNumber { j += 1 }
            let run = String(chars[i..<j])
            out += run.count == 10 && NHSNumber.isValid(run) ? "<NHS number>" : run
            i = j
        }
        return out
    }
}
