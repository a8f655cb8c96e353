import Foundation
import Testing
@testable import CareCore

/// England's civil time, computed by hand from 1972 (EnglandTime), against the tz database's
/// Europe/London as Foundation reads it: an independent implementation.
@Suite("England time (GMT/BST)")
struct EnglandTimeTests {
    @Test("every hour from 1972 to 2037 has the tz database's offset")
    func matchesTZDatabase() throws {
        let london = try #require(TimeZone(identifier: "Europe/London"), "no tz database for Europe/London")
        let start = ISODate(year: 1972, month: 1, day: 1).dayNumber * 1440
        let end = ISODate(year: 2038, month: 1, day: 1).dayNumber * 1440
        var mismatches: [String] = []
        var minute = start
        while minute < end {
            let expected = london.secondsFromGMT(for: Date(timeIntervalSince1970: Double(minute) * 60)) / 60
            if EnglandTime.offsetMinutes(utcMinute: minute) != expected, mismatches.count < 5 {
                mismatches.append("\(ISODate(dayNumber: minute / 1440)) minute \(minute % 1440): expected \(expected)")
            }
            minute += 30
        }
        #expect(mismatches.isEmpty)
    }

    @Test("instants parse to England's date; local date-times keep their written date", arguments: [
        ("2024-06-30T23:30:00Z", "2024-07-01"), ("2024-06-30T22:59:59Z", "2024-06-30"), ("2024-12-31T23:30:00Z", "2024-12-31"),
        ("2024-07-01T00:30:00+01:00", "2024-07-01"), ("2024-06-30T20:00:00-05:00", "2024-07-01"), ("2024-03-31T00:59:00Z", "2024-03-31"),
        ("2024-10-26T23:00:00Z", "2024-10-27"), ("2024-10-27T23:00:00Z", "2024-10-27"), ("2024-06-30T23:30:00.123+0000", "2024-07-01"),
        ("2024-06-30T23:30", "2024-06-30"), ("2024-06-30 23:30:00", "2024-06-30"), ("1969-07-20T20:17:00Z", "1969-07-20"),
        ("2024-01-01T00:10:00+01:00", "2023-12-31"),
    ])
    func instants(_ text: String, _ expected: String) {
        #expect(ISODate.parse(text)?.description == expected)
    }

    @Test("malformed times and zones are not dates", arguments: [
        "2024-06-30T", "2024-06-30T25:00", "2024-06-30T23:30:00Q", "2024-06-30T23:30+1", "2024-06-30Tgarbage", "2024-06-30T23:30:00+01:00x",
    ])
    func malformed(_ text: String) {
        #expect(ISODate.parse(text) == nil)
    }
}
