import CareCore
import Foundation

/// What a table row becomes inside a person. The raw value orders a person's rows in the
/// grouping sort: the patient row first, then events, encounters and care, each by date.
public enum ItemTag: UInt8, Sendable {
    case patient = 0x30   // "0"
    case event = 0x61     // "a"
    case encounter = 0x62 // "b"
    case care = 0x63      // "c"
}

/// What every thread of a run shares: the input files, the source tags, and run-wide facts.
/// Files are registered while the run is planned (one thread); tags may also be added while
/// tables are read (a `source` column), so they are behind a lock.
public final class IngestRegistry: @unchecked Sendable {
    public let withTerms: Bool
    /// Input files as messages name them (`Mask.path`: no NHS number in a file name is shown).
    public private(set) var files: [String] = []
    /// The source (index into the run's source list) each file belongs to.
    public private(set) var fileSources: [UInt32] = []
    /// Set by a preset whose people are keyed locally but carry NHS numbers: their final ids
    /// differ from their join keys, so the run needs its second sort (by id).
    public var remapsIdentity = false
    /// Sources whose rows only complete people found elsewhere (demographics side files): a
    /// person with rows from these sources alone is filtered, not emitted.
    public var attachOnlySources: Set<UInt32> = []
    /// Sources whose documents each hold a person's whole record (GP2GP extracts): a second
    /// document of the same person in the source is set aside whole, not merged.
    public var wholeRecordSources: Set<UInt32> = []
    /// The source being planned now (index into the run's source list).
    var sourceIndex: UInt32 = 0
    private let lock = NSLock()
    private var tagList: [String] = []
    private var tagIndex: [String: UInt32] = [:]

    init(withTerms: Bool) { self.withTerms = withTerms }

    /// The source every FHIR file of the run belongs to: they are one document set, so resources
    /// in separate files (a Bulk Data export passed file by file) meet by Patient reference, and
    /// a resource sent twice is recognised across them.
    public private(set) var fhirSource: UInt32?

    /// Registers an input file; messages name it as `Mask.path` shows it.
    public func registerFile(_ path: String, fhir: Bool = false) -> UInt32 {
        files.append(Mask.path(path))
        if fhir && fhirSource == nil { fhirSource = sourceIndex }
        fileSources.append(fhir ? fhirSource! : sourceIndex)
        return UInt32(files.count - 1)
    }

    public func tag(_ name: String) -> UInt32 {
        lock.lock(); defer { lock.unlock() }
        if let i = tagIndex[name] { return i }
        tagList.append(name)
        let i = UInt32(tagList.count - 1)
        tagIndex[name] = i
        return i
    }

    public func tagName(_ i: UInt32) -> String {
        lock.lock(); defer { lock.unlock() }
        return tagList[Int(i)]
    }
}

/// One reader thread's state: its sorter, its accounting (a diagnostics shard per table), and
/// scratch buffers. Presets call `add` once per usable row and `reject` for every bad one.
///
/// Sort key:  join key · 0x00 · item tag · date text · 0x00 · file (u32) · line (u32)
/// Payload:   file index (u32) · source-tag index (u32) · line (u32) · identity length (u16) ·
///            identity · JSON fragment
///
/// The identity is empty for table rows; a FHIR resource's is `Type/id` · 0x00 · meta.lastUpdated,
/// so the assembler can set aside a resource sent twice (PersonAssembler.settleResent).
///
/// The join key is the person's NHS number where a table is keyed by it, so rows of one person
/// from every source meet in one group; otherwise it is the local key scoped by its source
/// ("synthea:FOLDER:Id"), which never joins across sources. The file and line make every key
/// unique, so the merged order is the same whichever thread read which table.
public final class IngestContext {
    public let registry: IngestRegistry
    let sorter: ExternalSorter
    /// Where this table's counts and rejects go (set per table).
    public var accounting: RecordAccounting
    public var withTerms: Bool { registry.withTerms }
    private var key: [UInt8] = []
    var writer = JSONWriter(capacity: 1024)
    private var tagCache: [String: UInt32] = [:]

    init(registry: IngestRegistry, sorter: ExternalSorter, accounting: RecordAccounting) {
        self.registry = registry
        self.sorter = sorter
        self.accounting = accounting
        key.reserveCapacity(128)
    }

    /// A source tag's index, cached per thread.
    public func tag(_ name: String) -> UInt32 {
        if let i = tagCache[name] { return i }
        let i = registry.tag(name)
        tagCache[name] = i
        return i
    }

    /// Adds one row's item for the person `localKey` (prefixed by `scope` unless it is an NHS
    /// number). `fragment` writes the item's JSON.
    func add(localKey: UnsafeBufferPointer<UInt8>, scope: [UInt8]?, tag: ItemTag, date: ISODate?, file: UInt32, sourceTag: UInt32,
             line: Int, identity: [UInt8]? = nil, fragment: (inout JSONWriter) -> Void) throws {
        key.removeAll(keepingCapacity: true)
        if let scope { key.append(contentsOf: scope) }
        key.append(contentsOf: localKey)
        key.append(0)
        key.append(tag.rawValue)
        writer.bytes.removeAll(keepingCapacity: true)
        if let date { date.write(to: &writer); key.append(contentsOf: writer.bytes) }
        let l = UInt32(clamping: line)
        key.append(0)
        key.append(UInt8(truncatingIfNeeded: file >> 24)); key.append(UInt8(truncatingIfNeeded: file >> 16))
        key.append(UInt8(truncatingIfNeeded: file >> 8)); key.append(UInt8(truncatingIfNeeded: file))
        key.append(UInt8(truncatingIfNeeded: l >> 24)); key.append(UInt8(truncatingIfNeeded: l >> 16))
        key.append(UInt8(truncatingIfNeeded: l >> 8)); key.append(UInt8(truncatingIfNeeded: l))
        writer.bytes.removeAll(keepingCapacity: true)
        for shift in stride(from: 0, to: 32, by: 8) { writer.raw(UInt8(truncatingIfNeeded: file >> UInt32(shift))) }
        for shift in stride(from: 0, to: 32, by: 8) { writer.raw(UInt8(truncatingIfNeeded: sourceTag >> UInt32(shift))) }
        writer.raw(UInt8(truncatingIfNeeded: l)); writer.raw(UInt8(truncatingIfNeeded: l >> 8))
        writer.raw(UInt8(truncatingIfNeeded: l >> 16)); writer.raw(UInt8(truncatingIfNeeded: l >> 24))
        let identityLength = UInt16(clamping: identity?.count ?? 0)
        writer.raw(UInt8(truncatingIfNeeded: identityLength)); writer.raw(UInt8(truncatingIfNeeded: identityLength >> 8))
        if let identity { writer.raw(identity.prefix(Int(identityLength))) }
        fragment(&writer)
        try key.withUnsafeBufferPointer { k in
            try writer.bytes.withUnsafeBufferPointer { p in try sorter.add(key: k, payload: p) }
        }
    }

    /// Rejects a row: the reason, and the field's value unless the field identifies a person.
    public func reject(file: UInt32, line: Int, field: String? = nil, reason: String, detail: String? = nil, value: String? = nil) throws {
        try IngestContext.reject(registry: registry, to: accounting, file: file, line: line, field: field, reason: reason, detail: detail, value: value)
    }

    static func reject(registry: IngestRegistry, to accounting: RecordAccounting, file: UInt32, line: Int, field: String? = nil,
                       reason: String, detail: String? = nil, value: String? = nil) throws {
        let shown = value.map { Mask.value(field: field ?? "", $0) }
        try accounting.reject(Reject(source: registry.files[Int(file)], line: line, field: field, reason: reason, detail: detail, value: shown))
    }

    /// Decodes a payload header: its fields, and where the identity and the fragment lie.
    static func header(_ p: UnsafeBufferPointer<UInt8>) -> (file: UInt32, tag: UInt32, line: Int, identity: Range<Int>, fragment: Int) {
        @inline(__always) func u32(_ at: Int) -> UInt32 { UInt32(p[at]) | UInt32(p[at + 1]) << 8 | UInt32(p[at + 2]) << 16 | UInt32(p[at + 3]) << 24 }
        let identityLength = Int(p[12]) | Int(p[13]) << 8
        return (u32(0), u32(4), Int(u32(8)), headerSize..<(headerSize + identityLength), headerSize + identityLength)
    }
    static let headerSize = 14
}
