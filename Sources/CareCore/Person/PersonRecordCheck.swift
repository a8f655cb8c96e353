#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What makes a valid person line beyond valid JSON (schema 1), checked by every program that
/// reads person records, through this one function: no top-level key twice (jq and Python keep
/// the last `id`, this toolkit would read the first: two programs must never disagree on whose
/// record it is), and every schema date a real date (`0000-00-00`, `2026-02-30` and `2026-13-01`
/// are not, and would silently make age unknown). Messages never show a value.
public enum PersonRecordCheck {
    /// The record's own dates (schema 1): when present and not null, a real date.
    public static let dateFields: [StaticString] = ["birth_date", "death_date", "registration_start", "registration_end"]

    /// Checks the members of one line (`"key":value` ranges, as the readers locate them).
    public static func check(_ line: UnsafeBufferPointer<UInt8>, members: [Range<Int>]) throws(JSONError) {
        var keys: [Range<Int>] = []
        keys.reserveCapacity(members.count)
        for m in members {
            var s = JSONScanner(line, position: m.lowerBound)
            let key = try s.scanString()
            for k in keys where k.count == key.content.count
                && memcmp(line.baseAddress! + k.lowerBound, line.baseAddress! + key.content.lowerBound, k.count) == 0 {
                throw JSONError(offset: m.lowerBound, message: "the key \"\(s.decodeString(key))\" appears twice in the record")
            }
            keys.append(key.content)
            for field in dateFields where s.token(key, is: field) {
                s.skipWhitespace()
                if s.peek() == UInt8(ascii: ":") { s.position += 1 }
                s.skipWhitespace()
                guard s.peek() != UInt8(ascii: "n") else { break }   // null: unknown
                guard s.peek() == UInt8(ascii: "\""), let t = try? s.scanString(), !t.hasEscapes,
                      ISODate.parse(UnsafeBufferPointer(rebasing: line[t.content])) != nil else {
                    throw JSONError(offset: m.lowerBound, message: "\(field) is not a real date (YYYY-MM-DD, YYYY-MM or YYYY)")
                }
            }
        }
    }
}
