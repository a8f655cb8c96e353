/// A calendar date, possibly partial (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`), as schema 1 uses.
/// A partial date keeps its precision: we never invent a day or a month.
public struct ISODate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    /// 1...12, or 0 when the month is unknown.
    public var month: Int
    /// 1...31, or 0 when the day is unknown.
    public var day: Int

    public enum Precision: String, Sendable { case year, month, day }

    public var precision: Precision { month == 0 ? .year : (day == 0 ? .month : .day) }

    public init(year: Int, month: Int = 0, day: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
    }

    public static func < (a: ISODate, b: ISODate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    public var description: String {
        var w = JSONWriter(capacity: 10)
        write(to: &w)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// Appends the ISO text without quotes. A year outside 0–9999 (no parsed date is; only
    /// arithmetic far past the limits could make one) is written in full, never as other digits.
    public func write(to w: inout JSONWriter) {
        @inline(__always) func two(_ v: Int) {
            w.raw(UInt8(ascii: "0") + UInt8(v / 10))
            w.raw(UInt8(ascii: "0") + UInt8(v % 10))
        }
        if (0...9999).contains(year) {
            two(year / 100)
            two(year % 100)
        } else {
            w.raw(String(year).utf8)
        }
        if month > 0 { w.raw(UInt8(ascii: "-")); two(month) }
        if day > 0 { w.raw(UInt8(ascii: "-")); two(day) }
    }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of the first day this date covers (H. Hinnant's days_from_civil).
    public var dayNumber: Int {
        let m = max(month, 1), d = max(day, 1)
        let y = m <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The date `dayNumber` days after 1970-01-01.
    public init(dayNumber z0: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    public func adding(days: Int) -> ISODate { ISODate(dayNumber: dayNumber + days) }

    /// Whole years between this (birth) date and `date`, as people count age.
    public func age(on date: ISODate) -> Int {
        var years = date.year - year
        if (date.month, date.day) < (max(month, 1), max(day, 1)) { years -= 1 }
        return years
    }

    // MARK: parsing

    /// Parses `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, an ISO date-time (`YYYY-MM-DDThh:mm[:ss[.fff]]`:
    /// without an offset it is a local time and its date part is kept; with one, `Z` or `±hh:mm`,
    /// it is an instant, dated in England's time, GMT or BST), `YYYYMMDD`, or `DD/MM/YYYY` (UK
    /// order). Surrounding spaces are ignored.
    /// Returns nil for anything else, including impossible dates (2023-02-29).
    public static func parse(_ s: UnsafeBufferPointer<UInt8>) -> ISODate? {
        var lo = 0, hi = s.count
        while lo < hi && s[lo] == 0x20 { lo += 1 }
        while hi > lo && s[hi - 1] == 0x20 { hi -= 1 }
        let n = hi - lo
        @inline(__always) func digit(_ i: Int) -> Int? {
            let b = s[lo + i]
            return b >= 0x30 && b <= 0x39 ? Int(b - 0x30) : nil
        }
        @inline(__always) func number(_ from: Int, _ count: Int) -> Int? {
            var v = 0
            for k in 0..<count {
                guard let d = digit(from + k) else { return nil }
                v = v * 10 + d
            }
            return v
        }
        @inline(__always) func at(_ i: Int, _ c: Character) -> Bool { s[lo + i] == c.asciiValue! }
        var y: Int?, m = 0, d = 0
        if n == 4 {
            y = number(0, 4)
        } else if n == 7, at(4, "-") {
            y = number(0, 4); m = number(5, 2) ?? -1
        } else if n == 10, at(4, "-"), at(7, "-") {
            y = number(0, 4); m = number(5, 2) ?? -1; d = number(8, 2) ?? -1
        } else if n > 10, at(4, "-"), at(7, "-"), at(10, "T") || at(10, " ") {
            y = number(0, 4); m = number(5, 2) ?? -1; d = number(8, 2) ?? -1
            // A time of day follows; with an offset (Z, ±hh:mm, ±hhmm, ±hh) the text is an
            // instant, and its day is the day in England (EnglandTime).
            guard n >= 16, at(13, ":"), let hh = number(11, 2), let mm = number(14, 2), hh <= 24, mm <= 59 else { return nil }
            var i = 16
            if i < n, at(i, ":") {
                guard i + 3 <= n, let ss = number(i + 1, 2), ss <= 60 else { return nil }
                i += 3
                if i < n, at(i, ".") || at(i, ",") {
                    i += 1
                    let f = i
                    while i < n, digit(i) != nil { i += 1 }
                    guard i > f else { return nil }
                }
            }
            if i < n {
                var offset = 0
                if at(i, "Z"), i + 1 == n {
                    offset = 0
                } else if at(i, "+") || at(i, "-") {
                    let sign = at(i, "-") ? -1 : 1
                    let rest = n - i - 1
                    guard let oh = rest >= 2 ? number(i + 1, 2) : nil, oh <= 14 else { return nil }
                    var om = 0
                    if rest == 5, at(i + 3, ":"), let v = number(i + 4, 2) { om = v }
                    else if rest == 4, let v = number(i + 3, 2) { om = v }
                    else if rest != 2 { return nil }
                    guard om <= 59 else { return nil }
                    offset = sign * (oh * 60 + om)
                } else {
                    return nil
                }
                guard let year = y, year >= 1800, year <= 2999, (1...12).contains(m), d >= 1, d <= daysIn(month: m, year: year) else { return nil }
                return EnglandTime.date(of: ISODate(year: year, month: m, day: d), minute: hh * 60 + mm, offsetMinutes: offset)
            }
        } else if n == 8, let v = number(0, 8) {
            y = v / 10000; m = v / 100 % 100; d = v % 100
        } else if n == 10, at(2, "/"), at(5, "/") {
            d = number(0, 2) ?? -1; m = number(3, 2) ?? -1; y = number(6, 4)
        }
        guard let year = y, year >= 1800, year <= 2999 else { return nil }
        if n == 4 { return ISODate(year: year) }
        guard (1...12).contains(m) else { return nil }
        if n == 7 { return ISODate(year: year, month: m) }
        guard d >= 1, d <= daysIn(month: m, year: year) else { return nil }
        return ISODate(year: year, month: m, day: d)
    }

    public static func parse(_ text: String) -> ISODate? {
        var copy = text
        return copy.withUTF8 { parse($0) }
    }

    /// Today in UTC.
    public static func today() -> ISODate {
        var t = time_t()
        time(&t)
        return ISODate(dayNumber: Int(t) / 86400)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
