import CareCore

/// A reporting period: a financial year (1 April to 31 March, "2024-25") or any from–to span.
public struct Period: Sendable, Equatable {
    public var name: String
    public var from: ISODate
    public var to: ISODate

    public init(name: String, from: ISODate, to: ISODate) { self.name = name; self.from = from; self.to = to }

    /// "2024-25" or "FY2024" (April 2024 to March 2025), or "2024-04-01..2025-03-31".
    public init?(parsing text: String) {
        if let r = text.firstRange(of: ".."), let a = ISODate.parse(String(text[..<r.lowerBound])), let b = ISODate.parse(String(text[r.upperBound...])),
           a.precision == .day, b.precision == .day, a <= b {
            self.init(name: text, from: a, to: b)
            return
        }
        var year: Int?
        if text.hasPrefix("FY"), let y = Int(text.dropFirst(2)) { year = y }
        let parts = text.split(separator: "-")
        if parts.count == 2, let y = Int(parts[0]), let y2 = Int(parts[1]), parts[0].count == 4, parts[1].count == 2, (y + 1) % 100 == y2 { year = y }
        guard let y = year, y >= 1900, y < 2999 else { return nil }
        self.init(name: "\(y)-\(String(format2((y + 1) % 100)))", from: ISODate(year: y, month: 4, day: 1), to: ISODate(year: y + 1, month: 3, day: 31))
    }

    /// The financial year that contains `date`.
    public static func financialYear(containing date: ISODate) -> Period {
        let y = date.month >= 4 ? date.year : date.year - 1
        return Period(parsing: "FY\(y)")!
    }

    public func contains(_ d: ISODate) -> Bool { d >= from && d <= to }
    public var days: Int { to.dayNumber - from.dayNumber + 1 }
}

func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
