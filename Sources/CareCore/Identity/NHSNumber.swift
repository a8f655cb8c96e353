/// NHS number validation: ten digits, Modulus 11 check digit, and the issued ranges.
///
/// Check digit (NHS Data Dictionary, "NHS Number"): weights 10..2 on the first nine digits,
/// r = sum mod 11, c = 11 - r; c = 11 means 0, c = 10 means the number is invalid.
/// Ranges: 300–399 M (England; 320–399 M Northern Ireland), 400–499 M and 600–799 M
/// (England, Wales, Isle of Man) are issued; 900–999 M are test numbers (999 000 0000 –
/// 999 999 9999 is never issued to a real patient; NHS England's integration test patients use
/// other 9xx numbers). Numbers starting 0–2 are Scottish CHI numbers (ddmmyy…), and 5xx/8xx are
/// not issued, so neither is an NHS number.
public enum NHSNumber {
    public enum Problem: String, Error, Sendable {
        case notTenDigits = "not 10 digits"
        case checkDigit = "fails the Modulus 11 check"
        case notIssuedRange = "outside the issued NHS number ranges"
    }

    /// Checks an NHS number written with or without spaces and dashes, without allocating.
    /// Returns nil when it is valid. `isPlain` tells whether it was ten bare digits.
    @inline(__always)
    public static func problem(_ raw: UnsafeBufferPointer<UInt8>, isPlain: inout Bool) -> Problem? {
        var count = 0, sum = 0, first = 0, last = 0
        isPlain = raw.count == 10
        for b in raw {
            if b == 0x20 || b == UInt8(ascii: "-") { isPlain = false; continue }
            guard b >= 0x30 && b <= 0x39, count < 10 else { return .notTenDigits }
            let d = Int(b - 0x30)
            if count == 0 { first = d }
            if count < 9 { sum += d * (10 - count) } else { last = d }
            count += 1
        }
        guard count == 10 else { return .notTenDigits }
        var check = 11 - sum % 11
        if check == 11 { check = 0 }
        guard check != 10, check == last else { return .checkDigit }
        switch first {
        case 3, 4, 6, 7, 9: return nil
        default: return .notIssuedRange
        }
    }

    /// Normalises (strips spaces and dashes) and validates; returns the 10 digits.
    public static func validate(_ raw: UnsafeBufferPointer<UInt8>) -> Result<String, Problem> {
        var plain = false
        if let p = problem(raw, isPlain: &plain) { return .failure(p) }
        if plain { return .success(String(decoding: raw, as: UTF8.self)) }
        return .success(String(decoding: raw.filter { $0 != 0x20 && $0 != UInt8(ascii: "-") }, as: UTF8.self))
    }

    public static func validate(_ text: String) -> Result<String, Problem> {
        var copy = text
        return copy.withUTF8 { validate($0) }
    }

    public static func isValid(_ text: String) -> Bool {
        if case .success = validate(text) { return true }
        return false
    }

    /// True for the test range 999 000 0000 – 999 999 9999.
    public static func isTestRange(_ digits: String) -> Bool { digits.hasPrefix("999") && digits.count == 10 }

    /// The check digit for nine leading digits, or nil when none exists (c = 10).
    public static func checkDigit(for nine: [Int]) -> Int? {
        precondition(nine.count == 9)
        var sum = 0
        for i in 0..<9 { sum += nine[i] * (10 - i) }
        let c = 11 - sum % 11
        if c == 10 { return nil }
        return c == 11 ? 0 : c
    }
}
