import CareCore

/// How the document formats (GP2GP, FHIR) account for what they read. Their record is an
/// entry (a coded statement, a resource): each is counted as read once and then added to a
/// person (emitted), filtered with a reason, or rejected with its file, line and field.
struct DocumentEntries {
    let context: IngestContext
    let file: UInt32
    /// When set, items wait here until `commit` (so a document that breaks off part-way adds
    /// nothing of the person it was reading: see `discard`).
    var staging: Staging?

    final class Staging {
        var items: [(tag: ItemTag, owner: Owner, date: ISODate?, line: Int, identity: [UInt8]?, fragment: [UInt8])] = []
    }

    /// The person entries are added to: a join key (an NHS number, or a local key with its
    /// scope) and the source tag.
    struct Owner {
        var key: [UInt8]
        var scope: [UInt8]?
        var sourceTag: UInt32
    }

    /// `identity` names the resource the item came from (FHIR: `Type/id` · 0x00 · lastUpdated),
    /// so the same resource sent twice is recognised when the person is assembled.
    func add(_ tag: ItemTag, owner: Owner, date: ISODate?, line: Int, identity: [UInt8]? = nil,
             fragment: (inout JSONWriter) -> Void) throws {
        if let staging {
            var w = JSONWriter(capacity: 256)
            fragment(&w)
            staging.items.append((tag, owner, date, line, identity, w.bytes))
            return
        }
        try send(tag, owner: owner, date: date, line: line, identity: identity, fragment: fragment)
    }

    /// Counts the record as read and hands it to the grouping sort.
    private func send(_ tag: ItemTag, owner: Owner, date: ISODate?, line: Int, identity: [UInt8]?,
                      fragment: (inout JSONWriter) -> Void) throws {
        context.accounting.countRead(1)
        try owner.key.withUnsafeBufferPointer { k in
            try context.add(localKey: k, scope: owner.scope, tag: tag, date: date, file: file, sourceTag: owner.sourceTag,
                            line: line, identity: identity, fragment: fragment)
        }
    }

    /// Adds what was staged.
    func commit() throws {
        guard let staging else { return }
        for item in staging.items {
            try send(item.tag, owner: item.owner, date: item.date, line: item.line, identity: item.identity) { $0.raw(item.fragment) }
        }
        staging.items.removeAll()
    }

    /// Rejects what was staged: the document broke off before the person was complete.
    func discard(reason: String, detail: String) throws {
        guard let staging else { return }
        for item in staging.items {
            try reject(line: item.line, field: nil, reason: reason, detail: detail)
        }
        staging.items.removeAll()
    }

    func event(_ e: Event, owner: Owner, line: Int, identity: [UInt8]? = nil) throws {
        try add(.event, owner: owner, date: e.date, line: line, identity: identity) { e.writeBody(to: &$0) }
    }

    func encounter(_ e: Encounter, owner: Owner, line: Int, identity: [UInt8]? = nil) throws {
        try add(.encounter, owner: owner, date: e.start, line: line, identity: identity) { e.write(to: &$0) }
    }

    func patient(_ p: Person, owner: Owner, line: Int, identity: [UInt8]? = nil) throws {
        try add(.patient, owner: owner, date: nil, line: line, identity: identity) { p.write(to: &$0) }
    }

    func filter(_ reason: String) {
        context.accounting.countRead(1)
        context.accounting.filter(reason: reason)
    }

    func reject(line: Int, field: String?, reason: String, detail: String? = nil, value: String? = nil) throws {
        context.accounting.countRead(1)
        try context.reject(file: file, line: line, field: field, reason: reason, detail: detail, value: value)
    }

    func warn(_ message: String) {
        context.accounting.warn("\(context.registry.files[Int(file)]): \(message)")
    }
}
