/// Codes as 64-bit keys, so looking one up costs a hash of one integer and no allocation.
///
/// Codes arrive as received (`schema.md`): ICD-10 with or without its dot and in either case,
/// Read codes with or without their trailing padding dots. Normalising here makes `I50.9`,
/// `i509` and `I509` one key, and `13O5.` and `13O5` one key. Read v2 and CTV3 codes are case
/// sensitive (`XaISO`, `8HTl.`) and keep their case; SNOMED CT concept ids are digits.
public enum CodeSystemTag: UInt8, Sendable {
    case snomed = 1, read2, ctv3, icd10, other

    public init(_ name: String) {
        switch name {
        case "snomed": self = .snomed
        case "read2": self = .read2
        case "ctv3": self = .ctv3
        case "icd10": self = .icd10
        default: self = .other
        }
    }

    public var name: String {
        switch self {
        case .snomed: "snomed"
        case .read2: "read2"
        case .ctv3: "ctv3"
        case .icd10: "icd10"
        case .other: "other"
        }
    }

    /// Reads a system name straight from JSON bytes.
    @inline(__always) static func from(_ p: UnsafeBufferPointer<UInt8>) -> CodeSystemTag {
        switch p.count {
        case 6 where p[0] == UInt8(ascii: "s") && p[1] == UInt8(ascii: "n") && p[5] == UInt8(ascii: "d"): return .snomed
        case 5 where p[0] == UInt8(ascii: "r") && p[4] == UInt8(ascii: "2"): return .read2
        case 4 where p[0] == UInt8(ascii: "c") && p[3] == UInt8(ascii: "3"): return .ctv3
        case 5 where p[0] == UInt8(ascii: "i") && p[3] == UInt8(ascii: "1") && p[4] == UInt8(ascii: "0"): return .icd10
        default: return .other
        }
    }
}

public enum CodeKey {
    /// No code has this key: a code too long or malformed to be in any list.
    public static let none: UInt64 = 0

    /// A clinical-terms code (SNOMED CT, Read v2, CTV3) as a key that includes its system.
    /// SNOMED ids (at most 18 digits) are their number; Read codes are their (at most 5)
    /// bytes without trailing dots. The system sits in the top byte.
    @inline(__always) public static func terms(_ system: CodeSystemTag, _ p: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var lo = 0, hi = p.count
        while lo < hi && p[lo] == 0x20 { lo += 1 }
        while hi > lo && p[hi - 1] == 0x20 { hi -= 1 }
        let tag = UInt64(system.rawValue) << 56
        switch system {
        case .snomed:
            guard hi - lo >= 1, hi - lo <= 18 else { return none }
            var v: UInt64 = 0
            for i in lo..<hi {
                let d = p[i] &- 0x30
                guard d < 10 else { return none }
                v = v * 10 + UInt64(d)
            }
            return tag | v
        case .read2, .ctv3:
            while hi > lo && p[hi - 1] == UInt8(ascii: ".") { hi -= 1 }
            guard hi > lo, hi - lo <= 5 else { return none }
            var v: UInt64 = 0
            for i in lo..<hi { v = v << 8 | UInt64(p[i]) }
            return tag | UInt64(hi - lo) << 48 | v
        case .icd10, .other:
            return none
        }
    }

    public static func terms(_ system: CodeSystemTag, _ code: String) -> UInt64 {
        var s = code
        return s.withUTF8 { terms(system, $0) }
    }

    /// An ICD-10 code normalised (dots, spaces and dashes dropped, upper case) and packed into
    /// up to 7 bytes, first character in the highest byte, so a prefix of length k is the key
    /// with the low bytes cleared. The low byte holds the length.
    @inline(__always) public static func icd10(_ p: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var v: UInt64 = 0
        var n = 0
        for b in p {
            if b == UInt8(ascii: ".") || b == 0x20 || b == UInt8(ascii: "-") { continue }
            guard n < 7, b >= 0x21, b < 0x7F else { return none }
            let u = b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") ? b - 32 : b
            v |= UInt64(u) << UInt64(56 - 8 * n)
            n += 1
        }
        return n == 0 ? none : v | UInt64(n)
    }

    public static func icd10(_ code: String) -> UInt64 {
        var s = code
        return s.withUTF8 { icd10($0) }
    }

    @inline(__always) public static func icd10Length(_ key: UInt64) -> Int { Int(key & 0xFF) }

    /// The key of the first `k` characters of an ICD-10 key (k ≤ its length).
    @inline(__always) public static func icd10Prefix(_ key: UInt64, _ k: Int) -> UInt64 {
        let keep: UInt64 = k >= 7 ? ~0xFF : ~((1 << UInt64(64 - 8 * k)) - 1)
        return key & keep | UInt64(k)
    }

    /// The normalised text of an ICD-10 key (for reasons and messages).
    public static func icd10Text(_ key: UInt64) -> String {
        var bytes: [UInt8] = []
        for i in 0..<icd10Length(key) { bytes.append(UInt8(truncatingIfNeeded: key >> UInt64(56 - 8 * i))) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
