import CareCore

/// Phase 2 of grouping, needed only when final ids differ from join keys (pseudonyms, or
/// locally keyed tables carrying NHS numbers): receives assembled records sorted by `id` (ties
/// in source order) and writes one line per person. A record with a unique id is copied through
/// as it is; records sharing an id are merged into the single care record.
final class PersonMerger {
    let output: OutputTarget
    private(set) var people = 0
    private(set) var merged = 0
    private(set) var conflicts = 0
    private var currentKey: [UInt8] = []
    private var pending: [[UInt8]] = []

    init(output: OutputTarget) { self.output = output }

    func consume(key: UnsafeBufferPointer<UInt8>, payload: UnsafeBufferPointer<UInt8>) throws {
        if !pending.isEmpty && !currentKey.elementsEqual(key) { try flush() }
        if pending.isEmpty { currentKey = Array(key) }
        pending.append(Array(payload))
    }

    func finish() throws { try flush() }

    private func flush() throws {
        defer { pending.removeAll(keepingCapacity: true) }
        guard !pending.isEmpty else { return }
        people += 1
        if pending.count == 1 {
            try output.write(pending[0])
            try output.write(CollectionOfOne(UInt8(ascii: "\n")))
            return
        }
        merged += 1
        let parts = try pending.map { bytes in
            try bytes.withUnsafeBufferPointer { b -> Person in
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
        field("practice", \.practice)
        field("team", \.team)
        field("lsoa", \.lsoa)
        field("registration_start", \.registrationStart)
        field("registration_end", \.registrationEnd)
    }

    static func stableSorted<T>(_ items: [T], by less: (T, T) -> Bool) -> [T] {
        items.enumerated().sorted { a, b in
            less(a.element, b.element) || (!less(b.element, a.element) && a.offset < b.offset)
        }.map(\.element)
    }
}
