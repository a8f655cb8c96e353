/// A tree some JSON text is read into: `JSONValue` (the general one), or a format's own shape
/// (ingest-gp's `FHIRValue`), built straight from the text with no tree in between.
public protocol JSONTreeShape {
    static func object(_ members: [(String, Self)]) -> Self
    static func array(_ items: [Self]) -> Self
    static func string(_ text: String) -> Self
    /// A number, `true`, `false` or `null`, as its text.
    static func scalar(_ text: String) -> Self
    /// Whether an object member is kept (by its key's raw bytes); a member not kept is skipped
    /// unparsed.
    static func keeps(key: UnsafeBufferPointer<UInt8>) -> Bool
}

extension JSONScanner {
    /// Reads one value at the scanner into a tree of shape `T`, with the scanner's nesting limit.
    @inlinable public mutating func tree<T: JSONTreeShape>(_ shape: T.Type, depth: Int = 0) throws(JSONError) -> T {
        guard let b = peek() else { throw JSONError(offset: position, message: "unexpected end of input, expected a value") }
        guard depth < Self.maxDepth else { throw JSONError(offset: position, message: "nesting deeper than \(Self.maxDepth)") }
        switch b {
        case UInt8(ascii: "{"):
            position += 1
            var members: [(String, T)] = []
            if peek() == UInt8(ascii: "}") { position += 1; return T.object(members) }
            while true {
                guard peek() == UInt8(ascii: "\"") else {
                    throw JSONError(offset: position, message: atEnd ? "unexpected end inside object" : "expected a key string")
                }
                let key = try scanString()
                try expect(UInt8(ascii: ":"))
                if T.keeps(key: UnsafeBufferPointer(rebasing: bytes[key.content])) {
                    members.append((decodeString(key), try tree(shape, depth: depth + 1)))
                } else {
                    _ = try skipValue(depth: depth + 1)
                }
                if peek() == UInt8(ascii: ",") { position += 1; continue }
                try expect(UInt8(ascii: "}"))
                return T.object(members)
            }
        case UInt8(ascii: "["):
            position += 1
            var items: [T] = []
            if peek() == UInt8(ascii: "]") { position += 1; return T.array(items) }
            while true {
                items.append(try tree(shape, depth: depth + 1))
                if peek() == UInt8(ascii: ",") { position += 1; continue }
                try expect(UInt8(ascii: "]"))
                return T.array(items)
            }
        case UInt8(ascii: "\""):
            return T.string(decodeString(try scanString()))
        default:
            let range = try skipValue(depth: depth)
            return T.scalar(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
        }
    }
}
