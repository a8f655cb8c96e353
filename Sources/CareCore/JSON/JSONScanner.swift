/// A malformed JSON text: `offset` is the byte offset (0-based) within the line or document.
public struct JSONError: Error, Equatable, CustomStringConvertible, Sendable {
    public var offset: Int
    public var message: String
    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }
    public var description: String { "invalid JSON at byte \(offset + 1): \(message)" }
}

/// A validating byte-level JSON scanner (RFC 8259). It never builds a tree: it skips values
/// and reports their byte ranges, so a program can read only the keys it needs and copy the
/// rest through as the original bytes.
///
/// It works on an `UnsafeBufferPointer`; callers keep the bytes alive while scanning.
public struct JSONScanner {
    public let bytes: UnsafeBufferPointer<UInt8>
    public var position: Int
    /// Nesting deeper than this is an error (guards the stack against hostile input).
    public static let maxDepth = 256

    public init(_ bytes: UnsafeBufferPointer<UInt8>, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    /// True for bytes a string scan must look at: quote, backslash, control bytes, non-ASCII.
    @inline(__always) static func isSpecial(_ b: UInt8) -> Bool { b < 0x20 || b == 0x22 || b == 0x5C || b >= 0x80 }

    @inline(__always) static func hasSpecialByte(_ x: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
        let below20 = (x &- 0x2020_2020_2020_2020) & ~x & highs
        return (x & highs) | below20 | hasZero(x ^ 0x2222_2222_2222_2222) | hasZero(x ^ 0x5C5C_5C5C_5C5C_5C5C) != 0
    }

    @inlinable @inline(__always) public mutating func skipWhitespace() {
        while position < bytes.count {
            let b = bytes[position]
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { position += 1 } else { return }
        }
    }

    @usableFromInline @inline(__always) func fail(_ message: String, at offset: Int? = nil) -> JSONError {
        JSONError(offset: offset ?? position, message: message)
    }

    @inlinable public var atEnd: Bool { position >= bytes.count }

    /// Peeks the next non-space byte.
    @inlinable public mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < bytes.count ? bytes[position] : nil
    }

    @inlinable public mutating func expect(_ byte: UInt8) throws(JSONError) {
        skipWhitespace()
        if position < bytes.count && bytes[position] == byte { position += 1; return }
        try expectFailed(byte)
    }

    @usableFromInline mutating func expectFailed(_ byte: UInt8) throws(JSONError) {
        guard position < bytes.count else { throw fail("unexpected end, expected '\(Character(Unicode.Scalar(byte)))'") }
        guard bytes[position] == byte else {
            throw fail("expected '\(Character(Unicode.Scalar(byte)))', found \(Self.describe(bytes[position]))")
        }
        position += 1
    }

    static func describe(_ b: UInt8) -> String {
        (0x21...0x7E).contains(b) ? "'\(Character(Unicode.Scalar(b)))'" : String(format: b)
    }

    /// Validates and skips one value; returns its byte range.
    @discardableResult
    public mutating func skipValue(depth: Int = 0) throws(JSONError) -> Range<Int> {
        skipWhitespace()
        guard position < bytes.count else { throw fail("unexpected end of input, expected a value") }
        let start = position
        switch bytes[position] {
        case UInt8(ascii: "\""):
            _ = try scanString()
        case UInt8(ascii: "{"):
            guard depth < Self.maxDepth else { throw fail("nesting deeper than \(Self.maxDepth)") }
            position += 1
            if try consumeIf(UInt8(ascii: "}")) { break }
            while true {
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                    throw fail(position < bytes.count ? "expected a key string" : "unexpected end inside object")
                }
                _ = try scanString()
                try expect(UInt8(ascii: ":"))
                try skipValue(depth: depth + 1)
                if try consumeIf(UInt8(ascii: ",")) { continue }
                try expect(UInt8(ascii: "}"))
                break
            }
        case UInt8(ascii: "["):
            guard depth < Self.maxDepth else { throw fail("nesting deeper than \(Self.maxDepth)") }
            position += 1
            if try consumeIf(UInt8(ascii: "]")) { break }
            while true {
                try skipValue(depth: depth + 1)
                if try consumeIf(UInt8(ascii: ",")) { continue }
                try expect(UInt8(ascii: "]"))
                break
            }
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try scanNumber()
        default:
            throw fail("unexpected \(Self.describe(bytes[position]))")
        }
        return start..<position
    }

    @usableFromInline @inline(__always) mutating func consumeIf(_ byte: UInt8) throws(JSONError) -> Bool {
        skipWhitespace()
        if position < bytes.count && bytes[position] == byte { position += 1; return true }
        return false
    }

    mutating func literal(_ word: StaticString) throws(JSONError) {
        let n = word.utf8CodeUnitCount
        guard position + n <= bytes.count else { throw fail("truncated literal") }
        let p = word.utf8Start
        for k in 0..<n where bytes[position + k] != p[k] {
            throw fail("invalid literal")
        }
        position += n
    }

    /// A string's raw content range (between the quotes) and whether it has escapes.
    public struct StringToken: Sendable {
        public var content: Range<Int>
        public var hasEscapes: Bool
    }

    /// Scans a string starting at the opening quote; validates escapes and UTF-8.
    public mutating func scanString() throws(JSONError) -> StringToken {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw fail("expected a string") }
        position += 1
        let start = position
        var escapes = false
        let n = bytes.count
        let base = UnsafeRawPointer(bytes.baseAddress!)
        while true {
            // Fast path: eight bytes at a time while none is a quote, backslash, control byte or
            // non-ASCII (SWAR: each test sets the high bit of a byte lane that matches).
            while position + 8 <= n {
                let x = base.loadUnaligned(fromByteOffset: position, as: UInt64.self)
                if Self.hasSpecialByte(x) { break }
                position += 8
            }
            while position < n && !Self.isSpecial(bytes[position]) { position += 1 }
            guard position < n else { throw fail("unterminated string", at: start - 1) }
            let b = bytes[position]
            if b == 0x22 {
                let token = StringToken(content: start..<position, hasEscapes: escapes)
                position += 1
                return token
            } else if b == 0x5C {
                escapes = true
                guard position + 1 < n else { throw fail("unterminated escape") }
                let e = bytes[position + 1]
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 2
                case UInt8(ascii: "u"):
                    guard position + 6 <= n else { throw fail("truncated \\u escape") }
                    var unit: UInt32 = 0
                    for k in 2..<6 {
                        guard let h = Self.hexValue(bytes[position + k]) else { throw fail("invalid \\u escape") }
                        unit = unit << 4 | UInt32(h)
                    }
                    position += 6
                    // A surrogate must be a high one followed by a low one (RFC 8259 §8.2): a
                    // lone one is no character, and readers disagree on what to make of it.
                    if unit >= 0xDC00 && unit <= 0xDFFF { throw fail("lone low surrogate \\u\(String(unit, radix: 16)) in string") }
                    if unit >= 0xD800 && unit <= 0xDBFF {
                        var low: UInt32 = 0
                        guard position + 6 <= n, bytes[position] == 0x5C, bytes[position + 1] == UInt8(ascii: "u") else {
                            throw fail("lone high surrogate \\u\(String(unit, radix: 16)) in string")
                        }
                        for k in 2..<6 {
                            guard let h = Self.hexValue(bytes[position + k]) else { throw fail("invalid \\u escape") }
                            low = low << 4 | UInt32(h)
                        }
                        guard low >= 0xDC00 && low <= 0xDFFF else { throw fail("lone high surrogate \\u\(String(unit, radix: 16)) in string") }
                        position += 6
                    }
                default:
                    throw fail("invalid escape '\\\(Character(Unicode.Scalar(e)))'")
                }
            } else if b < 0x20 {
                throw fail("control character in string")
            } else {
                let len = UTF8Validation.sequenceLength(bytes, at: position)
                guard len > 0 else { throw fail("invalid UTF-8 in string") }
                position += len
            }
        }
    }

    /// Scans a number (RFC 8259 grammar) and rejects one too large for a Double, as RFC 8259
    /// allows: such a value in a record can only be an error.
    @usableFromInline mutating func scanNumber() throws(JSONError) {
        let n = bytes.count
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < n, isDigit(bytes[position]) else { throw fail("invalid number", at: start) }
        // The decimal exponent of the first significant digit (nil while the number is zero).
        var leading: Int?
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if position < n && isDigit(bytes[position]) { throw fail("leading zero in number", at: start) }
        } else {
            let intStart = position
            while position < n && isDigit(bytes[position]) { position += 1 }
            leading = position - intStart - 1
        }
        if position < n && bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < n, isDigit(bytes[position]) else { throw fail("digit expected after '.'") }
            var k = 0
            while position < n && isDigit(bytes[position]) {
                if leading == nil && bytes[position] != UInt8(ascii: "0") { leading = -(k + 1) }
                k += 1
                position += 1
            }
        }
        var exponent = 0
        if position < n && (bytes[position] | 0x20) == UInt8(ascii: "e") {
            position += 1
            var negative = false
            if position < n && (bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")) {
                negative = bytes[position] == UInt8(ascii: "-")
                position += 1
            }
            guard position < n, isDigit(bytes[position]) else { throw fail("digit expected in exponent") }
            while position < n && isDigit(bytes[position]) {
                if exponent < 1_000_000 { exponent = exponent * 10 + Int(bytes[position] - 0x30) }
                position += 1
            }
            if negative { exponent = -exponent }
        }
        if let leading, leading + exponent >= 308 {
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            if leading + exponent > 308 || !(Double(text)?.isFinite ?? false) {
                throw fail("number out of range", at: start)
            }
        }
    }

    @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case 0x30...0x39: return UInt32(b - 0x30)
        case 0x41...0x46: return UInt32(b - 0x41 + 10)
        case 0x61...0x66: return UInt32(b - 0x61 + 10)
        default: return nil
        }
    }

    /// Decodes a scanned string's content to a Swift String (unescaping; lone surrogates → U+FFFD).
    public func decodeString(_ token: StringToken) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[token.content])
        if !token.hasEscapes { return String(decoding: slice, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var i = 0
        while i < slice.count {
            let b = slice[i]
            if b != 0x5C { out.append(b); i += 1; continue }
            let e = slice[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = Self.hex4(slice, i)
                i += 4
                if (0xD800...0xDBFF).contains(scalar), i + 6 <= slice.count,
                   slice[i] == 0x5C, slice[i + 1] == UInt8(ascii: "u") {
                    let low = Self.hex4(slice, i + 2)
                    if (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                let u = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: out.append(e)  // \" \\ \/
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hex4(_ s: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in 0..<4 { v = v << 4 | (hexValue(s[i + k]) ?? 0) }
        return v
    }

    /// Validates that the buffer holds exactly one JSON value (plus whitespace).
    public static func validate(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) {
        var scanner = JSONScanner(bytes)
        try scanner.skipValue()
        scanner.skipWhitespace()
        if !scanner.atEnd { throw scanner.fail("unexpected data after the value") }
    }
}

private extension String {
    init(format byte: UInt8) {
        let hex = Array("0123456789ABCDEF")
        self = "byte 0x" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0xF)])
    }
}
