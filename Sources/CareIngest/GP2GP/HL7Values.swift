import CareCore

/// HL7 v3 data types as GP2GP uses them (TS dates, IVL_TS intervals, CD codes, PQ quantities).
enum HL7Values {
    /// A TS value: `YYYY`, `YYYYMM`, `YYYYMMDD`, `YYYYMMDDHHMM[SS[.fff]][±ZZZZ]`. The precision is
    /// kept (a year stays a year); the time of day is dropped, except that a time with a zone is an
    /// instant, dated in England (EnglandTime). nil for anything else.
    static func date(_ text: String?) -> ISODate? {
        guard let text else { return nil }
        let digits = text.utf8.prefix { $0 >= 0x30 && $0 <= 0x39 }
        guard digits.count >= 4 else { return nil }
        func number(_ from: Int, _ count: Int) -> Int? {
            let slice = digits.dropFirst(from).prefix(count)
            guard slice.count == count else { return nil }
            return slice.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        guard let y = number(0, 4), y >= 1800, y <= 2999 else { return nil }
        if digits.count < 6 { return ISODate(year: y) }
        guard let m = number(4, 2), (1...12).contains(m) else { return nil }
        if digits.count < 8 { return ISODate(year: y, month: m) }
        guard let d = number(6, 2), d >= 1, d <= ISODate.daysIn(month: m, year: y) else { return nil }
        // A time with a zone (`…HHMM[SS[.fff]]±ZZZZ`) is an instant: dated in England's time.
        // Without one, HL7 says the time is local: its date is kept as written.
        let bytes = Array(text.utf8)
        if digits.count >= 12, let sign = bytes.lastIndex(where: { $0 == 0x2B || $0 == 0x2D }), sign >= 12,
           bytes.count - sign == 5, let hh = number(8, 2), let mi = number(10, 2), hh <= 24, mi <= 59 {
            let zone = bytes[(sign + 1)...].reduce(0) { $0 * 10 + Int($1) - 0x30 }
            guard bytes[(sign + 1)...].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), zone % 100 <= 59 else { return nil }
            let offset = (bytes[sign] == 0x2D ? -1 : 1) * (zone / 100 * 60 + zone % 100)
            return EnglandTime.date(of: ISODate(year: y, month: m, day: d), minute: hh * 60 + mi, offsetMinutes: offset)
        }
        return ISODate(year: y, month: m, day: d)
    }

    /// An IVL_TS or TS element's start: `center`, else `low`, else its own `value`.
    /// `present` tells whether a value was written at all (so a bad one can be reported).
    static func start(_ e: XMLElement?) -> (date: ISODate?, text: String?) {
        guard let e else { return (nil, nil) }
        for part in [e.child("center"), e.child("low")] {
            if let v = part?.attribute("value") { return (date(v), v) }
        }
        if let v = e.attribute("value") { return (date(v), v) }
        return (nil, nil)
    }

    /// An IVL_TS element's end (`high`).
    static func end(_ e: XMLElement?) -> ISODate? { date(e?.child("high")?.attribute("value")) }

    /// A CD element's codes: its own code and every translation, in order.
    static func codes(_ cd: XMLElement?, into codes: inout EntryCodes, medication: Bool = false) {
        guard let cd else { return }
        codes.add(systemIdentifier: cd.attribute("codeSystem"), code: cd.attribute("code"), medication: medication)
        cd.forEachChild { t in
            if t.named("translation") {
                codes.add(systemIdentifier: t.attribute("codeSystem"), code: t.attribute("code"), medication: medication)
            }
        }
    }

    /// A PQ value: number text (JSON) and unit; nil when absent or not a number.
    static func quantity(_ value: XMLElement?) -> (number: String, unit: String?)? {
        guard let value, let v = value.attribute("value"), let n = JSONNumber.text(v.trimmingSpaces) else { return nil }
        // GP2GP writes unit "1" when the sender's unit is not UCUM, and gives it as the
        // translation's original text instead ("10*9/L"; "Unknown UoM" when there is none).
        var unit = value.attribute("unit").flatMap { $0 == "1" || $0.isEmpty ? nil : $0 }
        if unit == nil, let text = value.at("translation", "originalText")?.text.trimmingSpaces,
           !text.isEmpty, text != "Unknown UoM" {
            unit = text
        }
        return (n, unit)
    }
}
