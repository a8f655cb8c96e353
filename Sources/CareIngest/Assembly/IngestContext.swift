import CareCore

/// What a table row becomes inside a person. The raw value orders a person's rows in the
/// grouping sort: the patient row first, then events, encounters and care, each by date.
public enum ItemTag: UInt8, Sendable {
    case patient = 0x30   // "0"
    case event = 0x61     // "a"
    case encounter = 0x62 // "b"
    case care = 0x63      // "c"
}

/// Shared state of one ingest run: the grouping sorter, the files and source tags seen, and
/// the diagnostics. Presets call `add` once per usable row and `reject` for every bad one.
///
/// Sort key:  join key · 0x00 · item tag · date text
/// Payload:   file index (u16) · source-tag index (u16) · line (u32) · JSON fragment
///
/// The join key is the person's NHS number where a table is keyed by it, so rows of one person
/// from every source meet in one group; otherwise it is the local key scoped by its source
/// ("synthea:FOLDER:Id"), which never joins across sources.
public final class IngestContext {
    public let diagnostics: Diagnostics
    let sorter: ExternalSorter
    public let withTerms: Bool
    public private(set) var files: [String] = []
    /// The source (index into the run's source list) each file belongs to.
    public private(set) var fileSources: [UInt16] = []
    /// Set by a preset whose people are keyed locally but carry NHS numbers: their final ids
    /// differ from their join keys, so the run needs its second sort (by id).
    public var remapsIdentity = false
    public private(set) var tags: [String] = []
    private var tagIndex: [String: UInt16] = [:]
    private var key: [UInt8] = []
    var writer = JSONWriter(capacity: 1024)
    /// The source being read now (index into the run's source list).
    var sourceIndex: UInt16 = 0

    init(diagnostics: Diagnostics, sorter: ExternalSorter, withTerms: Bool) {
        self.diagnostics = diagnostics
        self.sorter = sorter
        self.withTerms = withTerms
        key.reserveCapacity(128)
    }

    public func registerFile(_ path: String) -> UInt16 {
        files.append(path)
        fileSources.append(sourceIndex)
        return UInt16(files.count - 1)
    }

    public func tag(_ name: String) -> UInt16 {
        if let i = tagIndex[name] { return i }
        tags.append(name)
        let i = UInt16(tags.count - 1)
        tagIndex[name] = i
        return i
    }

    /// Adds one row's item for the person `localKey` (prefixed by `scope` unless it is an NHS
    /// number). `fragment` writes the item's JSON.
    func add(localKey: UnsafeBufferPointer<UInt8>, scope: [UInt8]?, tag: ItemTag, date: ISODate?, file: UInt16, sourceTag: UInt16,
             line: Int, fragment: (inout JSONWriter) -> Void) throws {
        key.removeAll(keepingCapacity: true)
        if let scope { key.append(contentsOf: scope) }
        key.append(contentsOf: localKey)
        key.append(0)
        key.append(tag.rawValue)
        writer.bytes.removeAll(keepingCapacity: true)
        if let date { date.write(to: &writer); key.append(contentsOf: writer.bytes) }
        writer.bytes.removeAll(keepingCapacity: true)
        writer.raw(UInt8(truncatingIfNeeded: file)); writer.raw(UInt8(truncatingIfNeeded: file >> 8))
        writer.raw(UInt8(truncatingIfNeeded: sourceTag)); writer.raw(UInt8(truncatingIfNeeded: sourceTag >> 8))
        let l = UInt32(clamping: line)
        writer.raw(UInt8(truncatingIfNeeded: l)); writer.raw(UInt8(truncatingIfNeeded: l >> 8))
        writer.raw(UInt8(truncatingIfNeeded: l >> 16)); writer.raw(UInt8(truncatingIfNeeded: l >> 24))
        fragment(&writer)
        try key.withUnsafeBufferPointer { k in
            try writer.bytes.withUnsafeBufferPointer { p in try sorter.add(key: k, payload: p) }
        }
    }

    /// Rejects a row: the reason, and the field's value unless the field identifies a person.
    public func reject(file: UInt16, line: Int, field: String? = nil, reason: String, detail: String? = nil, value: String? = nil) throws {
        let shown = value.map { Mask.value(field: field ?? "", $0) }
        try diagnostics.reject(Reject(source: files[Int(file)], line: line, field: field, reason: reason, detail: detail, value: shown))
    }

    /// Decodes a payload header.
    static func header(_ p: UnsafeBufferPointer<UInt8>) -> (file: UInt16, tag: UInt16, line: Int) {
        (UInt16(p[0]) | UInt16(p[1]) << 8, UInt16(p[2]) | UInt16(p[3]) << 8,
         Int(p[4]) | Int(p[5]) << 8 | Int(p[6]) << 16 | Int(p[7]) << 24)
    }
    static let headerSize = 8
}
