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
}
