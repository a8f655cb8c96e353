// Writing and reading schema-1 JSON. Absent values are omitted (absent = unknown; `null` is
// read the same way). Keys are written in a fixed order so output is byte-identical run to run.

extension JSONWriter {
    mutating func codes(_ list: [Code]) {
        raw(UInt8(ascii: "["))
        for (i, c) in list.enumerated() {
            if i > 0 { raw(UInt8(ascii: ",")) }
            c.write(to: &self)
        }
        raw(UInt8(ascii: "]"))
    }
}

extension Code {
    public func write(to w: inout JSONWriter) {
        var first = true
        w.raw(UInt8(ascii: "{"))
        w.member("system", first: &first); w.string(system)
        w.member("code", first: &first); w.string(code)
        if original { w.member("original", first: &first); w.bool(true) }
        w.raw(UInt8(ascii: "}"))
    }

    public init(view o: JSONObjectView) throws(JSONError) {
        self.init(system: try o.required("system"), code: try o.required("code"), original: try o.bool("original") ?? false)
    }
}

extension Event {
    public func write(to w: inout JSONWriter) {
        Event.writeOpening(date: date, to: &w)
        writeBody(to: &w)
        Event.writeClosing(source: source, to: &w)
    }

    /// `{"date":"…"` — an event always starts with its date.
    public static func writeOpening(date: ISODate, to w: inout JSONWriter) {
        w.raw(#"{"date":""#)
        date.write(to: &w)
        w.raw(UInt8(ascii: "\""))
    }

    /// The members between the date and the source, each with its leading comma. ingest-gp
    /// sorts only this part (the date is in the sort key, the source in the row's header) and
    /// puts the event together when it writes the person.
    public func writeBody(to w: inout JSONWriter) {
        var first = false
        w.date("end", end, first: &first)
        w.optionalString("kind", kind, first: &first)
        w.member("system", first: &first); w.string(system)
        w.member("code", first: &first); w.string(code)
        if !otherCodes.isEmpty { w.member("other_codes", first: &first); w.codes(otherCodes) }
        if let value { w.member("value", first: &first); w.raw(value.utf8) }
        w.optionalString("unit", unit, first: &first)
        w.optionalString("status", status, first: &first)
        w.optionalString("significance", significance, first: &first)
        w.optionalString("date_from", dateFrom, first: &first)
        w.optionalString("end_reason", endReason, first: &first)
        w.optionalString("term", term, first: &first)
    }

    /// `,"source":…}` with the source already written as a JSON string.
    public static func writeClosing(sourceJSON: [UInt8], to w: inout JSONWriter) {
        w.raw(#","source":"#)
        w.raw(sourceJSON)
        w.raw(UInt8(ascii: "}"))
    }

    static func writeClosing(source: String, to w: inout JSONWriter) {
        w.raw(#","source":"#)
        w.string(source)
        w.raw(UInt8(ascii: "}"))
    }

    public init(view o: JSONObjectView) throws(JSONError) {
        self.init(date: try o.requiredDate("date"), end: try o.date("end"), kind: try o.string("kind"),
                  system: try o.required("system"), code: try o.required("code"),
                  value: try o.number("value").map { _ in String(decoding: o.raw("value")!, as: UTF8.self) },
                    unit: try o.string("unit"), term: try o.string("term"), source: try o.required("source"),
                  otherCodes: try o.objects("other_codes") { (v) throws(JSONError) in try Code(view: v) },
                  status: try o.string("status"), significance: try o.string("significance"), dateFrom: try o.string("date_from"),
                  endReason: try o.string("end_reason"))
    }
}

extension Encounter {
    public func write(to w: inout JSONWriter) {
        var first = true
        w.raw(UInt8(ascii: "{"))
        w.member("kind", first: &first); w.string(kind)
        w.date("start", start, first: &first)
        w.date("end", end, first: &first)
        w.optionalString("method", method, first: &first)
        w.optionalString("admission_method", admissionMethod, first: &first)
        if let code { w.member("code", first: &first); code.write(to: &w) }
        if !diagnoses.isEmpty { w.member("diagnoses", first: &first); w.codes(diagnoses) }
        if !procedures.isEmpty { w.member("procedures", first: &first); w.codes(procedures) }
        w.optionalString("destination", destination, first: &first)
        w.optionalString("discharge_destination", dischargeDestination, first: &first)
        w.member("source", first: &first); w.string(source)
        w.raw(UInt8(ascii: "}"))
    }

    public init(view o: JSONObjectView) throws(JSONError) {
        let code: Code? = try o.object("code").map { (v) throws(JSONError) in try Code(view: v) }
        self.init(kind: try o.required("kind"), start: try o.requiredDate("start"), end: try o.date("end"),
                  method: try o.string("method"), admissionMethod: try o.string("admission_method"),
                  diagnoses: try o.objects("diagnoses") { (v) throws(JSONError) in try Code(view: v) },
                  procedures: try o.objects("procedures") { (v) throws(JSONError) in try Code(view: v) },
                  destination: try o.string("destination"), dischargeDestination: try o.string("discharge_destination"),
                  code: code, source: try o.required("source"))
    }
}

extension CareEpisode {
    public func write(to w: inout JSONWriter) {
        var first = true
        w.raw(UInt8(ascii: "{"))
        w.member("kind", first: &first); w.string(kind)
        w.date("start", start, first: &first)
        w.date("end", end, first: &first)
        if let permanent { w.member("permanent", first: &first); w.bool(permanent) }
        w.optionalString("route", route, first: &first)
        w.member("source", first: &first); w.string(source)
        w.raw(UInt8(ascii: "}"))
    }

    public init(view o: JSONObjectView) throws(JSONError) {
        self.init(kind: try o.required("kind"), start: try o.requiredDate("start"), end: try o.date("end"),
                  permanent: try o.bool("permanent"), route: try o.string("route"), source: try o.required("source"))
    }
}

extension Conflict {
    func write(to w: inout JSONWriter) {
        var first = true
        w.raw(UInt8(ascii: "{"))
        w.member("field", first: &first); w.string(field)
        w.member("kept", first: &first); w.string(kept)
        w.member("kept_source", first: &first); w.string(keptSource)
        w.member("other", first: &first); w.string(other)
        w.member("other_source", first: &first); w.string(otherSource)
        w.raw(UInt8(ascii: "}"))
    }

    init(view o: JSONObjectView) throws(JSONError) {
        self.init(field: try o.required("field"), kept: try o.required("kept"), keptSource: try o.required("kept_source"),
                  other: try o.required("other"), otherSource: try o.required("other_source"))
    }
}

extension Person {
    /// The keys of schema 1, in the order they are written.
    public static let schemaKeys: [String] = ["id", "nhs_number", "birth_date", "sex", "death_date", "death_place", "practice", "team", "lsoa", "ethnicity",
                                              "registration_start", "registration_end", "sources", "events", "encounters",
                                              "care", "conflicts"]

    /// Writes the person as one JSON object (no newline).
    public func write(to w: inout JSONWriter) {
        writeHead(to: &w)
        w.raw(#","events":"#)
        w.list(events) { $1.write(to: &$0) }
        w.raw(#","encounters":"#)
        w.list(encounters) { $1.write(to: &$0) }
        w.raw(#","care":"#)
        w.list(care) { $1.write(to: &$0) }
        writeTail(to: &w)
    }

    /// Everything before the item arrays: `{"id":…,…,"sources":[…]` (no closing brace).
    /// With `writeTail`, lets a caller splice in item arrays it already holds as JSON.
    public func writeHead(to w: inout JSONWriter) {
        var first = true
        w.raw(UInt8(ascii: "{"))
        w.member("id", first: &first); w.string(id)
        w.optionalString("nhs_number", nhsNumber, first: &first)
        w.date("birth_date", birthDate, first: &first)
        w.optionalString("sex", sex, first: &first)
        w.date("death_date", deathDate, first: &first)
        w.optionalString("death_place", deathPlace, first: &first)
        w.optionalString("practice", practice, first: &first)
        w.optionalString("team", team, first: &first)
        w.optionalString("lsoa", lsoa, first: &first)
        if let e = ethnicity {
            w.member("ethnicity", first: &first)
            Self.writeEthnicity(e, to: &w)
        }
        w.date("registration_start", registrationStart, first: &first)
        w.date("registration_end", registrationEnd, first: &first)
        w.member("sources", first: &first)
        w.raw(UInt8(ascii: "["))
        for (i, s) in sources.enumerated() {
            if i > 0 { w.raw(UInt8(ascii: ",")) }
            w.string(s)
        }
        w.raw(UInt8(ascii: "]"))
    }

    /// The `ethnicity` member's value.
    public static func writeEthnicity(_ e: Ethnicity, to w: inout JSONWriter) {
        var f = true
        w.raw(UInt8(ascii: "{"))
        w.member("code", first: &f); w.string(e.code)
        w.member("system", first: &f); w.string(e.system)
        w.optionalString("category", e.category, first: &f)
        w.optionalString("group16", e.group16, first: &f)
        w.optionalString("group5", e.group5, first: &f)
        w.optionalString("source", e.source, first: &f)
        w.date("date", e.date, first: &f)
        w.raw(UInt8(ascii: "}"))
    }

    /// Everything after the item arrays: conflicts, keys of later programs, and the closing brace.
    public func writeTail(to w: inout JSONWriter) {
        if !conflicts.isEmpty {
            w.raw(#","conflicts":"#)
            w.list(conflicts) { $1.write(to: &$0) }
        }
        for (key, raw) in extra {
            w.raw(UInt8(ascii: ","))
            w.string(key)
            w.raw(UInt8(ascii: ":"))
            w.raw(raw)
        }
        w.raw(UInt8(ascii: "}"))
    }

    /// One JSON line (with the trailing newline).
    public var jsonLine: [UInt8] {
        var w = JSONWriter(capacity: 1024)
        write(to: &w)
        w.raw(UInt8(ascii: "\n"))
        return w.bytes
    }

    /// Reads a person from one JSON object. Unknown keys are kept in `extra`, byte for byte.
    public init(view o: JSONObjectView) throws(JSONError) {
        let known = Set(Person.schemaKeys)
        var extra: [(key: String, raw: [UInt8])] = []
        for (i, k) in o.keys.enumerated() where !known.contains(k) {
            extra.append((k, Array(UnsafeBufferPointer(rebasing: o.bytes[o.values[i]]))))
        }
        self.init(id: try o.required("id"), nhsNumber: try o.string("nhs_number"), birthDate: try o.date("birth_date"),
                  sex: try o.string("sex"), deathDate: try o.date("death_date"), practice: try o.string("practice"),
                  team: try o.string("team"), lsoa: try o.string("lsoa"),
                  registrationStart: try o.date("registration_start"), registrationEnd: try o.date("registration_end"),
                  sources: try o.strings("sources"),
                  events: try o.objects("events") { (v) throws(JSONError) in try Event(view: v) },
                  encounters: try o.objects("encounters") { (v) throws(JSONError) in try Encounter(view: v) },
                  care: try o.objects("care") { (v) throws(JSONError) in try CareEpisode(view: v) },
                  conflicts: try o.objects("conflicts") { (v) throws(JSONError) in try Conflict(view: v) },
                  extra: extra)
        deathPlace = try o.string("death_place")
        if let raw = o.raw("ethnicity"), !o.isNull("ethnicity") {
            let e = try JSONObjectView(raw)
            ethnicity = Ethnicity(code: try e.required("code"), system: try e.required("system"), category: try e.string("category"),
                                  group16: try e.string("group16"), group5: try e.string("group5"), source: try e.string("source"),
                                  date: try e.date("date"))
        }
    }

    public init(jsonLine bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) {
        try self.init(view: try JSONObjectView(bytes))
    }

    public init(json text: String) throws(JSONError) {
        let bytes = Array(text.utf8)
        self = try bytes.withUnsafeBufferPointer { (b) throws(JSONError) -> Person in try Person(jsonLine: b) }
    }
}

extension JSONObjectView {
    /// A required string member; a clear error names it when absent.
    public func required(_ key: String) throws(JSONError) -> String {
        guard let v = try string(key) else {
            throw JSONError(offset: 0, message: "missing required \"\(key)\"")
        }
        return v
    }

    public func date(_ key: String) throws(JSONError) -> ISODate? {
        guard let s = try string(key) else { return nil }
        guard let d = ISODate.parse(s) else {
            throw JSONError(offset: values[index(of: key)!].lowerBound, message: "\"\(key)\" is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
        }
        return d
    }

    public func requiredDate(_ key: String) throws(JSONError) -> ISODate {
        guard let d = try date(key) else { throw JSONError(offset: 0, message: "missing required \"\(key)\"") }
        return d
    }

    public func strings(_ key: String) throws(JSONError) -> [String] {
        var out: [String] = []
        for r in try arrayElements(key) {
            var s = JSONScanner(bytes, position: r.lowerBound)
            guard bytes[r.lowerBound] == UInt8(ascii: "\"") else {
                throw JSONError(offset: r.lowerBound, message: "\"\(key)\" must hold strings")
            }
            out.append(s.decodeString(try s.scanString()))
        }
        return out
    }

    public func object(_ key: String) throws(JSONError) -> JSONObjectView? {
        guard let i = index(of: key) else { return nil }
        let r = values[i]
        if bytes[r.lowerBound] == UInt8(ascii: "n") { return nil }
        return try JSONObjectView(UnsafeBufferPointer(rebasing: bytes[r]))
    }

    public func objects<T>(_ key: String, _ make: (JSONObjectView) throws(JSONError) -> T) throws(JSONError) -> [T] {
        var out: [T] = []
        for r in try arrayElements(key) {
            out.append(try make(try JSONObjectView(UnsafeBufferPointer(rebasing: bytes[r]))))
        }
        return out
    }
}
