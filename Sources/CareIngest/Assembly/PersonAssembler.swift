import CareCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where an assembled person goes: straight to the output when the run's ids are its join keys
/// (already in `id` order), or into the second sort when ids are remapped.
enum AssembledSink {
    case output(OutputTarget)
    case sortByID(ExternalSorter)
}

/// Phase 1 of grouping: receives rows sorted by (join key, item, date) and assembles each
/// person's rows, from every source, into one record without parsing the item fragments again.
/// It decides the person's final `id` (NHS number, pseudonym, or source-scoped key), merges the
/// patient rows of several sources (disagreements kept as `conflicts`), and applies the opt-out list.
final class PersonAssembler {
    let registry: IngestRegistry
    let diagnostics: Diagnostics
    let privacy: Privacy
    let sink: AssembledSink
    private(set) var people = 0
    private(set) var optedOut = 0
    private(set) var mergedPeople = 0
    private(set) var conflicts = 0
    /// GP entries that record ethnicity (`--ethnicity-codes`).
    var ethnicityCodes: EthnicityCodes?
    /// `--only`: the record's `tables_read` member (written after `sources`), or nil.
    var tablesRead: [UInt8]?

    // The group being collected.
    private var groupKey: [UInt8] = []
    private var hasGroup = false
    private var patientRows: [(payload: [UInt8], file: UInt32, line: Int, sourceTag: UInt32, identity: [UInt8])] = []
    private var items: [UInt8] = []                     // fragments, back to back
    /// Each item's fragment; for events, `date` is the date text and `range` the body.
    private var itemRanges: [(tag: ItemTag, range: Range<Int>, date: Range<Int>, file: UInt32, line: Int, sourceTag: UInt32,
                              identity: Range<Int>)] = []
    /// Whether the group holds an item with an identity (a FHIR resource).
    private var hasIdentities = false
    /// Each source tag as a JSON string, made once.
    private var sourceJSON: [UInt32: [UInt8]] = [:]
    private var line = JSONWriter(capacity: 1 << 16)
    private var tagsSeen: [UInt32] = []

    init(registry: IngestRegistry, diagnostics: Diagnostics, privacy: Privacy, sink: AssembledSink) {
        self.registry = registry
        self.diagnostics = diagnostics
        self.privacy = privacy
        self.sink = sink
    }

    /// The join-key part of a sort key: everything before the 0x00 separator.
    @inline(__always) static func joinKeyLength(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        if let p = memchr(key.baseAddress!, 0, key.count) {
            return key.baseAddress!.distance(to: p.assumingMemoryBound(to: UInt8.self))
        }
        return key.count
    }

    func consume(key: UnsafeBufferPointer<UInt8>, payload: UnsafeBufferPointer<UInt8>) throws {
        let n = Self.joinKeyLength(key)
        let same = hasGroup && groupKey.count == n && groupKey.withUnsafeBufferPointer { g in
            memcmp(g.baseAddress!, key.baseAddress!, n) == 0
        }
        if !same {
            try flush()
            groupKey.removeAll(keepingCapacity: true)
            groupKey.append(contentsOf: UnsafeBufferPointer(rebasing: key[0..<n]))
            hasGroup = true
        }
        let (file, sourceTag, lineNumber, identity, fragmentStart) = IngestContext.header(payload)
        let tag = ItemTag(rawValue: key[n + 1])!
        let fragment = UnsafeBufferPointer(rebasing: payload[fragmentStart...])
        if !identity.isEmpty { hasIdentities = true }
        if tag == .patient {
            patientRows.append((Array(fragment), file, lineNumber, sourceTag, Array(payload[identity])))
        } else {
            var identityRange = 0..<0
            if !identity.isEmpty {
                let start = items.count
                items.append(contentsOf: UnsafeBufferPointer(rebasing: payload[identity]))
                identityRange = start..<items.count
            }
            var dateRange = 0..<0
            if tag == .event {
                // The date text sits in the key between the item tag and the next 0x00.
                var end = n + 2
                while end < key.count && key[end] != 0 { end += 1 }
                let start = items.count
                items.append(contentsOf: UnsafeBufferPointer(rebasing: key[(n + 2)..<end]))
                dateRange = start..<items.count
            }
            let start = items.count
            items.append(contentsOf: fragment)
            itemRanges.append((tag, start..<items.count, dateRange, file, lineNumber, sourceTag, identityRange))
        }
    }

    func finish() throws { try flush() }

    static let resentSame = "FHIR resource sent again (same id, same content: kept once)"
    static let resentSuperseded = "FHIR resource superseded (same id: the later meta.lastUpdated is kept)"

    /// A FHIR resource that reaches this person more than once from one source (the same
    /// `Type/id` in two files or two Bundles: a record sent again) is kept once. Its versions
    /// are compared by meta.lastUpdated (as written; ties, or none, by source order: the one
    /// read last); the kept one is the latest, and every other is filtered as sent again when
    /// its items are byte-identical to the kept one's, else as superseded. docs/formats.md.
    private func settleResent() {
        // Most people have no resource twice: tell that from hashes of the names, with no
        // allocation per item, before building anything.
        // (The items of one resource, a blood pressure's components, share its file and line.)
        var seen: [Int: (file: UInt32, line: Int)] = [:], repeated = false
        func nameHash(_ identity: UnsafeBufferPointer<UInt8>) -> Int {
            var h = Hasher()
            let end = identity.firstIndex(of: 0) ?? identity.count
            h.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: identity[0..<end])))
            return h.finalize()
        }
        func note(_ hash: Int, _ file: UInt32, _ line: Int) {
            if let at = seen.updateValue((file, line), forKey: hash), at != (file, line) { repeated = true }
        }
        for row in patientRows where !row.identity.isEmpty {
            note(row.identity.withUnsafeBufferPointer(nameHash), row.file, row.line)
        }
        items.withUnsafeBufferPointer { b in
            for item in itemRanges where !item.identity.isEmpty && !repeated {
                note(nameHash(UnsafeBufferPointer(rebasing: b[item.identity])), item.file, item.line)
            }
        }
        guard repeated else { return }
        struct Occurrence {
            var name: [UInt8]; var source: UInt32; var lastUpdated: [UInt8]; var file: UInt32; var line: Int
            var content: [UInt8] = []; var items: [Int] = []; var patientRows: [Int] = []
        }
        /// One resource of one source (`Type/id`), and one copy of it (where it was read).
        struct Resource: Hashable { var name: [UInt8]; var source: UInt32 }
        struct Copy: Hashable { var resource: Resource; var file: UInt32; var line: Int }
        var occurrences: [Occurrence] = []
        var index: [Copy: Int] = [:]
        func occurrence(_ identity: ArraySlice<UInt8>, file: UInt32, line: Int) -> Int {
            let split = identity.firstIndex(of: 0) ?? identity.endIndex
            let resource = Resource(name: Array(identity[..<split]), source: registry.fileSources[Int(file)])
            let copy = Copy(resource: resource, file: file, line: line)
            if let i = index[copy] { return i }
            occurrences.append(Occurrence(name: resource.name, source: resource.source,
                                          lastUpdated: Array(identity[(split == identity.endIndex ? split : split + 1)...]), file: file, line: line))
            index[copy] = occurrences.count - 1
            return occurrences.count - 1
        }
        for (i, row) in patientRows.enumerated() where !row.identity.isEmpty {
            let o = occurrence(row.identity[...], file: row.file, line: row.line)
            occurrences[o].patientRows.append(i)
            occurrences[o].content += [ItemTag.patient.rawValue] + row.payload
        }
        for (i, item) in itemRanges.enumerated() where !item.identity.isEmpty {
            let o = occurrence(items[item.identity], file: item.file, line: item.line)
            occurrences[o].items.append(i)
            occurrences[o].content.append(item.tag.rawValue)
            occurrences[o].content += items[item.date]
            occurrences[o].content.append(0)
            occurrences[o].content += items[item.range]
        }
        var byResource: [Resource: [Int]] = [:]
        for (i, o) in occurrences.enumerated() { byResource[Resource(name: o.name, source: o.source), default: []].append(i) }
        var dropItems = Set<Int>(), dropRows = Set<Int>()
        for (_, group) in byResource where group.count > 1 {
            let later = { (a: Occurrence, b: Occurrence) in
                a.lastUpdated.lexicographicallyPrecedes(b.lastUpdated)
                    || (a.lastUpdated == b.lastUpdated && (a.file, a.line) < (b.file, b.line))
            }
            let kept = group.max { later(occurrences[$0], occurrences[$1]) }!
            for o in group where o != kept {
                let same = occurrences[o].content == occurrences[kept].content
                diagnostics.filter(reason: same ? Self.resentSame : Self.resentSuperseded,
                                   count: occurrences[o].items.count + occurrences[o].patientRows.count)
                dropItems.formUnion(occurrences[o].items)
                dropRows.formUnion(occurrences[o].patientRows)
            }
        }
        guard !dropItems.isEmpty || !dropRows.isEmpty else { return }
        itemRanges = itemRanges.enumerated().filter { !dropItems.contains($0.offset) }.map(\.element)
        patientRows = patientRows.enumerated().filter { !dropRows.contains($0.offset) }.map(\.element)
    }

    static let demographicsOnly = "demographics only (no record in another source)"

    private func sourceJSON(_ tag: UInt32) -> [UInt8] {
        if let json = sourceJSON[tag] { return json }
        var w = JSONWriter(capacity: 64)
        w.string(registry.tagName(tag))
        sourceJSON[tag] = w.bytes
        return w.bytes
    }

    private func flush() throws {
        guard hasGroup else { return }
        defer {
            hasGroup = false
            hasIdentities = false
            patientRows.removeAll(keepingCapacity: true)
            items.removeAll(keepingCapacity: true)
            itemRanges.removeAll(keepingCapacity: true)
        }
        if hasIdentities { settleResent() }
        guard !patientRows.isEmpty else {
            for item in itemRanges {
                try IngestContext.reject(registry: registry, to: diagnostics, file: item.file, line: item.line, reason: "no usable patient row",
                                   detail: "this person has no patient row, or it was rejected")
            }
            return
        }
        // The common case — one patient row, nothing to merge or pseudonymise — is spliced from
        // the row's fragment as bytes, never parsed into a Person and written again (that had
        // been half of a one-row-per-person table's run; bench/README.md).
        if patientRows.count == 1, ethnicityCodes == nil, privacy.pseudonymiser == nil,
           let members = Self.demographicMembers(patientRows[0].payload) {
            try flushOnePatient(members: members)
            return
        }
        try flushGeneral()
    }

    /// `flush` for any person: the patient rows parsed, merged (disagreements kept as
    /// conflicts) and written with the items.
    private func flushGeneral() throws {
        // One patient row per source; a second from the same source is a duplicate.
        var person: Person?
        var sourcesWithPatient: [UInt32] = []
        var duplicates = 0
        var keptFiles: [UInt32] = [], setAside: [UInt32] = []
        var duplicateRows = Set<Int>()
        for (index, row) in patientRows.enumerated() {
            let source = registry.fileSources[Int(row.file)]
            if sourcesWithPatient.contains(source) && !row.identity.isEmpty {
                // Two different Patient resources of one person in a FHIR source (two Bundles
                // from two systems): their demographics merge, disagreements kept as conflicts.
                var part = try row.payload.withUnsafeBufferPointer { try Person(jsonLine: $0) }
                part.sources = [registry.tagName(row.sourceTag)]
                PersonMerger.mergeDemographics(into: &person!, from: part)
                continue
            }
            if sourcesWithPatient.contains(source) {
                let whole = registry.wholeRecordSources.contains(source)
                try IngestContext.reject(registry: registry, to: diagnostics, file: row.file, line: row.line,
                                         reason: whole ? "duplicate extract" : "duplicate patient row",
                                         detail: whole ? "this person already has an extract in this source: this one is set aside whole"
                                                       : "this person already has a patient row in this source")
                duplicates += 1
                duplicateRows.insert(index)
                if whole && !keptFiles.contains(row.file) && !setAside.contains(row.file) { setAside.append(row.file) }
                continue
            }
            keptFiles.append(row.file)
            sourcesWithPatient.append(source)
            var part = try row.payload.withUnsafeBufferPointer { try Person(jsonLine: $0) }
            part.sources = [registry.tagName(row.sourceTag)]
            if person == nil { person = part } else { PersonMerger.mergeDemographics(into: &person!, from: part) }
        }
        // A source that sends a person's whole record in one document (GP2GP): a second extract
        // of the same person (a record sent again) is set aside whole, so nothing counts twice.
        if !setAside.isEmpty {
            for item in itemRanges where setAside.contains(item.file) {
                try IngestContext.reject(registry: registry, to: diagnostics, file: item.file, line: item.line, reason: "duplicate extract",
                                         detail: "an entry of an extract set aside: this person already has an extract in this source")
            }
            itemRanges.removeAll { setAside.contains($0.file) }
        }
        var p = person!
        let rows = itemRanges.count + patientRows.count - duplicates
        // Rows only from demographics side files: nothing else to complete. When ids are
        // remapped, the record may still meet its person in the second sort, so it goes there
        // marked, and is counted there.
        let attachOnly = itemRanges.isEmpty && sourcesWithPatient.allSatisfy { registry.attachOnlySources.contains($0) }
        if attachOnly, case .output = sink {
            diagnostics.filter(reason: PersonAssembler.demographicsOnly, count: rows)
            return
        }
        if sourcesWithPatient.count > 1 { mergedPeople += 1 }
        conflicts += p.conflicts.count
        if let nhs = p.nhsNumber, privacy.isOptedOut(nhs) {
            optedOut += 1
            diagnostics.filter(reason: "national data opt-out", count: rows)
            return
        }
        let joinKey = String(decoding: groupKey, as: UTF8.self)
        if let key = privacy.pseudonymiser {
            p.id = key.pseudonym(for: p.nhsNumber ?? joinKey)
            if let nhs = p.nhsNumber { try privacy.recordPseudonym(p.id, nhsNumber: nhs) }
            p.nhsNumber = nil
        } else {
            p.id = p.nhsNumber ?? joinKey
        }
        // Ethnicity recorded as a coded entry: the latest such entry, unless a source's own
        // record of ethnicity is later (a patients table's has no date, so an entry wins).
        if let codes = ethnicityCodes {
            var latest: Ethnicity?
            for item in itemRanges where item.tag == .event {
                let date = ISODate.parse(String(decoding: items[item.date], as: UTF8.self))
                guard let e = codes.ethnicity(in: items[item.range], date: date, source: registry.tagName(item.sourceTag)) else { continue }
                if latest == nil || (e.date?.dayNumber ?? Int.min) >= (latest!.date?.dayNumber ?? Int.min) { latest = e }
            }
            if let e = latest {
                if let current = p.ethnicity, (current.date?.dayNumber ?? Int.min) > (e.date?.dayNumber ?? Int.min) {
                    // A later record from a source keeps its place.
                } else {
                    if let current = p.ethnicity, (current.category ?? current.code) != e.category {
                        p.conflicts.append(Conflict(field: "ethnicity", kept: e.description, keptSource: e.source ?? "?",
                                                    other: current.description, otherSource: current.source ?? "?"))
                        conflicts += 1
                    }
                    p.ethnicity = e
                }
            }
        }

        p.sources = sourceNames()
        line.bytes.removeAll(keepingCapacity: true)
        p.writeHead(to: &line)
        try finishRecord(id: p.id, rows: rows, attachOnly: attachOnly, duplicateRows: duplicateRows) { w in p.writeTail(to: &w) }
    }

    /// The person's sources: every distinct tag of their rows, in name order.
    /// (A few tags per person: a short list is fastest; a person with thousands of distinct
    /// `source` values switches to a set, so the work stays linear.)
    private func sourceNames() -> [String] {
        tagsSeen.removeAll(keepingCapacity: true)
        var many: Set<UInt32>?
        func see(_ t: UInt32) {
            if many != nil { if many!.insert(t).inserted { tagsSeen.append(t) }; return }
            guard !tagsSeen.contains(t) else { return }
            tagsSeen.append(t)
            if tagsSeen.count > 32 { many = Set(tagsSeen) }
        }
        for row in patientRows { see(row.sourceTag) }
        for item in itemRanges { see(item.sourceTag) }
        return tagsSeen.map { registry.tagName($0) }.sorted()
    }

    /// A patient row's fragment as `Person.write` made it for a row of demographics only —
    /// `{"id":""` + members + `,"sources":[],"events":[],"encounters":[],"care":[]}` — gives
    /// the members (each with its leading comma, in `writeHead`'s order); any other shape is nil
    /// (and goes the general way).
    static let fragmentOpening = Array(#"{"id":"""#.utf8)
    static let fragmentClosing = Array(#","sources":[],"events":[],"encounters":[],"care":[]}"#.utf8)
    static let nhsNumberMember = Array(#","nhs_number":""#.utf8)

    static func demographicMembers(_ payload: [UInt8]) -> Range<Int>? {
        let opening = fragmentOpening, closing = fragmentClosing
        guard payload.count >= opening.count + closing.count else { return nil }
        let same = payload.withUnsafeBytes { p in
            opening.withUnsafeBytes { o in memcmp(p.baseAddress!, o.baseAddress!, o.count) == 0 }
                && closing.withUnsafeBytes { c in memcmp(p.baseAddress! + (p.count - c.count), c.baseAddress!, c.count) == 0 }
        }
        guard same else { return nil }
        let members = opening.count..<(payload.count - closing.count)
        // Only members writeHead writes (no conflicts or other keys, which come after the lists).
        guard members.isEmpty || payload[members.lowerBound] == UInt8(ascii: ",") else { return nil }
        return members
    }

    /// `flush` for a person with one patient row (no pseudonyms or ethnicity codes): the same
    /// record, made from the row's fragment as bytes.
    private func flushOnePatient(members: Range<Int>) throws {
        let row = patientRows[0]
        let source = registry.fileSources[Int(row.file)]
        let rows = itemRanges.count + 1
        let attachOnly = itemRanges.isEmpty && registry.attachOnlySources.contains(source)
        if attachOnly, case .output = sink {
            diagnostics.filter(reason: PersonAssembler.demographicsOnly, count: rows)
            return
        }
        // The NHS number: writeHead's first member after the id, when there is one (digits only).
        let prefix = Self.nhsNumberMember
        var nhs: String?
        if members.count > prefix.count, row.payload.withUnsafeBytes({ p in
            prefix.withUnsafeBytes { q in memcmp(p.baseAddress! + members.lowerBound, q.baseAddress!, q.count) == 0 }
        }) {
            let start = members.lowerBound + prefix.count
            if let end = row.payload[start..<members.upperBound].firstIndex(of: UInt8(ascii: "\"")) {
                if row.payload[start..<end].contains(UInt8(ascii: "\\")) {
                    // An escape (not a checked NHS number): the general way reads it.
                    return try flushGeneral()
                }
                nhs = String(decoding: row.payload[start..<end], as: UTF8.self)
            }
        }
        if let nhs, privacy.isOptedOut(nhs) {
            optedOut += 1
            diagnostics.filter(reason: "national data opt-out", count: rows)
            return
        }
        let id = nhs ?? String(decoding: groupKey, as: UTF8.self)
        line.bytes.removeAll(keepingCapacity: true)
        line.raw(#"{"id":"#)
        line.string(id)
        line.raw(row.payload[members])
        line.raw(#","sources":"#)
        line.list(sourceNames()) { $0.string($1) }
        try finishRecord(id: id, rows: rows, attachOnly: attachOnly, duplicateRows: []) { w in w.raw(UInt8(ascii: "}")) }
    }

    /// After the head (`{…,"sources":[…]` in `line`): `tables_read`, the item arrays, then
    /// `tail` (conflicts, other keys, the closing brace); the record is written or sent to the
    /// second sort, or, too long to be read as one line, every row of it rejected.
    private func finishRecord(id: String, rows: Int, attachOnly: Bool, duplicateRows: Set<Int>, tail: (inout JSONWriter) -> Void) throws {
        if let tablesRead { line.raw(tablesRead) }
        for (name, tag) in [(#","events":["#, ItemTag.event), (#"],"encounters":["#, .encounter), (#"],"care":["#, .care)] {
            line.raw(name.utf8)
            var first = true
            for item in itemRanges where item.tag == tag {
                if !first { line.raw(UInt8(ascii: ",")) }
                first = false
                if tag == .event {
                    line.raw(#"{"date":""#)
                    line.raw(items[item.date])
                    line.raw(UInt8(ascii: "\""))
                    line.raw(items[item.range])
                    Event.writeClosing(sourceJSON: sourceJSON(item.sourceTag), to: &line)
                } else {
                    line.raw(items[item.range])
                }
            }
        }
        line.raw(UInt8(ascii: "]"))
        tail(&line)
        // A record the next program could not read as one line (LineReader's limit) is not
        // written: every row of it is rejected here, with the reason, and the run goes on.
        if line.bytes.count > LineReader.defaultMaxLineLength {
            let detail = "this person's record would be \(line.bytes.count >> 20) MiB, over the \(LineReader.defaultMaxLineLength >> 20) MiB a program reads as one line"
            for (index, row) in patientRows.enumerated() where !duplicateRows.contains(index) {
                try IngestContext.reject(registry: registry, to: diagnostics, file: row.file, line: row.line, reason: "person record too long", detail: detail)
            }
            for item in itemRanges { try IngestContext.reject(registry: registry, to: diagnostics, file: item.file, line: item.line, reason: "person record too long", detail: detail) }
            diagnostics.warn("a person's record of \(line.bytes.count >> 20) MiB was not written (over \(LineReader.defaultMaxLineLength >> 20) MiB): its \(rows) rows are rejected")
            return
        }
        switch sink {
        case let .output(out):
            line.raw(UInt8(ascii: "\n"))
            try out.write(line.bytes)
        case let .sortByID(sorter):
            try sorter.add(key: PersonMerger.key(id: id, attachOnly: attachOnly), payload: PersonMerger.payload(rows: rows, line: line.bytes))
            if attachOnly { return }
        }
        people += 1
        diagnostics.countEmitted(rows)
    }
}
