import CareCore

/// Phase 2 of grouping, needed only when final ids differ from join keys (pseudonyms, or
/// locally keyed tables carrying NHS numbers): receives assembled records sorted by `id` (ties
/// in source order) and writes one line per person. A record with a unique id is copied through
/// as it is; records sharing an id are merged into the single care record.
final class PersonMerger {
    let output: OutputTarget
    let diagnostics: Diagnostics
    private(set) var people = 0
    private(set) var merged = 0
    private(set) var conflicts = 0
    private var currentID: [UInt8] = []
    private var pending: [(line: [UInt8], attachOnly: Bool, rows: Int)] = []

    init(output: OutputTarget, diagnostics: Diagnostics) {
        self.output = output
        self.diagnostics = diagnostics
    }

    /// The sort key: the id, then 0x00 and whether the record holds only demographics
    /// side-file rows (those sort after the person's other records; ties keep source order).
    static func key(id: String, attachOnly: Bool) -> [UInt8] {
        Array(id.utf8) + [0, attachOnly ? 1 : 0]
    }

    /// The payload: how many input rows the record holds (4 bytes), then its JSON line.
    static func payload(rows: Int, line: [UInt8]) -> [UInt8] {
        let n = UInt32(clamping: rows)
        return [UInt8(n >> 24), UInt8(truncatingIfNeeded: n >> 16), UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)] + line
    }

    func consume(key: UnsafeBufferPointer<UInt8>, payload: UnsafeBufferPointer<UInt8>) throws {
        let id = UnsafeBufferPointer(rebasing: key[0..<(key.count - 2)])
        if !pending.isEmpty && !currentID.elementsEqual(id) { try flush() }
        if pending.isEmpty { currentID = Array(id) }
        let rows = Int(payload[0]) << 24 | Int(payload[1]) << 16 | Int(payload[2]) << 8 | Int(payload[3])
        pending.append((Array(payload[4...]), key[key.count - 1] == 1, rows))
    }

    func finish() throws { try flush() }

    private func flush() throws {
        defer { pending.removeAll(keepingCapacity: true) }
        guard !pending.isEmpty else { return }
        let sideRows = pending.filter(\.attachOnly).reduce(0) { $0 + $1.rows }
        if pending.allSatisfy(\.attachOnly) {
            diagnostics.filter(reason: PersonAssembler.demographicsOnly, count: sideRows)
            return
        }
        diagnostics.countEmitted(sideRows)
        people += 1
        if pending.count == 1 {
            try output.write(pending[0].line)
            try output.write(CollectionOfOne(UInt8(ascii: "\n")))
            return
        }
        merged += 1
        let parts = try pending.map { part in
            try part.line.withUnsafeBufferPointer { b -> Person in
                do { return try Person(jsonLine: b) } catch {
                    throw CareError(.software, "internal error: a partial record did not parse back: \(error)")
                }
            }
        }
        let person = Self.merge(parts)
        conflicts += person.conflicts.count
        try output.write(person.jsonLine)
    }

    /// Merges records of one person from several sources, in the order given. Demographics: the
    /// first source that has a value wins, and every differing value is kept in `conflicts`.
    /// Items: all of them, ordered by date (stable, so ties keep source order).
    static func merge(_ parts: [Person]) -> Person {
        var result = parts[0]
        for other in parts.dropFirst() {
            mergeDemographics(into: &result, from: other)
            result.sources = Array(Set(result.sources).union(other.sources)).sorted()
            result.events += other.events
            result.encounters += other.encounters
            result.care += other.care
            result.conflicts += other.conflicts
            for (k, v) in other.extra where !result.extra.contains(where: { $0.key == k }) { result.extra.append((k, v)) }
        }
        result.events = stableSorted(result.events) { $0.date < $1.date }
        result.encounters = stableSorted(result.encounters) { $0.start < $1.start }
        result.care = stableSorted(result.care) { $0.start < $1.start }
        return result
    }

    /// Fills the demographic fields `result` lacks from `other`; where both have a value and they
    /// differ, keeps `result`'s and records a conflict naming both sources.
    static func mergeDemographics(into result: inout Person, from other: Person) {
        let otherSource = other.sources.first ?? "?"
        func field<T: Equatable & CustomStringConvertible>(_ name: String, _ kp: WritableKeyPath<Person, T?>) {
            guard let theirs = other[keyPath: kp] else { return }
            if let ours = result[keyPath: kp] {
                if ours != theirs {
                    result.conflicts.append(Conflict(field: name, kept: ours.description, keptSource: result.sources.first ?? "?",
                                                     other: theirs.description, otherSource: otherSource))
                }
            } else {
                result[keyPath: kp] = theirs
            }
        }
        field("nhs_number", \.nhsNumber)
        field("birth_date", \.birthDate)
        field("sex", \.sex)
        field("death_date", \.deathDate)
        field("death_place", \.deathPlace)
        field("practice", \.practice)
        field("team", \.team)
        field("lsoa", \.lsoa)
        // Ethnicity: the latest recorded wins (one with a date over one without); a different
        // category from another source is a conflict, like any other demographic field.
        if result.ethnicity != nil && result.ethnicity?.source == nil { result.ethnicity?.source = result.sources.first }
        if var theirs = other.ethnicity {
            if theirs.source == nil { theirs.source = otherSource }
            if let ours = result.ethnicity {
                let theirsNewer = (theirs.date?.dayNumber ?? Int.min) > (ours.date?.dayNumber ?? Int.min)
                if (ours.category ?? ours.code) != (theirs.category ?? theirs.code) {
                    let (kept, dropped) = theirsNewer ? (theirs, ours) : (ours, theirs)
                    result.conflicts.append(Conflict(field: "ethnicity", kept: kept.description, keptSource: kept.source ?? "?",
                                                     other: dropped.description, otherSource: dropped.source ?? "?"))
                }
                if theirsNewer { result.ethnicity = theirs }
            } else {
                result.ethnicity = theirs
            }
        }
        field("registration_start", \.registrationStart)
        field("registration_end", \.registrationEnd)
    }

    static func stableSorted<T>(_ items: [T], by less: (T, T) -> Bool) -> [T] {
        items.enumerated().sorted { a, b in
            less(a.element, b.element) || (!less(b.element, a.element) && a.offset < b.offset)
        }.map(\.element)
    }
}
