#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A person line as an `ExpressionScope`: its members are located once, and a path is read
/// straight from the bytes when asked (no tree is built, except for a list `count(…)` walks).
///
/// Besides the record's own keys, five derived fields are computed at `asOf` (a record key of the
/// same name is not read): `age` (whole years, from `birth_date`), `age_band` (`"80-84"`, …,
/// `"90+"`), `deceased` (a `death_date` on or before `asOf`), `registered` (no
/// `registration_start` after `asOf` and no `registration_end` before it) and `as_of` itself;
/// and from `lsoa`, by `deprivation` (the bundled IMD 2019 unless a program was given another):
/// `imd_decile`, `imd_quintile` and `core20` (null when the LSOA is missing or unknown).
public final class RecordScope: ExpressionScope {
    public let asOf: ISODate
    public private(set) var line = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    private var keys: [JSONScanner.StringToken] = []
    private var values: [Range<Int>] = []
    /// Each member's bytes (`"key":value`), for copying a record through.
    public private(set) var members: [Range<Int>] = []
    private var parsedLists: [String: [JSONValue]] = [:]
    public static let derived: Set<String> = ["age", "age_band", "deceased", "registered", "as_of", "imd_decile", "imd_quintile", "core20"]
    /// Where `imd_decile`, `imd_quintile` and `core20` come from.
    public var deprivation: DeprivationTable = .bundled
    /// Thrown to leave a walk early once the member asked for is found.
    static let stop = JSONError(offset: -1, message: "found")

    public init(asOf: ISODate, deprivation: DeprivationTable = .bundled) {
        self.asOf = asOf
        self.deprivation = deprivation
    }

    /// Locates the members of one line. With `validate`, every byte is checked and the record
    /// passes `PersonRecordCheck` (no key twice, real dates); otherwise unread members are only
    /// skimmed for their extent.
    public func load(_ line: UnsafeBufferPointer<UInt8>, validate: Bool) throws(JSONError) {
        self.line = line
        keys.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        members.removeAll(keepingCapacity: true)
        if !parsedLists.isEmpty { parsedLists.removeAll(keepingCapacity: true) }
        var s = JSONScanner(line)
        try s.forEachMemberOfLine { (key: JSONScanner.StringToken, start: Int, s: inout JSONScanner) throws(JSONError) in
            keys.append(key)
            let v = validate ? try s.skipValue(depth: 1) : try s.skimValue()
            values.append(v)
            members.append(start..<v.upperBound)
        }
        if validate { try PersonRecordCheck.check(line, members: members) }
    }

    /// Loads one line of a person-records input, fully validated, accounting for it when it
    /// cannot be used: a blank line is filtered, invalid JSON or a record without `id` rejected
    /// (naming the file and line). True when the record is loaded and has an id.
    /// When `reader` (the program) reads the whole record, one made from only some tables
    /// (`tables_read`) stops the run; nil for a reader of whatever a record holds (mdt-list).
    public func loadPerson(_ line: UnsafeBufferPointer<UInt8>, number: Int, source: String, accounting: RecordAccounting,
                           reader: String?) throws -> Bool {
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { accounting.filter(reason: "blank line"); return false }
        do { try load(line, validate: true) } catch {
            try accounting.reject(Reject(source: source, line: number, reason: "invalid JSON", detail: error.description))
            return false
        }
        guard string("id") != nil else {
            try accounting.reject(Reject(source: source, line: number, field: "id", reason: "missing id"))
            return false
        }
        if let reader { try requireEveryTable(for: reader, source: source, line: number) }
        return true
    }

    /// Stops with an error when the record was made from only some tables (`ingest-gp --only`):
    /// `reader` reads every part of a record.
    public func requireEveryTable(for reader: String, source: String, line: Int) throws {
        guard let r = raw("tables_read") else { return }
        try TablesRead.require(TablesRead.everything, for: reader, tablesRead: UnsafeBufferPointer(rebasing: self.line[r]), source: source, line: line)
    }

    /// Takes the members another reader of the same line has already located (`"key":value`
    /// ranges, as PersonFacts keeps them), so the line is not scanned a second time.
    public func load(_ line: UnsafeBufferPointer<UInt8>, members known: [Range<Int>]) throws(JSONError) {
        self.line = line
        keys.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        members.removeAll(keepingCapacity: true)
        if !parsedLists.isEmpty { parsedLists.removeAll(keepingCapacity: true) }
        for m in known {
            var s = JSONScanner(line, position: m.lowerBound)
            let key = try s.scanString()
            try s.expect(UInt8(ascii: ":"))
            s.skipWhitespace()
            keys.append(key)
            values.append(s.position..<m.upperBound)
            members.append(m)
        }
    }

    /// A top-level member that is a date string, read straight from the bytes (nil when absent,
    /// null, not a string or not a date).
    public func date(_ key: String) -> ISODate? {
        guard let range = raw(key), range.count >= 12, line[range.lowerBound] == UInt8(ascii: "\"") else { return nil }
        var s = JSONScanner(line, position: range.lowerBound)
        guard let t = try? s.scanString(), !t.hasEscapes else { return nil }
        return ISODate.parse(UnsafeBufferPointer(rebasing: line[t.content]))
    }

    /// The byte range of a top-level member's value.
    public func raw(_ key: String) -> Range<Int>? {
        memberIndex(key).map { values[$0] }
    }

    /// Which member has `key`.
    public func memberIndex(_ key: String) -> Int? {
        var k = key
        return k.withUTF8 { name -> Int? in
            for (i, t) in keys.enumerated() where t.content.count == name.count && !t.hasEscapes {
                if memcmp(line.baseAddress! + t.content.lowerBound, name.baseAddress!, name.count) == 0 { return i }
            }
            return nil
        }
    }

    public func string(_ key: String) -> String? {
        if case .string(let s) = value([key]) { return s }
        return nil
    }

    public func value(_ path: [String]) -> ExpressionValue {
        if path.count == 1, Self.derived.contains(path[0]) { return derivedValue(path[0]) }
        guard let range = raw(path[0]) else { return .null }
        var s = JSONScanner(line, position: range.lowerBound)
        do { return try Self.read(&s, path.dropFirst()) } catch { return .null }
    }

    /// Follows `path` into the value at the scanner; reads the scalar found there.
    /// The scanner is left inside the value once the path is found (callers discard it).
    static func read(_ s: inout JSONScanner, _ path: ArraySlice<String>) throws(JSONError) -> ExpressionValue {
        guard let name = path.first else { return try scalar(&s) }
        guard s.peek() == UInt8(ascii: "{") else { return .null }
        var found: ExpressionValue = .null
        do {
            try s.forEachMember(depth: 1) { (key: JSONScanner.StringToken, s: inout JSONScanner) throws(JSONError) in
                if s.decodeString(key) == name {
                    found = try read(&s, path.dropFirst())
                    throw stop   // found: the rest of the object need not be read
                }
                try s.skimValue()
            }
        } catch {
            if error.offset != stop.offset { throw error }
        }
        return found
    }

    static func scalar(_ s: inout JSONScanner) throws(JSONError) -> ExpressionValue {
        guard let b = s.peek() else { return .null }
        switch b {
        case UInt8(ascii: "\""): return .string(s.decodeString(try s.scanString()))
        case UInt8(ascii: "t"): return .bool(true)
        case UInt8(ascii: "f"): return .bool(false)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let r = try s.skipValue()
            return Double(String(decoding: UnsafeBufferPointer(rebasing: s.bytes[r]), as: UTF8.self)).map { .number($0) } ?? .null
        default: return .null
        }
    }

    func derivedValue(_ name: String) -> ExpressionValue {
        func date(_ key: String) -> ISODate? {
            if case .string(let s) = value([key]) { return ISODate.parse(s) }
            return nil
        }
        switch name {
        case "as_of": return .date(asOf)
        case "age", "age_band":
            guard let birth = date("birth_date") else { return .null }
            let age = birth.age(on: asOf)
            if name == "age" { return .number(Double(age)) }
            return .string(age >= 90 ? "90+" : "\(age / 5 * 5)-\(age / 5 * 5 + 4)")
        case "deceased":
            guard let d = date("death_date") else { return .bool(false) }
            return .bool(d <= asOf)
        case "imd_decile", "imd_quintile", "core20":
            guard case .string(let lsoa) = value(["lsoa"]), let e = deprivation.entry(lsoa) else { return .null }
            switch name {
            case "imd_decile": return .number(Double(e.decile))
            case "imd_quintile": return .number(Double(e.quintile))
            default: return .bool(e.core20)
            }
        default:   // registered
            if let start = date("registration_start"), start > asOf { return .bool(false) }
            if let end = date("registration_end"), end < asOf { return .bool(false) }
            return .bool(true)
        }
    }

    /// Each element of a list with the date in its member `dateKey` (nil when absent or not a
    /// date), found in one pass without parsing the elements.
    public func datedElementRanges(_ collection: String, dateKey: StaticString) -> [(Range<Int>, ISODate?)] {
        var out: [(Range<Int>, ISODate?)] = []
        guard let range = raw(collection) else { return out }
        var s = JSONScanner(line, position: range.lowerBound)
        guard s.peek() == UInt8(ascii: "[") else { return out }
        try? s.forEachElement(depth: 1) { (s: inout JSONScanner) throws(JSONError) in
            s.skipWhitespace()
            let start = s.position
            var date: ISODate?
            if s.peek() == UInt8(ascii: "{") {
                try s.forEachMember(depth: 2) { (key: JSONScanner.StringToken, s: inout JSONScanner) throws(JSONError) in
                    if date == nil, s.token(key, is: dateKey), s.peek() == UInt8(ascii: "\"") {
                        let t = try s.scanString()
                        date = ISODate.parse(UnsafeBufferPointer(rebasing: line[t.content]))
                    } else {
                        try s.skimValue()
                    }
                }
            } else {
                try s.skimValue()
            }
            out.append((start..<s.position, date))
        }
        return out
    }

    /// The value at `path` inside the object at `range` (an element of a list): nil when the
    /// object has no member `path[0]` (so a caller can look elsewhere), `.null` for a null or an
    /// object or list.
    public func value(inElement range: Range<Int>, _ path: [String]) -> ExpressionValue? {
        var s = JSONScanner(line, position: range.lowerBound)
        guard s.peek() == UInt8(ascii: "{") else { return nil }
        var found: ExpressionValue?
        var name = path[0]
        let result: ExpressionValue?? = name.withUTF8 { want -> ExpressionValue?? in
            do {
                try s.forEachMember(depth: 1) { (key: JSONScanner.StringToken, s: inout JSONScanner) throws(JSONError) in
                    if !key.hasEscapes, key.content.count == want.count,
                       memcmp(line.baseAddress! + key.content.lowerBound, want.baseAddress!, want.count) == 0 {
                        found = try Self.read(&s, path.dropFirst())
                        throw Self.stop   // found: the rest of the element need not be read
                    }
                    try s.skimValue()
                }
            } catch {
                if (error as? JSONError)?.offset != Self.stop.offset { return .some(nil) }
            }
            return .some(found)
        }
        return result ?? nil
    }

    /// The raw bytes of a member of the object at `range`, for parsing one small list in it.
    public func member(inElement range: Range<Int>, _ key: String) -> Range<Int>? {
        var s = JSONScanner(line, position: range.lowerBound)
        var found: Range<Int>?
        try? s.forEachMember(depth: 1) { (k: JSONScanner.StringToken, s: inout JSONScanner) throws(JSONError) in
            let v = try s.skimValue()
            if found == nil && s.decodeString(k) == key { found = v }
        }
        return found
    }

    /// Looks for each string, quoted as JSON writes it, in the list's bytes.
    public func mightContain(_ collection: String, anyOf strings: Set<String>) -> Bool {
        guard let range = raw(collection) else { return false }
        let bytes = UnsafeBufferPointer(rebasing: line[range])
        for s in strings {
            var quoted = "\"" + s + "\""
            if quoted.withUTF8({ ByteSearch.contains(bytes, $0) }) { return true }
        }
        return false
    }

    public func elements(_ collection: String) -> [JSONValue] {
        if let cached = parsedLists[collection] { return cached }
        guard let range = raw(collection), let v = try? JSONValue(parsing: UnsafeBufferPointer(rebasing: line[range])),
              case .array(let items) = v else { return [] }
        parsedLists[collection] = items
        return items
    }
}
