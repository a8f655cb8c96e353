import CareCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the risk models read from one person line, found in the single pass that validates it.
/// Strings stay where they are in the line (`Range<Int>` of their JSON content, between the
/// quotes): reasons copy them out as received, and nothing else is decoded.
public struct PersonFacts {
    public struct Coded {
        public var system: CodeSystemTag = .other
        public var systemText: Range<Int>?
        /// `CodeKey.terms`, or `CodeKey.none`.
        public var key: UInt64 = CodeKey.none
        public var code: Range<Int>?
        public var date: Range<Int>?
        /// Day number of the date (a partial date counts from its first day); nil when undated.
        public var day: Int?
        public var source: Range<Int>?
        public var value: Range<Int>?
        public var isMedication = false
        /// For medications: a 64-bit fingerprint of system and code, for counting distinct drugs.
        public var drug: UInt64 = 0
    }

    public struct Diagnosis {
        /// `CodeKey.icd10`.
        public var key: UInt64
        public var code: Range<Int>
        public var date: Range<Int>?
        public var day: Int?
        public var source: Range<Int>?
    }

    public struct Admission {
        public var start: Range<Int>?
        public var startDay: Int?
        public var end: Range<Int>?
        public var endDay: Int?
        public var emergency = false
        public var source: Range<Int>?
    }

    public private(set) var line = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    public private(set) var id: JSONScanner.StringToken?
    public private(set) var birthDate: ISODate?
    public private(set) var sex: Sex = .unknown
    public private(set) var events: [Coded] = []
    public private(set) var diagnoses: [Diagnosis] = []
    public private(set) var admissions: [Admission] = []
    /// Start days of A&E attendances.
    public private(set) var aeDays: [Int] = []
    /// Start days of outpatient attendances and of MDT reviews (the admission model's features).
    public private(set) var outpatientDays: [Int] = []
    public private(set) var mdtReviewDays: [Int] = []
    /// Each top-level member (`"key":value`) and which of them is an earlier `risk`.
    public private(set) var members: [Range<Int>] = []
    public private(set) var riskMember: Int?
    /// The value of `tables_read` (a record made by `ingest-gp --only`), or nil: every table.
    public private(set) var tablesReadValue: Range<Int>?

    public enum Sex: Sendable { case female, male, unknown }

    /// How much of a line to look at.
    public enum Reading: Sendable {
        /// Validate every byte (the line is written out again).
        case everything
        /// Only what the models read: the rest is skimmed for its extent, not validated (the line
        /// is not written out). `events`/`encounters`: whether any model reads them; events are
        /// read anyway when they hold an ICD-10 code.
        case onlyWhatModelsRead(events: Bool, encounters: Bool)
    }

    public init() {}

    /// Reads one person line, validating all of it (strict JSON) while picking out the fields.
    /// Throws a `JSONError` (offset and message, never a value) for a line that is not a valid
    /// person object.
    public mutating func read(_ line: UnsafeBufferPointer<UInt8>, reading: Reading = .everything) throws(JSONError) {
        var skim = false, wantEvents = true, wantEncounters = true
        if case .onlyWhatModelsRead(let e, let c) = reading { skim = true; wantEvents = e; wantEncounters = c }
        self.line = line
        id = nil; birthDate = nil; sex = .unknown; riskMember = nil; tablesReadValue = nil
        events.removeAll(keepingCapacity: true)
        diagnoses.removeAll(keepingCapacity: true)
        admissions.removeAll(keepingCapacity: true)
        aeDays.removeAll(keepingCapacity: true)
        outpatientDays.removeAll(keepingCapacity: true)
        mdtReviewDays.removeAll(keepingCapacity: true)
        members.removeAll(keepingCapacity: true)

        var s = JSONScanner(line)
        try s.forEachMemberOfLine { (key: JSONScanner.StringToken, start: Int, s: inout JSONScanner) throws(JSONError) in
            if s.token(key, is: "id") {
                id = try s.stringValue(field: "id")
            } else if s.token(key, is: "birth_date") {
                if let t = try s.stringValue(field: "birth_date") { birthDate = ISODate.parse(slice(t.content)) }
            } else if s.token(key, is: "sex") {
                if let t = try s.stringValue(field: "sex") {
                    let v = slice(t.content)
                    sex = JSONScanner.bytes(v, are: "female") ? .female : JSONScanner.bytes(v, are: "male") ? .male : .unknown
                }
            } else if s.token(key, is: "events") {
                if wantEvents {
                    try readEvents(&s)
                } else {
                    // Skimmed; read after all if an ICD-10 code is in there.
                    let range = try s.skimValue()
                    if contains(range, "\"icd10\"") {
                        var again = JSONScanner(line, position: range.lowerBound)
                        try readEvents(&again)
                    }
                }
            } else if s.token(key, is: "encounters") {
                if wantEncounters { try readEncounters(&s) } else { try s.skimValue() }
            } else {
                if s.token(key, is: "risk") { riskMember = members.count }
                let from = s.position
                if skim { try s.skimValue() } else { try s.skipValue(depth: 1) }
                if key.content.count == 11 && s.token(key, is: "tables_read") { tablesReadValue = from..<s.position }
            }
            members.append(start..<s.position)
        }
        if !skim { try PersonRecordCheck.check(line, members: members) }
    }

    func contains(_ r: Range<Int>, _ needle: StaticString) -> Bool {
        ByteSearch.contains(slice(r), needle)
    }

    @inline(__always) public func slice(_ r: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: line[r])
    }

    public func text(_ r: Range<Int>?) -> String? {
        guard let r else { return nil }
        return String(decoding: slice(r), as: UTF8.self)
    }

    public var idText: String? {
        guard let id else { return nil }
        let s = JSONScanner(line)
        return s.decodeString(id)
    }

    @inline(__always) func day(_ t: JSONScanner.StringToken) -> Int? {
        let b = slice(t.content)
        // Fast path for the usual YYYY-MM-DD.
        if b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") {
            @inline(__always) func d(_ i: Int) -> Int { Int(b[i] &- 0x30) }
            let digits = b[0] &- 0x30 < 10 && b[1] &- 0x30 < 10 && b[2] &- 0x30 < 10 && b[3] &- 0x30 < 10
                && b[5] &- 0x30 < 10 && b[6] &- 0x30 < 10 && b[8] &- 0x30 < 10 && b[9] &- 0x30 < 10
            if digits {
                let y = d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3), m = d(5) * 10 + d(6), dd = d(8) * 10 + d(9)
                if y >= 1800, (1...12).contains(m), dd >= 1, dd <= ISODate.daysIn(month: m, year: y) {
                    return ISODate(year: y, month: m, day: dd).dayNumber
                }
                return nil
            }
        }
        guard let d = ISODate.parse(b) else { return nil }
        return ISODate(year: d.year, month: max(d.month, 1), day: max(d.day, 1)).dayNumber
    }

    /// A code's bytes, unescaped when the JSON string had escapes.
    func codeBytes(_ t: JSONScanner.StringToken, _ body: (UnsafeBufferPointer<UInt8>) -> UInt64) -> UInt64 {
        if !t.hasEscapes { return body(slice(t.content)) }
        let s = JSONScanner(line)
        var decoded = s.decodeString(t)
        return decoded.withUTF8(body)
    }

    private mutating func readEvents(_ s: inout JSONScanner) throws(JSONError) {
        try s.forEachElement(depth: 1) { (s: inout JSONScanner) throws(JSONError) in
            var e = Coded()
            var code: JSONScanner.StringToken?
            var medicationKind = false
            // Where the event's other_codes are, read after its members (reading them inside the
            // member loop, into an array, had cost 15 % of the whole run in retains).
            var others: Range<Int>?
            try s.forEachMember(depth: 2) { (key: JSONScanner.StringToken, s: inout JSONScanner) throws(JSONError) in
                switch EventKey(s, key) {
                case .code:
                    code = try s.stringValue(field: "code")
                case .system:
                    if let t = try s.stringValue(field: "system") {
                        e.systemText = t.content
                        e.system = CodeSystemTag.from(slice(t.content))
                    }
                case .date:
                    if let t = try s.stringValue(field: "date") { e.date = t.content; e.day = day(t) }
                case .value:
                    e.value = try s.numberValue(field: "value")
                case .source:
                    e.source = try s.stringValue(field: "source")?.content
                case .kind:
                    if let t = try s.stringValue(field: "kind") { medicationKind = JSONScanner.bytes(slice(t.content), are: "medication") }
                case .other:
                    if key.content.count == 11 && s.token(key, is: "other_codes") {
                        others = try s.skipValue(depth: 3)
                    } else {
                        try s.skipValue(depth: 3)
                    }
                }
            }
            // Translations and originals (GP2GP, FHIR) match code lists too; they never count
            // as further drugs.
            if let others { try addOtherCodes(others, of: e) }
            guard let code else { return }
            e.code = code.content
            let systemBytes = e.systemText.map { slice($0) }
            let drugSystem = systemBytes.map { b in
                JSONScanner.bytes(b, are: "dmd") || JSONScanner.bytes(b, are: "rxnorm") || JSONScanner.bytes(b, are: "emis-drug") || JSONScanner.bytes(b, are: "multilex")
            } ?? false
            if e.system == .icd10 {
                let key = codeBytes(code) { CodeKey.icd10($0) }
                if key != CodeKey.none {
                    diagnoses.append(Diagnosis(key: key, code: code.content, date: e.date, day: e.day, source: e.source))
                }
                return
            }
            e.key = codeBytes(code) { [system = e.system] in CodeKey.terms(system, $0) }
            if medicationKind || drugSystem {
                e.isMedication = true
                var h: UInt64 = 0xcbf2_9ce4_8422_2325
                for b in systemBytes ?? UnsafeBufferPointer(start: nil, count: 0) { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
                h = (h ^ 0xFF) &* 0x100_0000_01b3
                for b in slice(code.content) { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
                e.drug = h
            }
            events.append(e)
        }
    }

    /// An event's `other_codes` (`[{"system":…,"code":…}, …]`, at `range` of the line) as more
    /// coded facts with the event's date and source: they match code lists too, and never count
    /// as further drugs.
    private mutating func addOtherCodes(_ range: Range<Int>, of event: Coded) throws(JSONError) {
        var s = JSONScanner(line, position: range.lowerBound)
        var found: [OtherCode] = []
        try s.forEachElement(depth: 3) { (s: inout JSONScanner) throws(JSONError) in
            var system: CodeSystemTag = .other
            var systemText: Range<Int>?
            var code: JSONScanner.StringToken?
            try s.forEachMember(depth: 4) { (key: JSONScanner.StringToken, s: inout JSONScanner) throws(JSONError) in
                if s.token(key, is: "system") {
                    if let t = try s.stringValue(field: "system") {
                        system = CodeSystemTag.from(UnsafeBufferPointer(rebasing: s.bytes[t.content]))
                        systemText = t.content
                    }
                } else if s.token(key, is: "code") {
                    code = try s.stringValue(field: "code")
                } else {
                    try s.skipValue(depth: 5)
                }
            }
            if let code { found.append(OtherCode(system: system, systemText: systemText, code: code)) }
        }
        var copy = event
        copy.isMedication = false
        copy.drug = 0
        for o in found where o.system != .icd10 {
            copy.system = o.system
            copy.systemText = o.systemText
            copy.code = o.code.content
            copy.key = codeBytes(o.code) { [system = o.system] in CodeKey.terms(system, $0) }
            events.append(copy)
        }
    }

    struct OtherCode {
        var system: CodeSystemTag
        var systemText: Range<Int>?
        var code: JSONScanner.StringToken
    }

    private mutating func readEncounters(_ s: inout JSONScanner) throws(JSONError) {
        try s.forEachElement(depth: 1) { (s: inout JSONScanner) throws(JSONError) in
            var a = Admission()
            var kindAdmission = false, kindAE = false, kindOutpatient = false, kindMDT = false
            let firstDiagnosis = diagnoses.count
            try s.forEachMember(depth: 2) { (key: JSONScanner.StringToken, s: inout JSONScanner) throws(JSONError) in
                if s.token(key, is: "kind") {
                    if let t = try s.stringValue(field: "kind") {
                        let v = slice(t.content)
                        kindAdmission = JSONScanner.bytes(v, are: "admission")
                        kindAE = JSONScanner.bytes(v, are: "ae")
                        kindOutpatient = JSONScanner.bytes(v, are: "outpatient")
                        kindMDT = JSONScanner.bytes(v, are: "mdt-review")
                    }
                } else if s.token(key, is: "start") {
                    if let t = try s.stringValue(field: "start") { a.start = t.content; a.startDay = day(t) }
                } else if s.token(key, is: "end") {
                    if let t = try s.stringValue(field: "end") { a.end = t.content; a.endDay = day(t) }
                } else if s.token(key, is: "method") {
                    if let t = try s.stringValue(field: "method") { a.emergency = JSONScanner.bytes(slice(t.content), are: "emergency") }
                } else if s.token(key, is: "source") {
                    a.source = try s.stringValue(field: "source")?.content
                } else if s.token(key, is: "diagnoses") {
                    try readDiagnoses(&s)
                } else {
                    try s.skipValue(depth: 3)
                }
            }
            if kindAdmission {
                for i in firstDiagnosis..<diagnoses.count {
                    diagnoses[i].date = a.start
                    diagnoses[i].day = a.startDay
                    diagnoses[i].source = a.source
                }
                admissions.append(a)
            } else {
                // Only admitted patient care counts as hospital diagnoses for the models.
                diagnoses.removeSubrange(firstDiagnosis...)
                if let d = a.startDay {
                    if kindAE { aeDays.append(d) } else if kindOutpatient { outpatientDays.append(d) } else if kindMDT { mdtReviewDays.append(d) }
                }
            }
        }
    }

    private mutating func readDiagnoses(_ s: inout JSONScanner) throws(JSONError) {
        try s.forEachElement(depth: 3) { (s: inout JSONScanner) throws(JSONError) in
            var system: CodeSystemTag = .other
            var code: JSONScanner.StringToken?
            try s.forEachMember(depth: 4) { (key: JSONScanner.StringToken, s: inout JSONScanner) throws(JSONError) in
                if s.token(key, is: "system") {
                    if let t = try s.stringValue(field: "system") { system = CodeSystemTag.from(slice(t.content)) }
                } else if s.token(key, is: "code") {
                    code = try s.stringValue(field: "code")
                } else {
                    try s.skipValue(depth: 5)
                }
            }
            guard system == .icd10, let code else { return }
            let key = codeBytes(code) { CodeKey.icd10($0) }
            if key != CodeKey.none { diagnoses.append(Diagnosis(key: key, code: code.content)) }
        }
    }

    /// The members of an event the models read, told apart by length and then by loading the
    /// key's bytes as integers (no byte-by-byte comparison on the hottest path).
    enum EventKey {
        case code, system, date, value, source, kind, other

        // The first four bytes of each key as a little-endian UInt32 (literals: a `static let`
        // would cost a swift_once check per key). EventKeyTests checks them against the text.
        static let code4: UInt32 = 0x6564_6F63, date4: UInt32 = 0x6574_6164, kind4: UInt32 = 0x646E_696B
        static let valu4: UInt32 = 0x756C_6176, syst4: UInt32 = 0x7473_7973, sour4: UInt32 = 0x7275_6F73
        static func word(_ s: StaticString) -> UInt32 {
            UnsafeRawPointer(s.utf8Start).loadUnaligned(as: UInt32.self).littleEndian
        }

        @inline(__always) init(_ s: JSONScanner, _ key: JSONScanner.StringToken) {
            let n = key.content.count
            guard n >= 4, n <= 6, !key.hasEscapes else { self = .other; return }
            let p = UnsafeRawPointer(s.bytes.baseAddress! + key.content.lowerBound)
            let w = UInt32(littleEndian: p.loadUnaligned(as: UInt32.self))
            switch n {
            case 4: self = w == Self.code4 ? .code : w == Self.date4 ? .date : w == Self.kind4 ? .kind : .other
            case 5: self = w == Self.valu4 && p.load(fromByteOffset: 4, as: UInt8.self) == UInt8(ascii: "e") ? .value : .other
            default:
                let tail = UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 4, as: UInt16.self))
                if w == Self.syst4 && tail == 0x6D65 { self = .system }          // "em"
                else if w == Self.sour4 && tail == 0x6563 { self = .source }     // "ce"
                else { self = .other }
            }
        }
    }

    /// Age in whole years on `date`, if the birth date is known.
    public func age(on date: ISODate) -> Int? { birthDate?.age(on: date) }
}
