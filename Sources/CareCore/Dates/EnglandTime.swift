import Foundation

/// Calendar dates in England's civil time (Europe/London: GMT in winter, BST in summer).
///
/// An instant written with an offset (`2024-06-30T23:30:00Z`, HL7 `20240630233000+0000`) is a
/// moment, not a day: the day it falls on in England is the day a clinician there would write,
/// and the day an extract written in local time gives (Synthea's CSV writes UTC, its FHIR the
/// local offset; both now agree). docs/formats.md, "Dates and times".
///
/// From 1972 the United Kingdom's summer-time rules are computed here (they are the tz
/// database's GB-Eire and EU rules, and a test compares every transition from 1972 to 2037
/// with the system's tz database); earlier instants ask Foundation's copy of the tz database.
public enum EnglandTime {
    /// The date in England of an instant written as a date, a time of day (`minute` minutes
    /// after midnight) and the offset it was written with (minutes east of UTC).
    public static func date(of written: ISODate, minute: Int, offsetMinutes offset: Int) -> ISODate {
        let utc = written.dayNumber * 1440 + minute - offset
        let local = utc + offsetMinutes(utcMinute: utc)
        return ISODate(dayNumber: floorDiv(local, 1440))
    }

    @inline(__always) static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : (a - b + 1) / b }

    /// Minutes England is ahead of UTC at the instant `utcMinute` minutes after 1970-01-01T00:00Z.
    public static func offsetMinutes(utcMinute: Int) -> Int {
        let year = ISODate(dayNumber: floorDiv(utcMinute, 1440)).year
        guard year >= 1972 else { return historicalOffset(utcMinute: utcMinute) }
        let (start, end) = summerTime(year: year)
        return utcMinute >= start && utcMinute < end ? 60 : 0
    }

    /// The UTC minutes (since 1970) at which summer time starts and ends in `year` (≥ 1972).
    static func summerTime(year: Int) -> (start: Int, end: Int) {
        if year <= 1980 {
            // GB-Eire 1972–1980: Mar Sun>=16 and Oct Sun>=23, both at 02:00 GMT.
            return (sunday(onOrAfter: ISODate(year: year, month: 3, day: 16)) * 1440 + 120,
                    sunday(onOrAfter: ISODate(year: year, month: 10, day: 23)) * 1440 + 120)
        }
        // 1981 on: last Sunday in March at 01:00 UTC; the end was Oct Sun>=23 (1981–1989),
        // Sun>=22 (1990–1995), and the EU's last Sunday in October from 1996, all at 01:00 UTC.
        let start = lastSunday(month: 3, year: year) * 1440 + 60
        let endDay: Int
        switch year {
        case ...1989: endDay = sunday(onOrAfter: ISODate(year: year, month: 10, day: 23))
        case ...1995: endDay = sunday(onOrAfter: ISODate(year: year, month: 10, day: 22))
        default: endDay = lastSunday(month: 10, year: year)
        }
        return (start, endDay * 1440 + 60)
    }

    /// 1970-01-01 was a Thursday: weekday 0 = Sunday.
    static func weekday(_ dayNumber: Int) -> Int { ((dayNumber + 4) % 7 + 7) % 7 }

    static func sunday(onOrAfter d: ISODate) -> Int {
        let n = d.dayNumber
        return n + (7 - weekday(n)) % 7
    }

    static func lastSunday(month: Int, year: Int) -> Int {
        let last = ISODate(year: year, month: month, day: ISODate.daysIn(month: month, year: year)).dayNumber
        return last - weekday(last)
    }

    private static let london = TimeZone(identifier: "Europe/London")

    private static func historicalOffset(utcMinute: Int) -> Int {
        guard let london else { return 0 }
        return london.secondsFromGMT(for: Date(timeIntervalSince1970: Double(utcMinute) * 60)) / 60
    }
}
