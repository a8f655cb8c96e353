#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Walking nested objects and arrays without building anything: the scanner stops on each key
/// or element and the caller reads or skips the value. Programs that need a few fields of a
/// record (risk-score, mdt-list) read them this way in the same pass that validates the line.
extension JSONScanner {
    /// Calls `body(key)` for each member of the object starting here (at `{`, or `null`, which
    /// has no members); `body` must consume the value (`skipValue`, `stringValue`, …).
    @inlinable public mutating func forEachMember(depth: Int, _ body: (StringToken, inout JSONScanner) throws(JSONError) -> Void) throws(JSONError) {
        guard depth < Self.maxDepth else { throw fail("nesting deeper than \(Self.maxDepth)") }
        skipWhitespace()
        if atNull() { return }
        try expect(UInt8(ascii: "{"))
        if try consumeIf(UInt8(ascii: "}")) { return }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw fail(position < bytes.count ? "expected a key string" : "unexpected end inside object")
            }
            let key = try scanString()
            try expect(UInt8(ascii: ":"))
            try body(key, &self)
            if try consumeIf(UInt8(ascii: ",")) { continue }
            try expect(UInt8(ascii: "}"))
            return
        }
    }

    /// Walks a whole line that must hold exactly one object (surrounding whitespace allowed):
    /// `body(key, memberStart)` is called at each member's value and must consume it; the
    /// member's bytes are then `memberStart..<position`.
    public mutating func forEachMemberOfLine(_ body: (StringToken, Int, inout JSONScanner) throws(JSONError) -> Void) throws(JSONError) {
        guard peek() == UInt8(ascii: "{") else {
            throw JSONError(offset: position, message: atEnd ? "empty line, expected an object" : "expected an object '{'")
        }
        position += 1
        if peek() == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                guard peek() == UInt8(ascii: "\"") else {
                    throw JSONError(offset: position, message: atEnd ? "unexpected end inside object" : "expected a key string")
                }
                let start = position
                let key = try scanString()
                try expect(UInt8(ascii: ":"))
                try body(key, start, &self)
                if peek() == UInt8(ascii: ",") { position += 1; continue }
                try expect(UInt8(ascii: "}"))
                break
            }
        }
        skipWhitespace()
        if !atEnd { throw JSONError(offset: position, message: "unexpected data after the object") }
    }

    /// Calls `body` at each element of the array starting here (or `null`); `body` must consume it.
    @inlinable public mutating func forEachElement(depth: Int, _ body: (inout JSONScanner) throws(JSONError) -> Void) throws(JSONError) {
        guard depth < Self.maxDepth else { throw fail("nesting deeper than \(Self.maxDepth)") }
        skipWhitespace()
        if atNull() { return }
        try expect(UInt8(ascii: "["))
        if try consumeIf(UInt8(ascii: "]")) { return }
        while true {
            skipWhitespace()
            try body(&self)
            if try consumeIf(UInt8(ascii: ",")) { continue }
            try expect(UInt8(ascii: "]"))
            return
        }
    }

    /// Consumes a string value and returns it, or nil for `null`; another type is an error
    /// naming `field`.
    @inlinable public mutating func stringValue(field: StaticString) throws(JSONError) -> StringToken? {
        skipWhitespace()
        guard position < bytes.count else { throw fail("unexpected end of input, expected a value") }
        if bytes[position] == UInt8(ascii: "\"") { return try scanString() }
        if atNull() { return nil }
        throw fail("\"\(field)\" must be a string")
    }

    /// Consumes a number value and returns its bytes, or nil for `null`.
    @inlinable public mutating func numberValue(field: StaticString) throws(JSONError) -> Range<Int>? {
        skipWhitespace()
        guard position < bytes.count else { throw fail("unexpected end of input, expected a value") }
        let b = bytes[position]
        if b == UInt8(ascii: "-") || (b >= 0x30 && b <= 0x39) {
            let start = position
            try scanNumber()
            return start..<position
        }
        if atNull() { return nil }
        throw fail("\"\(field)\" must be a number")
    }

    /// True when the token's raw bytes spell `name` (keys with escapes never match a plain name).
    @inlinable @inline(__always) public func token(_ t: StringToken, is name: StaticString) -> Bool {
        let n = name.utf8CodeUnitCount
        guard !t.hasEscapes, t.content.count == n else { return false }
        return Self.equal(bytes.baseAddress! + t.content.lowerBound, name, n)
    }

    /// True when `bytes` spell `name` exactly.
    @inlinable @inline(__always) public static func bytes(_ b: UnsafeBufferPointer<UInt8>, are name: StaticString) -> Bool {
        let n = name.utf8CodeUnitCount
        guard b.count == n else { return false }
        return equal(b.baseAddress!, name, n)
    }

    // Names are short: a loop beats a call to memcmp.
    @usableFromInline @inline(__always) static func equal(_ p: UnsafePointer<UInt8>, _ name: StaticString, _ n: Int) -> Bool {
        let q = name.utf8Start
        for i in 0..<n where p[i] != q[i] { return false }
        return true
    }

    /// Consumes `null` if it is next.
    @usableFromInline @inline(__always) mutating func atNull() -> Bool {
        if position + 4 <= bytes.count, bytes[position] == UInt8(ascii: "n"), bytes[position + 1] == UInt8(ascii: "u"),
           bytes[position + 2] == UInt8(ascii: "l"), bytes[position + 3] == UInt8(ascii: "l") {
            position += 4
            return true
        }
        return false
    }

    /// Skips one value *without validating it*: finds where it ends by matching brackets and
    /// string quotes only (escaped quotes respected). For members a program reads past and does
    /// not write out (risk-score's `--format risk` and `csv`): a truncated or unbalanced value is
    /// still an error, but bad UTF-8, escapes or numbers inside it are not looked at.
    @discardableResult
    public mutating func skimValue() throws(JSONError) -> Range<Int> {
        skipWhitespace()
        let start = position
        let n = bytes.count
        let base = UnsafeRawPointer(bytes.baseAddress!)
        var depth = 0
        while position < n {
            let b = bytes[position]
            switch b {
            case UInt8(ascii: "\""):
                position += 1
                while true {
                    // Eight bytes at a time while none is a quote or a backslash.
                    while position + 8 <= n {
                        let x = base.loadUnaligned(fromByteOffset: position, as: UInt64.self)
                        if Self.hasQuoteOrBackslash(x) { break }
                        position += 8
                    }
                    while position < n && bytes[position] != UInt8(ascii: "\"") && bytes[position] != UInt8(ascii: "\\") { position += 1 }
                    guard position < n else { throw fail("unterminated string", at: start) }
                    if bytes[position] == UInt8(ascii: "\\") { position += 2; continue }
                    position += 1
                    break
                }
                if depth == 0 { return start..<position }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                guard depth <= Self.maxDepth else { throw fail("nesting deeper than \(Self.maxDepth)") }
                position += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if depth == 0 { return start..<position }   // the end of the enclosing value
                depth -= 1
                position += 1
                if depth == 0 { return start..<position }
            case UInt8(ascii: ","):
                if depth == 0 { return start..<position }
                position += 1
            default:
                position += 1
            }
        }
        if depth > 0 { throw fail("unexpected end inside a value", at: start) }
        return start..<position
    }

    @inline(__always) static func hasQuoteOrBackslash(_ x: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
        return hasZero(x ^ 0x2222_2222_2222_2222) | hasZero(x ^ 0x5C5C_5C5C_5C5C_5C5C) != 0
    }
}
