/// A parsed JSON value. Objects keep their key order. Numbers keep their original text so a
/// value read and written again is unchanged. This tree is for tests, small documents and
/// cold paths; the record path uses `JSONScanner` and `JSONObjectView`.
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.number(x), .number(y)): return x == y || (Double(x) != nil && Double(x) == Double(y))
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public init(parsing text: String) throws(JSONError) {
        try self.init(parsing: Array(text.utf8))
    }

    public init<C: Collection>(parsing bytes: C) throws(JSONError) where C.Element == UInt8 {
        let array = Array(bytes)
        self = try array.withUnsafeBufferPointer { (buf) throws(JSONError) -> JSONValue in try JSONValue(parsing: buf) }
    }

    public init(parsing buffer: UnsafeBufferPointer<UInt8>) throws(JSONError) {
        var scanner = JSONScanner(buffer)
        self = try scanner.tree(JSONValue.self)
        scanner.skipWhitespace()
        if !scanner.atEnd { throw JSONError(offset: scanner.position, message: "unexpected data after the value") }
    }

    // MARK: access

    public subscript(key: String) -> JSONValue? {
        if case let .object(members) = self { return members.first { $0.0 == key }?.1 }
        return nil
    }

    public subscript(index: Int) -> JSONValue? {
        if case let .array(items) = self, items.indices.contains(index) { return items[index] }
        return nil
    }

    public var stringValue: String? { if case let .string(s) = self { return s }; return nil }
    public var doubleValue: Double? { if case let .number(n) = self { return Double(n) }; return nil }
    public var intValue: Int? { if case let .number(n) = self { return Int(n) }; return nil }
    public var boolValue: Bool? { if case let .bool(b) = self { return b }; return nil }
    public var arrayValue: [JSONValue]? { if case let .array(a) = self { return a }; return nil }
    public var objectValue: [(String, JSONValue)]? { if case let .object(o) = self { return o }; return nil }
    public var isNull: Bool { self == .null }

    // MARK: writing

    public func write(to w: inout JSONWriter) {
        switch self {
        case .null: w.null()
        case let .bool(b): w.bool(b)
        case let .number(n): w.raw(n.utf8)
        case let .string(s): w.string(s)
        case let .array(items):
            w.raw(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { w.raw(UInt8(ascii: ",")) }
                item.write(to: &w)
            }
            w.raw(UInt8(ascii: "]"))
        case let .object(members):
            w.raw(UInt8(ascii: "{"))
            for (i, (k, v)) in members.enumerated() {
                if i > 0 { w.raw(UInt8(ascii: ",")) }
                w.string(k)
                w.raw(UInt8(ascii: ":"))
                v.write(to: &w)
            }
            w.raw(UInt8(ascii: "}"))
        }
    }

    /// Compact JSON text.
    public var jsonText: String {
        var w = JSONWriter(capacity: 256)
        write(to: &w)
        return String(decoding: w.bytes, as: UTF8.self)
    }
}

/// The cases `object`, `array` and `string` are the shape's builders.
extension JSONValue: JSONTreeShape {
    public static func scalar(_ text: String) -> JSONValue {
        switch text {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        default: return .number(text)
        }
    }
    public static func keeps(key: UnsafeBufferPointer<UInt8>) -> Bool { true }
}
