import CareCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Phase 1 of grouping: receives one source's rows sorted by (source, local key, item, date)
/// and assembles each person's rows into one record, without parsing the item fragments again.
/// It decides the person's final `id` (NHS number, pseudonym, or source-scoped local key),
/// applies the opt-out list, and passes the record to phase 2 (`PersonMerger`) keyed by `id`.
final class PersonAssembler {
    let context: IngestContext
    let privacy: Privacy
    let next: ExternalSorter
    private(set) var people = 0
    private(set) var optedOut = 0

    // The group being collected.
    private var groupKey: [UInt8] = []
    private var hasGroup = false
    private var patientPayloads: [[UInt8]] = []
    private var items: [UInt8] = []                     // fragments, back to back
    private var itemRanges: [(tag: ItemTag, range: Range<Int>, file: UInt16, line: Int, sourceTag: UInt16)] = []
    private var line = JSONWriter(capacity: 1 << 16)
    private var tagsSeen: [UInt16] = []

    init(context: IngestContext, privacy: Privacy, next: ExternalSorter) {
        self.context = context
        self.privacy = privacy
        self.next = next
    }

    /// The person part of a sort key: source index and local key, up to the 0x00 separator.
    @inline(__always) static func personPrefixLength(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        var i = 2
        while i < key.count && key[i] != 0 { i += 1 }
        return i
    }

    func consume(key: UnsafeBufferPointer<UInt8>, payload: UnsafeBufferPointer<UInt8>) throws {
        let n = Self.personPrefixLength(key)
        let same = hasGroup && groupKey.count == n && groupKey.withUnsafeBufferPointer { g in
            memcmp(g.baseAddress!, key.baseAddress!, n) == 0
        }
        if !same {
            try flush()
            groupKey.removeAll(keepingCapacity: true)
            groupKey.append(contentsOf: UnsafeBufferPointer(rebasing: key[0..<n]))
            hasGroup = true
        }
        let (file, sourceTag, lineNumber) = IngestContext.header(payload)
        let tag = ItemTag(rawValue: key[n + 1])!
        let fragment = UnsafeBufferPointer(rebasing: payload[IngestContext.headerSize...])
        if tag == .patient {
            patientPayloads.append(Array(fragment))
            itemRanges.append((tag, 0..<0, file, lineNumber, sourceTag))
        } else {
            let start = items.count
            items.append(contentsOf: fragment)
            itemRanges.append((tag, start..<items.count, file, lineNumber, sourceTag))
        }
    }

    func finish() throws { try flush() }

    private func flush() throws {
        guard hasGroup else { return }
        defer {
            hasGroup = false
            patientPayloads.removeAll(keepingCapacity: true)
            items.removeAll(keepingCapacity: true)
            itemRanges.removeAll(keepingCapacity: true)
        }
        guard !patientPayloads.isEmpty else {
            for item in itemRanges {
                try context.reject(file: item.file, line: item.line, reason: "no usable patient row", detail: "this person has no patient row, or it was rejected")
            }
            return
        }
        // The first patient row wins; later ones for the same person are rejected.
        var patientSeen = false
        var patientTag: UInt16 = 0
        for item in itemRanges where item.tag == .patient {
            if patientSeen {
                try context.reject(file: item.file, line: item.line, reason: "duplicate patient row for this person")
            } else {
                patientSeen = true
                patientTag = item.sourceTag
            }
        }
        let demographics = try patientPayloads[0].withUnsafeBufferPointer { try Demographics(json: $0) }
        let rows = itemRanges.count - (patientPayloads.count - 1)
        if let nhs = demographics.nhsNumber, privacy.isOptedOut(nhs) {
            optedOut += 1
            context.diagnostics.filter(reason: "national data opt-out", count: rows)
            return
        }
        let localKey = String(decoding: groupKey[2...], as: UTF8.self)
        let scoped = context.tags[Int(patientTag)] + ":" + localKey
        let id: String
        var nhsNumber = demographics.nhsNumber
        if let key = privacy.pseudonymiser {
            id = key.pseudonym(for: demographics.nhsNumber ?? scoped)
            if let nhs = demographics.nhsNumber { try privacy.recordPseudonym(id, nhsNumber: nhs) }
            nhsNumber = nil
        } else {
            id = demographics.nhsNumber ?? scoped
        }
        // Sources: every distinct tag of the person's rows, in name order.
        tagsSeen.removeAll(keepingCapacity: true)
        for item in itemRanges where !tagsSeen.contains(item.sourceTag) { tagsSeen.append(item.sourceTag) }
        let sourceNames = tagsSeen.map { context.tags[Int($0)] }.sorted()

        line.bytes.removeAll(keepingCapacity: true)
        let source = UInt16(groupKey[0]) << 8 | UInt16(groupKey[1])
        line.raw(UInt8(truncatingIfNeeded: source >> 8))
        line.raw(UInt8(truncatingIfNeeded: source))
        var person = Person(id: id, nhsNumber: nhsNumber, birthDate: demographics.birthDate, sex: demographics.sex,
                            deathDate: demographics.deathDate, practice: demographics.practice, team: demographics.team,
                            lsoa: demographics.lsoa, registrationStart: demographics.registrationStart,
                            registrationEnd: demographics.registrationEnd, sources: sourceNames)
        // Write the head with empty arrays, then splice the fragments into them.
        person.events = []
        var head = JSONWriter(capacity: 512)
        person.write(to: &head)
        // head ends with "events":[],"encounters":[],"care":[]} — rebuild the tail ourselves.
        let tail = Array(#","events":[],"encounters":[],"care":[]}"#.utf8)
        precondition(head.bytes.count >= tail.count && Array(head.bytes.suffix(tail.count)) == tail)
        line.raw(head.bytes[..<(head.bytes.count - tail.count)])
        for (name, tag) in [(#","events":["#, ItemTag.event), (#"],"encounters":["#, .encounter), (#"],"care":["#, .care)] {
            line.raw(name.utf8)
            var first = true
            for item in itemRanges where item.tag == tag {
                if !first { line.raw(UInt8(ascii: ",")) }
                first = false
                line.raw(items[item.range])
            }
        }
        line.raw("]}")
        try next.add(key: Array(id.utf8), payload: line.bytes)
        people += 1
        context.diagnostics.countEmitted(rows)
    }
}
