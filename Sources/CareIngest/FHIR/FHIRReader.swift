import CareCore

/// Reads one FHIR file: a JSON resource or Bundle (`.json`), one resource per line (`.ndjson`,
/// as FHIR Bulk Data writes), or an XML resource or Bundle (`.xml`, streamed: each Bundle entry
/// is expanded, mapped and freed). A Bundle is read twice, first to index its Patients,
/// Medications and Organizations (so references resolve whatever the entry order), then to map.
final class FHIRReader {
    let path: String
    /// The document's name within its source (with its extension: b.json and b.xml differ),
    /// scoping the patients of a Bundle (`fhir:NAME:Patient/ID`).
    let name: String
    let context: IngestContext
    let entries: DocumentEntries
    let sourceName: String
    /// A JSON document larger than this is refused: split it, or write NDJSON.
    static let maxJSONDocument = 512 << 20

    init(path: String, name: String, file: UInt32, sourceName: String, context: IngestContext) {
        self.path = path
        self.name = name
        self.context = context
        self.sourceName = sourceName
        entries = DocumentEntries(context: context, file: file)
    }

    func read() throws {
        let lower = path.lowercased()
        if path == "-" || lower.hasSuffix(".ndjson") || lower.hasSuffix(".jsonl") {
            try readNDJSON()
        } else if lower.hasSuffix(".xml") {
            try readXML()
        } else {
            try readJSON()
        }
    }

    private func mapper(index: FHIRIndex, bundle: Bool, scope: String? = nil) -> FHIRMapper {
        // A one-patient Bundle's practice names the source (fhir:A82038); else the source's name.
        var tagName = "fhir:" + sourceName
        if bundle, index.patientCount == 1, let p = index.onlyPatientReference.flatMap({ index.patients[$0] }),
           let ods = index.practice(of: p) {
            tagName = "fhir:" + ods
        }
        return FHIRMapper(entries: entries, context: context, index: index,
                          documentScope: bundle ? Array("fhir:\(scope ?? name):".utf8) : nil,
                          sourceScope: Array("fhir:".utf8), sourceTag: context.tag(tagName))
    }

    private func finish(_ m: FHIRMapper) {
        if !m.unknownSystems.isEmpty {
            entries.warn("code systems not known to schema 1, kept as \"local\": \(m.unknownSystems.joined(separator: ", "))")
        }
    }

    // MARK: JSON

    private static func lineOf(_ offset: Int, in b: UnsafeBufferPointer<UInt8>, from: (offset: Int, line: Int)) -> Int {
        var line = from.line
        var i = from.offset
        while i < offset && i < b.count { if b[i] == 0x0A { line += 1 }; i += 1 }
        return line
    }

    private func readJSON() throws {
        let bytes: [UInt8]
        do { bytes = try InputFile(path: path).readAll(limit: Self.maxJSONDocument) } catch let e as CareError where e.status == .dataError {
            try entries.reject(line: 1, field: nil, reason: "FHIR JSON document too large", detail: "over \(Self.maxJSONDocument >> 20) MiB: write one resource per line (.ndjson) instead")
            return
        }
        try bytes.withUnsafeBufferPointer { b in
            // The Bundle's entries, by byte range, so each resource is parsed on its own and a
            // problem names its line.
            var ranges: [Range<Int>] = []
            var type: String?
            var s = JSONScanner(b)
            do {
                var body = b
                if b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF { body = UnsafeBufferPointer(rebasing: b[3...]) }
                s = JSONScanner(body)
                try s.forEachMember(depth: 0) { (key: JSONScanner.StringToken, s: inout JSONScanner) throws(JSONError) in
                    if s.token(key, is: "entry") {
                        try s.forEachElement(depth: 1) { (s: inout JSONScanner) throws(JSONError) in
                            s.skipWhitespace()
                            let start = s.position
                            _ = try s.skipValue(depth: 2)
                            ranges.append(start..<s.position)
                        }
                    } else if s.token(key, is: "resourceType") {
                        type = try s.stringValue(field: "resourceType").map { s.decodeString($0) }
                    } else {
                        _ = try s.skipValue(depth: 1)
                    }
                }
                s.skipWhitespace()
                if !s.atEnd { throw JSONError(offset: s.position, message: "unexpected data after the document") }
                let base = b.count - body.count
                if type == "Bundle" {
                    var items: [BundleItem] = []
                    var at = (offset: 0, line: 1)
                    for r in ranges {
                        let line = Self.lineOf(base + r.lowerBound, in: b, from: at)
                        at = (base + r.lowerBound, line)
                        if let item = try bundleItem(try FHIRValue(parsing: UnsafeBufferPointer(rebasing: body[r])), line: line) {
                            items.append(item)
                        }
                    }
                    try mapBundle(items)
                } else {
                    try mapSingle(try FHIRValue(parsing: body), line: 1)
                }
            } catch let e as JSONError {
                let line = Self.lineOf(e.offset, in: b, from: (0, 1))
                try entries.reject(line: line, field: nil, reason: "unreadable JSON", detail: e.message)
            }
        }
    }

    /// One resource, or one Bundle, per line (standard input is always read this way).
    private func readNDJSON() throws {
        // Resources on their own lines resolve references in the source, not the file.
        var m = mapper(index: FHIRIndex(), bundle: false)
        try LineReader(try InputFile(path: path)).forEachLine { line, number in
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
            if number == 1, line.filter({ $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }).elementsEqual("{".utf8) {
                throw CareError(.dataError, "\(path == "-" ? "standard input" : Mask.path(path)): pretty-printed JSON where NDJSON (one resource or Bundle per line) is expected: give it as a .json file, or compact it with jq -c .")
            }
            do {
                let r = try FHIRValue(parsing: line)
                if r.resourceType == "Bundle" {
                    let items = try (r["entry"]?.list ?? []).compactMap { try bundleItem($0, line: number) }
                    try mapBundle(items, scope: "\(name)#\(number)")
                } else {
                    try m.map(r, line: number)
                }
            } catch let e as JSONError {
                try entries.reject(line: number, field: nil, reason: "unreadable JSON", detail: e.message)
            }
        }
        finish(m)
    }

    typealias BundleItem = (resource: FHIRValue, fullUrl: String?, line: Int)

    /// A Bundle entry's resource and fullUrl. An entry that is only a request or a response of
    /// a batch or transaction (`request.method = GET`, a `response` status) is no record and is
    /// filtered; any other entry without a resource is rejected.
    private func bundleItem(_ entry: FHIRValue, line: Int) throws -> BundleItem? {
        guard let resource = entry["resource"] else {
            try emptyEntry(line: line, requestOrResponse: entry["request"] != nil || entry["response"] != nil)
            return nil
        }
        return (resource, entry["fullUrl"]?.string, line)
    }

    static let requestOnly = "batch or transaction entry without a resource (a request or response, not a record)"

    private func emptyEntry(line: Int, requestOrResponse: Bool) throws {
        if requestOrResponse { entries.filter(Self.requestOnly); return }
        try entries.reject(line: line, field: "Bundle.entry.resource", reason: "not a FHIR resource", detail: "entry without a resource")
    }

    /// A Bundle held whole: its entries indexed, then mapped.
    private func mapBundle(_ items: [BundleItem], scope: String? = nil) throws {
        var index = FHIRIndex()
        for i in items { index.index(i.resource, fullUrl: i.fullUrl) }
        var m = mapper(index: index, bundle: true, scope: scope)
        for i in items { try m.map(i.resource, line: i.line, fullUrl: i.fullUrl) }
        finish(m)
    }

    /// One resource on its own (a file): references resolve in the source.
    private func mapSingle(_ r: FHIRValue, line: Int) throws {
        var index = FHIRIndex()
        index.index(r, fullUrl: nil)
        var m = mapper(index: index, bundle: false)
        try m.map(r, line: line)
        finish(m)
    }

    // MARK: XML

    private func readXML() throws {
        // Pass 1 indexes a Bundle's resources; pass 2 maps them. A single resource is one pass.
        var index = FHIRIndex()
        var isBundle = false
        do {
            let reader = try SafeXMLReader(path: path)
            var more = try reader.read()
            while more && !reader.isElementStart { more = try reader.read() }
            guard more else { return }
            if reader.localName(is: "Bundle") {
                isBundle = true
                try forEachBundleEntry(reader) { resource, fullUrl, _, _ in
                    if let resource { index.index(resource, fullUrl: fullUrl) }
                }
            } else {
                let root = try reader.expand()
                try mapSingle(FHIRValue(resource: root), line: root.line)
                return
            }
        } catch let f as SafeXMLReader.Failure {
            try entries.reject(line: f.line, field: nil, reason: "unreadable XML", detail: f.message)
            return
        }
        guard isBundle else { return }
        var m = mapper(index: index, bundle: true)
        do {
            let reader = try SafeXMLReader(path: path)
            // An entry without a resource is rejected here, in the second pass only.
            try forEachBundleEntry(reader) { resource, fullUrl, line, requestOrResponse in
                if let resource { try m.map(resource, line: line, fullUrl: fullUrl) } else {
                    try emptyEntry(line: line, requestOrResponse: requestOrResponse)
                }
            }
        } catch let f as SafeXMLReader.Failure {
            try entries.reject(line: f.line, field: nil, reason: "unreadable XML", detail: f.message)
        }
        finish(m)
    }

    /// Calls `body(resource, fullUrl, line, requestOrResponse)` for each `Bundle/entry`, one
    /// expanded at a time (`resource` nil for an entry without one).
    private func forEachBundleEntry(_ reader: SafeXMLReader, _ body: (FHIRValue?, String?, Int, Bool) throws -> Void) throws {
        var more = try reader.read()
        while more {
            if reader.isElementStart && reader.depth == 1 && reader.localName(is: "entry") {
                let entry = try reader.expand()
                let resource = entry.child("resource")?.firstChild
                try body(resource.map(FHIRValue.init(resource:)), entry.child("fullUrl")?.attribute("value"), resource?.line ?? entry.line,
                         entry.child("request") != nil || entry.child("response") != nil)
                more = try reader.next()
            } else {
                more = try reader.read()
            }
        }
    }
}
