/// One JSON object (a person line, an event) seen as its top-level members: each key with the
/// byte range of its value. Validates the whole object once; reads only what is asked; copies
/// everything else through byte for byte. This is how enrichers add their key to a record
/// without re-encoding what they did not read.
public struct JSONObjectView: @unchecked Sendable {
    public let bytes: UnsafeBufferPointer<UInt8>
    public private(set) var keys: [String] = []
    public private(set) var values: [Range<Int>] = []
    /// The byte range of each whole member (`"key":value`), for copying it through.
    public private(set) var memberRanges: [Range<Int>] = []

    /// Scans `bytes`, which must hold exactly one JSON object (surrounding whitespace allowed).
    /// The caller keeps `bytes` alive while the view is used.
    public init(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) {
        self.bytes = bytes
        var s = JSONScanner(bytes)
        var keys: [String] = [], values: [Range<Int>] = [], members: [Range<Int>] = []
        try s.forEachMemberOfLine { (key: JSONScanner.StringToken, start: Int, s: inout JSONScanner) throws(JSONError) in
            let range = try s.skipValue(depth: 1)
            keys.append(s.decodeString(key))
            values.append(range)
            members.append(start..<range.upperBound)
        }
        self.keys = keys
        self.values = values
        self.memberRanges = members
    }

    public func index(of key: String) -> Int? { keys.firstIndex(of: key) }

    public func raw(_ key: String) -> UnsafeBufferPointer<UInt8>? {
        guard let i = index(of: key) else { return nil }
        return UnsafeBufferPointer(rebasing: bytes[values[i]])
    }

    public func isNull(_ key: String) -> Bool {
        guard let r = raw(key) else { return true }
        return r.count == 4 && r[0] == UInt8(ascii: "n")
    }

    /// The member as a string; nil when absent or null; throws when it is another type.
    public func string(_ key: String) throws(JSONError) -> String? {
        guard let i = index(of: key) else { return nil }
        var s = JSONScanner(bytes, position: values[i].lowerBound)
        switch bytes[values[i].lowerBound] {
        case UInt8(ascii: "\""): return s.decodeString(try s.scanString())
        case UInt8(ascii: "n"): return nil
        default: throw JSONError(offset: values[i].lowerBound, message: "\"\(key)\" must be a string")
        }
    }

    public func number(_ key: String) throws(JSONError) -> Double? {
        guard let r = raw(key) else { return nil }
        if r.count == 4 && r[0] == UInt8(ascii: "n") { return nil }
        guard let first = r.first, first == UInt8(ascii: "-") || (0x30...0x39).contains(first),
              let d = Double(String(decoding: r, as: UTF8.self)) else {
            throw JSONError(offset: values[index(of: key)!].lowerBound, message: "\"\(key)\" must be a number")
        }
        return d
    }

    public func bool(_ key: String) throws(JSONError) -> Bool? {
        guard let r = raw(key) else { return nil }
        switch r.first {
        case UInt8(ascii: "t"): return true
        case UInt8(ascii: "f"): return false
        case UInt8(ascii: "n"): return nil
        default: throw JSONError(offset: values[index(of: key)!].lowerBound, message: "\"\(key)\" must be true or false")
        }
    }

    /// The byte ranges of the elements of an array member (empty when absent or null).
    public func arrayElements(_ key: String) throws(JSONError) -> [Range<Int>] {
        guard let i = index(of: key) else { return [] }
        return try JSONObjectView.elements(of: bytes, arrayAt: values[i], key: key)
    }

    static func elements(of bytes: UnsafeBufferPointer<UInt8>, arrayAt range: Range<Int>, key: String) throws(JSONError) -> [Range<Int>] {
        if bytes[range.lowerBound] == UInt8(ascii: "n") { return [] }
        guard bytes[range.lowerBound] == UInt8(ascii: "[") else {
            throw JSONError(offset: range.lowerBound, message: "\"\(key)\" must be an array")
        }
        var s = JSONScanner(bytes, position: range.lowerBound + 1)
        var out: [Range<Int>] = []
        if s.peek() == UInt8(ascii: "]") { return out }
        while true {
            out.append(try s.skipValue(depth: 1))
            if s.peek() == UInt8(ascii: ",") { s.position += 1; continue }
            try s.expect(UInt8(ascii: "]"))
            return out
        }
    }

    /// Writes this object with `key` set to `rawValue` (replacing it in place, or appended at the
    /// end); every other member is copied byte for byte.
    public func write(replacing key: String, with rawValue: UnsafeBufferPointer<UInt8>, to w: inout JSONWriter) {
        w.raw(UInt8(ascii: "{"))
        var first = true
        var replaced = false
        for (i, k) in keys.enumerated() {
            if !first { w.raw(UInt8(ascii: ",")) }
            first = false
            if k == key {
                w.string(k)
                w.raw(UInt8(ascii: ":"))
                w.raw(rawValue)
                replaced = true
            } else {
                w.raw(UnsafeBufferPointer(rebasing: bytes[memberRanges[i]]))
            }
        }
        if !replaced {
            if !first { w.raw(UInt8(ascii: ",")) }
            w.string(key)
            w.raw(UInt8(ascii: ":"))
            w.raw(rawValue)
        }
        w.raw(UInt8(ascii: "}"))
    }
}
