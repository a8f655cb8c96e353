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
    /// of going through `JSONValue`, which bulk NDJSON files feel).
    init(parsing bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) {
        var s = JSONScanner(bytes)
        self = try s.tree(FHIRValue.self)
        s.skipWhitespace()
        if !s.atEnd { throw JSONError(offset: s.position, message: "unexpected data after the value") }
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
            if name == "resource" || name == "contained", let inner = c.firstChild {
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

/// Members named `_x` (a primitive's extensions) are skipped, as the XML reading drops them;
/// numbers and booleans are text; null is empty.
extension FHIRValue: JSONTreeShape {
    static func string(_ text: String) -> FHIRValue { .text(text) }
    static func scalar(_ text: String) -> FHIRValue { .text(text == "null" ? "" : text) }
    static func keeps(key: UnsafeBufferPointer<UInt8>) -> Bool { key.first != UInt8(ascii: "_") }
}
