import CLibXML2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An element of a tree expanded by `SafeXMLReader`: read-only, valid until the reader moves on.
/// Names are local names (namespaces are not compared: GP2GP uses one, FHIR another).
public struct XMLElement {
    let node: xmlNodePtr

    init(_ node: xmlNodePtr) { self.node = node }

    public var name: String { String(cString: UnsafeRawPointer(node.pointee.name).assumingMemoryBound(to: CChar.self)) }

    public func named(_ n: StaticString) -> Bool {
        strcmp(UnsafeRawPointer(node.pointee.name).assumingMemoryBound(to: CChar.self),
               UnsafeRawPointer(n.utf8Start).assumingMemoryBound(to: CChar.self)) == 0
    }

    public var line: Int { Int(xmlGetLineNo(node)) }

    /// The first child element.
    public var firstChild: XMLElement? {
        var c = node.pointee.children
        while let n = c {
            if n.pointee.type == XML_ELEMENT_NODE { return XMLElement(n) }
            c = n.pointee.next
        }
        return nil
    }

    public func forEachChild(_ body: (XMLElement) throws -> Void) rethrows {
        var c = node.pointee.children
        while let n = c {
            if n.pointee.type == XML_ELEMENT_NODE { try body(XMLElement(n)) }
            c = n.pointee.next
        }
    }

    /// The first child element with this local name.
    public func child(_ n: StaticString) -> XMLElement? {
        var c = node.pointee.children
        while let x = c {
            if x.pointee.type == XML_ELEMENT_NODE {
                let e = XMLElement(x)
                if e.named(n) { return e }
            }
            c = x.pointee.next
        }
        return nil
    }

    public func children(_ n: StaticString) -> [XMLElement] {
        var out: [XMLElement] = []
        forEachChild { if $0.named(n) { out.append($0) } }
        return out
    }

    /// The element at a path of child names, e.g. `at("effectiveTime", "center")`.
    public func at(_ path: StaticString...) -> XMLElement? {
        var e: XMLElement? = self
        for p in path { e = e?.child(p) }
        return e
    }

    /// An attribute's value (by local name, any namespace), nil when absent. The usual attribute
    /// is one text node, read in place; anything else (entity references) goes through libxml2.
    public func attribute(_ n: StaticString) -> String? {
        var a = node.pointee.properties
        while let p = a {
            if strcmp(UnsafeRawPointer(p.pointee.name).assumingMemoryBound(to: CChar.self),
                      UnsafeRawPointer(n.utf8Start).assumingMemoryBound(to: CChar.self)) == 0 {
                if let text = p.pointee.children, text.pointee.next == nil, text.pointee.type == XML_TEXT_NODE, let c = text.pointee.content {
                    return String(cString: UnsafeRawPointer(c).assumingMemoryBound(to: CChar.self))
                }
                guard let v = xmlNodeGetContent(UnsafeMutableRawPointer(p).assumingMemoryBound(to: xmlNode.self)) else { return nil }
                defer { joinedup_xmlFree(v) }
                return String(cString: UnsafeRawPointer(v).assumingMemoryBound(to: CChar.self))
            }
            a = p.pointee.next
        }
        return nil
    }

    /// All attributes as (local name, value), in document order.
    public var attributes: [(String, String)] {
        var out: [(String, String)] = []
        var a = node.pointee.properties
        while let p = a {
            let name = String(cString: UnsafeRawPointer(p.pointee.name).assumingMemoryBound(to: CChar.self))
            if let v = xmlNodeGetContent(UnsafeMutableRawPointer(p).assumingMemoryBound(to: xmlNode.self)) {
                out.append((name, String(cString: UnsafeRawPointer(v).assumingMemoryBound(to: CChar.self))))
                joinedup_xmlFree(v)
            }
            a = p.pointee.next
        }
        return out
    }

    /// The element's text content (all descendant text).
    public var text: String {
        guard let v = xmlNodeGetContent(node) else { return "" }
        defer { joinedup_xmlFree(v) }
        return String(cString: UnsafeRawPointer(v).assumingMemoryBound(to: CChar.self))
    }
}
