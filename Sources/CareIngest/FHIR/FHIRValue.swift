import CareCore

/// A FHIR element as read from JSON or XML, in one shape so one mapping serves both:
/// objects keep their members in order, primitives are text (`"120"`, `"true"`), arrays are
/// arrays. XML does not say which elements repeat, so readers use `list`, which treats a
/// single value as a list of one.
indirect enum FHIRValue {
    case object([(String, FHIRValue)])
    case array([FHIRValue])
    case text(String)

    subscript(_ key: String) -> FHIRValue? {
        guard case let .object(members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// The elements of a repeating element (a single value is a list of one).
    var list: [FHIRValue] {
        switch self {
        case let .array(a): return a
        default: return [self]
        }
    }

    var string: String? {
        if case let .text(t) = self { return t.isEmpty ? nil : t }
        return nil
    }

    var resourceType: String? { self["resourceType"]?.string }

    // MARK: reading JSON

    /// Parses JSON text straight into this shape (no intermediate tree: half the allocations
    /// of going through `JSONValue`, which bulk NDJSON files feel). Members named `_x`
    /// (primitive extensions) are skipped, numbers and booleans become text, null is empty.
    init(parsing bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) {
        var s = JSONScanner(bytes)
        self = try Self.parse(&s, depth: 0)
        s.skipWhitespace()
        if !s.atEnd { throw JSONError(offset: s.position, message: "unexpected data after the value") }
    }

    static func parse(_ s: inout JSONScanner, depth: Int) throws(JSONError) -> FHIRValue {
        guard let b = s.peek() else { throw JSONError(offset: s.position, message: "unexpected end of input, expected a value") }
        guard depth < JSONScanner.maxDepth else { throw JSONError(offset: s.position, message: "nesting deeper than \(JSONScanner.maxDepth)") }
        switch b {
        case UInt8(ascii: "{"):
            s.position += 1
            var members: [(String, FHIRValue)] = []
            if s.peek() == UInt8(ascii: "}") { s.position += 1; return .object(members) }
            while true {
                guard s.peek() == UInt8(ascii: "\"") else {
                    throw JSONError(offset: s.position, message: s.atEnd ? "unexpected end inside object" : "expected a key string")
                }
                let token = try s.scanString()
                try s.expect(UInt8(ascii: ":"))
                if s.bytes[token.content.lowerBound] == UInt8(ascii: "_") {
                    _ = try s.skipValue(depth: depth + 1)
                } else {
                    let key = s.decodeString(token)
                    members.append((key, try parse(&s, depth: depth + 1)))
                }
                if s.peek() == UInt8(ascii: ",") { s.position += 1; continue }
                try s.expect(UInt8(ascii: "}"))
                return .object(members)
            }
        case UInt8(ascii: "["):
            s.position += 1
            var items: [FHIRValue] = []
            if s.peek() == UInt8(ascii: "]") { s.position += 1; return .array(items) }
            while true {
                items.append(try parse(&s, depth: depth + 1))
                if s.peek() == UInt8(ascii: ",") { s.position += 1; continue }
                try s.expect(UInt8(ascii: "]"))
                return .array(items)
            }
        case UInt8(ascii: "\""):
            return .text(s.decodeString(try s.scanString()))
        default:
            let range = try s.skipValue(depth: depth)
            let text = String(decoding: UnsafeBufferPointer(rebasing: s.bytes[range]), as: UTF8.self)
            return .text(text == "null" ? "" : text)
        }
    }

    // MARK: reading XML (namespace http://hl7.org/fhir: values in `value` attributes)

    /// A resource element (`<Patient>…</Patient>`) as the JSON form's object, with `resourceType`.
    init(resource e: XMLElement) {
        var members: [(String, FHIRValue)] = [("resourceType", .text(e.name))]
        if case let .object(m) = FHIRValue(xml: e) { members += m }
        self = .object(members)
    }

    init(xml e: XMLElement) {
        var members: [(String, FHIRValue)] = []
        for (name, value) in e.attributes where name == "url" || name == "id" {
            members.append((name, .text(value)))
        }
        var order: [String] = []
        var grouped: [String: [FHIRValue]] = [:]
        e.forEachChild { c in
            let name = c.name
            if name == "div" { return }   // narrative XHTML
            let value: FHIRValue
            if name == "resource" || name == "contained", let inner = c.children.first {
                value = FHIRValue(resource: inner)
            } else if name != "extension" && name != "modifierExtension", let v = c.attribute("value") {
                value = .text(v)   // a primitive (its own extensions dropped, as JSON's `_name` is)
            } else {
                value = FHIRValue(xml: c)
            }
            if grouped[name] == nil { order.append(name) }
            grouped[name, default: []].append(value)
        }
        for name in order {
            let values = grouped[name]!
            members.append((name, values.count == 1 ? values[0] : .array(values)))
        }
        self = .object(members)
    }
}
