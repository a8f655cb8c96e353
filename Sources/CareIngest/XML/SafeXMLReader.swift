import CLibXML2
import CareCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A streaming XML reader (libxml2's xmlTextReader) hardened for untrusted extracts:
///
/// - no network (`XML_PARSE_NONET`), no DTD loading, no entity substitution, and an external
///   entity loader that refuses everything, so an XXE document can never read a file;
/// - a document type declaration (`<!DOCTYPE`) is refused before libxml2 sees it: neither GP2GP
///   nor FHIR documents have one (FHIR forbids it), and without one no entity can be declared,
///   so a "billion laughs" document stops at its prolog;
/// - libxml2's own limits stay on (no `XML_PARSE_HUGE`: depth 256, 10 MB per text node), and an
///   element expanded into a tree (`expand()`) may not span more than `maxSubtreeBytes`.
///
/// Memory is bounded by the largest expanded element, whatever the size of the file.
public final class SafeXMLReader {
    public let name: String
    private let input: InputFile
    private var reader: xmlTextReaderPtr?
    /// libxml2's first error, kept for the message.
    fileprivate var libxmlError: (message: String, line: Int)?
    /// Why our input callback refused the data, if it did.
    fileprivate var refusal: String?
    fileprivate var bytesRead = 0
    /// The input has been read to its end (an error then usually means a cut-off document).
    fileprivate var atEnd = false
    /// Where the element being expanded began (bytes handed to libxml2 so far).
    fileprivate var subtreeStart: Int?
    public let maxSubtreeBytes: Int
    fileprivate var prolog = PrologCheck()
    fileprivate var buffer = [UInt8]()

    public static let defaultMaxSubtreeBytes = 64 << 20
    /// And at most this many tags (`<`) inside one expanded element: a tree node costs libxml2
    /// some 100 bytes, so a few megabytes of empty elements would otherwise take gigabytes. A
    /// GP2GP composition or a FHIR entry holds a few thousand.
    public static let maxSubtreeTags = 1_000_000
    private var subtreeTags = 0

    public init(path: String, maxSubtreeBytes: Int = SafeXMLReader.defaultMaxSubtreeBytes) throws {
        SafeXMLReader.hardenOnce
        input = try InputFile(path: path)
        name = input.name
        self.maxSubtreeBytes = maxSubtreeBytes
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
                            | XML_PARSE_NOCDATA.rawValue | XML_PARSE_NOBLANKS.rawValue | XML_PARSE_COMPACT.rawValue)
        let context = Unmanaged.passUnretained(self).toOpaque()
        reader = xmlReaderForIO(safeXMLRead, nil, context, path, nil, options)
        guard let reader else { throw CareError(.software, "\(name): libxml2 could not start a reader") }
        xmlTextReaderSetStructuredErrorHandler(reader, safeXMLError, context)
    }

    deinit {
        if let reader { xmlFreeTextReader(reader) }
    }

    /// Initialises libxml2 once (its documentation asks for this before readers run on several
    /// threads; Swift runs a static initialiser exactly once) and turns off every way it could
    /// fetch something from outside the document.
    private static let hardenOnce: Void = {
        xmlInitParser()
        xmlSetExternalEntityLoader { _, _, _ in nil }
    }()

    /// The failure to report when a read or expand fails.
    public struct Failure: Error, Sendable {
        public var message: String
        public var line: Int
    }

    private func failure() -> Failure {
        if let refusal { return Failure(message: refusal, line: line) }
        if let e = libxmlError {
            let cut = atEnd ? "the document ends before its elements close (truncated?); " : ""
            return Failure(message: cut + e.message, line: e.line)
        }
        return Failure(message: "not well-formed XML", line: line)
    }

    /// Moves to the next node; false at the end of the document.
    public func read() throws(Failure) -> Bool {
        let r = xmlTextReaderRead(reader)
        if r == 1 { return true }
        if r == 0 && refusal == nil && libxmlError == nil { return false }
        throw failure()
    }

    /// Skips the current node's subtree and moves to its next sibling (or onwards).
    public func next() throws(Failure) -> Bool {
        let r = xmlTextReaderNext(reader)
        if r == 1 { return true }
        if r == 0 && refusal == nil && libxmlError == nil { return false }
        throw failure()
    }

    public var isElementStart: Bool { xmlTextReaderNodeType(reader) == Int32(XML_READER_TYPE_ELEMENT.rawValue) }
    public var isElementEnd: Bool { xmlTextReaderNodeType(reader) == Int32(XML_READER_TYPE_END_ELEMENT.rawValue) }
    public var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }
    public var depth: Int { Int(xmlTextReaderDepth(reader)) }
    public var line: Int { Int(xmlTextReaderGetParserLineNumber(reader)) }

    /// The current node's local name (no prefix), compared without copying.
    public func localName(is name: StaticString) -> Bool {
        guard let p = xmlTextReaderConstLocalName(reader) else { return false }
        return strcmp(UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self),
                      UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)) == 0
    }

    public var localName: String {
        guard let p = xmlTextReaderConstLocalName(reader) else { return "" }
        return String(cString: UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self))
    }

    /// The current element with its whole subtree as a tree, valid until the reader moves on.
    public func expand() throws(Failure) -> XMLElement {
        subtreeStart = bytesRead
        subtreeTags = 0
        defer { subtreeStart = nil }
        guard let node = xmlTextReaderExpand(reader), refusal == nil, libxmlError == nil else { throw failure() }
        return XMLElement(node)
    }

    fileprivate func fill(_ out: UnsafeMutablePointer<CChar>, _ len: Int) -> Int {
        if refusal != nil { return -1 }
        if let start = subtreeStart, bytesRead - start > maxSubtreeBytes {
            refusal = "one element spans more than \(maxSubtreeBytes >> 20) MB (an entry this large is not a GP record)"
            return -1
        }
        if !prolog.done {
            // Read the start of the document ourselves so the prolog can be checked whole.
            if buffer.isEmpty {
                buffer = [UInt8](repeating: 0, count: PrologCheck.limit)
                var filled = 0
                do {
                    while filled < buffer.count {
                        let n = try buffer.withUnsafeMutableBytes { try input.read(into: $0.baseAddress! + filled, count: $0.count - filled) }
                        if n == 0 { break }
                        filled += n
                    }
                } catch { refusal = "\(error)"; return -1 }
                buffer.removeSubrange(filled...)
                if let problem = prolog.check(buffer, atEnd: filled < PrologCheck.limit) { refusal = problem; return -1 }
                prolog.done = true
            }
        }
        if !buffer.isEmpty {
            let n = min(len, buffer.count)
            buffer.withUnsafeBytes { UnsafeMutableRawPointer(out).copyMemory(from: $0.baseAddress!, byteCount: n) }
            buffer.removeSubrange(0..<n)
            bytesRead += n
            return n
        }
        do {
            let n = try input.read(into: UnsafeMutableRawPointer(out), count: len)
            bytesRead += n
            if n == 0 { atEnd = true }
            if subtreeStart != nil {
                // Tags fed while an element is being expanded (counted in the bytes handed over).
                UnsafeRawBufferPointer(start: out, count: n).withMemoryRebound(to: UInt8.self) { b in
                    var p = b.baseAddress, left = b.count
                    while left > 0, let q = memchr(p!, 0x3C, left) {
                        subtreeTags += 1
                        let next = q.assumingMemoryBound(to: UInt8.self) + 1
                        left -= p!.distance(to: next)
                        p = UnsafePointer(next)
                    }
                }
                if subtreeTags > Self.maxSubtreeTags {
                    refusal = "one element holds more than \(Self.maxSubtreeTags) tags (an entry this large is not a GP record)"
                    return -1
                }
            }
            return n
        } catch {
            refusal = "\(error)"
            return -1
        }
    }
}

/// Checks what comes before the root element: an optional byte-order mark, XML declaration,
/// processing instructions, comments and white space, and nothing else (no `<!DOCTYPE`).
struct PrologCheck {
    static let limit = 64 << 10
    var done = false

    func check(_ b: [UInt8], atEnd: Bool) -> String? {
        var i = 0
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        if b.isEmpty { return "the file is empty" }
        // UTF-16 (a byte-order mark, or "<" followed by a zero byte): refused by name, since the
        // prolog check above reads bytes as UTF-8 and could not see a DOCTYPE in it.
        if b.starts(with: [0xFE, 0xFF]) || b.starts(with: [0xFF, 0xFE]) || b.starts(with: [0x00, 0x3C]) || b.starts(with: [0x3C, 0x00]) {
            return "a UTF-16 document: GP2GP and FHIR XML are UTF-8; convert it first (iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8.xml)"
        }
        func starts(_ s: String, at i: Int) -> Bool {
            let u = Array(s.utf8)
            return i + u.count <= b.count && Array(b[i..<(i + u.count)]) == u
        }
        func find(_ s: String, from: Int) -> Int? {
            let u = Array(s.utf8)
            var j = from
            while j + u.count <= b.count {
                if b[j] == u[0] && Array(b[j..<(j + u.count)]) == u { return j + u.count }
                j += 1
            }
            return nil
        }
        while i < b.count {
            switch b[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            case UInt8(ascii: "<"):
                if starts("<?", at: i) {
                    guard let e = find("?>", from: i + 2) else { return atEnd ? "truncated: the XML declaration never ends" : "the prolog is longer than 64 KB" }
                    i = e
                } else if starts("<!--", at: i) {
                    guard let e = find("-->", from: i + 4) else { return atEnd ? "truncated: a comment never ends" : "the prolog is longer than 64 KB" }
                    i = e
                } else if starts("<!DOCTYPE", at: i) || starts("<!doctype", at: i) {
                    return "a document type declaration (<!DOCTYPE>) is not allowed: GP2GP and FHIR documents have none, and it could declare entities (XXE, billion laughs)"
                } else if starts("<!", at: i) {
                    return "unexpected markup before the root element"
                } else {
                    return nil   // the root element: the prolog is fine
                }
            default:
                if i == 0 || (i == 3 && b.starts(with: [0xEF, 0xBB, 0xBF])) {
                    return "not XML (the file does not start with '<')"
                }
                return "text before the root element: not XML"
            }
        }
        return atEnd ? "no root element (empty or truncated document)" : "the prolog is longer than 64 KB"
    }
}

private func safeXMLRead(_ context: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ len: Int32) -> Int32 {
    guard let context, let buffer else { return -1 }
    let reader = Unmanaged<SafeXMLReader>.fromOpaque(context).takeUnretainedValue()
    return Int32(reader.fill(buffer, Int(len)))
}

private func safeXMLError(_ context: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
    guard let context, let error else { return }
    let reader = Unmanaged<SafeXMLReader>.fromOpaque(context).takeUnretainedValue()
    guard reader.libxmlError == nil, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
    var message = error.pointee.message.map { String(cString: $0) } ?? "XML error"
    // libxml2 quotes the offending input ("Bytes: 0x39 0x39 …", an element's text): only its
    // first line is kept, masked like any input text.
    message = String(message.split(separator: "\n", maxSplits: 1).first ?? "")
    while message.last == " " { message.removeLast() }
    reader.libxmlError = ("XML: " + Mask.text(message), Int(error.pointee.line))
}
