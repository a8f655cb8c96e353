/// Appends JSON text to a byte buffer. No Foundation, no intermediate strings: the record
/// path writes millions of small objects, so this is a hot path.
///
/// Strings are escaped per RFC 8259. Bytes that are not valid UTF-8 (a Windows-1252 extract,
/// say) are written as U+FFFD so the output is always valid JSON; `replacedInvalidUTF8`
/// counts them so a caller can warn.
public struct JSONWriter: Sendable {
    public var bytes: [UInt8]
    public var replacedInvalidUTF8 = 0

    public init(capacity: Int = 4096) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    @inlinable public mutating func raw(_ byte: UInt8) { bytes.append(byte) }

    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func raw<C: Collection>(_ other: C) where C.Element == UInt8 {
        bytes.append(contentsOf: other)
    }

    /// `"key":` — keys are ASCII identifiers chosen by us, so they need no escaping.
    public mutating func key(_ name: StaticString) { key(name, comma: false) }

    /// `,"key":` or `"key":` depending on `first`; sets `first` to false.
    public mutating func member(_ name: StaticString, first: inout Bool) {
        key(name, comma: !first)
        first = false
    }

    /// Composes `[,]"key":` on the stack and appends it at once (one append, not four: keys are
    /// written for every field of every record).
    @inline(__always) private mutating func key(_ name: StaticString, comma: Bool) {
        let n = name.utf8CodeUnitCount
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n + 4) { tmp in
            var i = 0
            if comma { tmp[0] = UInt8(ascii: ","); i = 1 }
            tmp[i] = UInt8(ascii: "\"")
            UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(tmp)[(i + 1)...])
                .copyMemory(from: UnsafeRawBufferPointer(start: name.utf8Start, count: n))
            tmp[i + 1 + n] = UInt8(ascii: "\"")
            tmp[i + 2 + n] = UInt8(ascii: ":")
            bytes.append(contentsOf: UnsafeBufferPointer(start: tmp.baseAddress, count: i + 3 + n))
        }
    }

    /// A date member (`"name":"YYYY-MM-DD"`), written only when the date is present.
    public mutating func date(_ name: StaticString, _ d: ISODate?, first: inout Bool) {
        guard let d else { return }
        member(name, first: &first)
        raw(UInt8(ascii: "\""))
        d.write(to: &self)
        raw(UInt8(ascii: "\""))
    }

    /// `[item,item,…]`, each item written by `write`.
    @inlinable public mutating func list<T>(_ items: [T], _ write: (inout JSONWriter, T) -> Void) {
        raw(UInt8(ascii: "["))
        for (i, item) in items.enumerated() {
            if i > 0 { raw(UInt8(ascii: ",")) }
            write(&self, item)
        }
        raw(UInt8(ascii: "]"))
    }

    /// One line of JSON Lines: `{`, the members `body` writes (given the `first` flag that
    /// `member` takes), `}` and a newline.
    public mutating func objectLine(_ body: (inout JSONWriter, inout Bool) -> Void) {
        var first = true
        raw(UInt8(ascii: "{"))
        body(&self, &first)
        raw("}\n")
    }

    /// A string member, written only when the value is present.
    public mutating func optionalString(_ name: StaticString, _ value: String?, first: inout Bool) {
        guard let value else { return }
        member(name, first: &first)
        string(value)
    }

    public mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { string(utf8: $0) }
    }

    public mutating func string(utf8 value: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        appendEscaped(value)
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func string<C: Collection>(bytes value: C) where C.Element == UInt8 {
        if let done: Void = value.withContiguousStorageIfAvailable({ string(utf8: $0) }) { return done }
        let copy = Array(value)
        copy.withUnsafeBufferPointer { string(utf8: $0) }
    }

    public mutating func int(_ value: Int) {
        if value == 0 { bytes.append(UInt8(ascii: "0")); return }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var v = value.magnitude
        let start = bytes.count
        while v > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(v % 10))
            v /= 10
        }
        bytes[start...].reverse()
    }

    /// Shortest round-tripping form; non-finite values become null (JSON has no NaN).
    public mutating func double(_ value: Double) {
        guard value.isFinite else { raw("null"); return }
        if value == value.rounded(), abs(value) < 1e15 {
            int(Int(value))
            return
        }
        raw(value.description.utf8)
    }

    public mutating func bool(_ value: Bool) { raw(value ? "true" : "false") }
    public mutating func null() { raw("null") }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func appendEscaped(_ s: UnsafeBufferPointer<UInt8>) {
        var i = 0
        let n = s.count
        var runStart = 0
        while i < n {
            let b = s[i]
            if b >= 0x20 && b != 0x22 && b != 0x5C && b < 0x80 { i += 1; continue }
            if b >= 0x80 {
                let len = UTF8Validation.sequenceLength(s, at: i)
                if len > 0 { i += len; continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: s[runStart..<i]))
                bytes.append(contentsOf: [0xEF, 0xBF, 0xBD] as [UInt8])  // U+FFFD
                replacedInvalidUTF8 += 1
                i += 1
                runStart = i
                continue
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: s[runStart..<i]))
            switch b {
            case 0x22: raw("\\\"")
            case 0x5C: raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            default:
                raw("\\u00")
                bytes.append(Self.hex[Int(b >> 4)])
                bytes.append(Self.hex[Int(b & 0xF)])
            }
            i += 1
            runStart = i
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: s[runStart..<n]))
    }
}

/// Strict UTF-8 validation (no overlongs, no surrogates, nothing above U+10FFFF).
public enum UTF8Validation {
    /// Length of the valid sequence starting at `i` (1...4), or 0 when it is invalid.
    @inline(__always)
    public static func sequenceLength(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let n = s.count
        let b0 = s[i]
        if b0 < 0x80 { return 1 }
        @inline(__always) func cont(_ k: Int) -> Bool { k < n && s[k] & 0xC0 == 0x80 }
        @inline(__always) func within(_ k: Int, _ lo: UInt8, _ hi: UInt8) -> Bool { k < n && s[k] >= lo && s[k] <= hi }
        switch b0 {
        case 0xC2...0xDF:
            return cont(i + 1) ? 2 : 0
        case 0xE0:
            return within(i + 1, 0xA0, 0xBF) && cont(i + 2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF:
            return cont(i + 1) && cont(i + 2) ? 3 : 0
        case 0xED:
            return within(i + 1, 0x80, 0x9F) && cont(i + 2) ? 3 : 0
        case 0xF0:
            return within(i + 1, 0x90, 0xBF) && cont(i + 2) && cont(i + 3) ? 4 : 0
        case 0xF1...0xF3:
            return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0
        case 0xF4:
            return within(i + 1, 0x80, 0x8F) && cont(i + 2) && cont(i + 3) ? 4 : 0
        default:
            return 0
        }
    }
}
