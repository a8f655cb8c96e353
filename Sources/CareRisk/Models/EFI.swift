import CareCore

/// The electronic Frailty Index (Clegg A et al. Age Ageing 2016;45(3):353-60).
///
/// 36 deficits; a deficit is present when any of its codes was ever recorded up to `--as-of`
/// (or a value rule fires on a coded value), except polypharmacy: five or more distinct drugs in
/// the 12 months up to `--as-of`. Score = deficits / 36. Categories by count: 0-4 fit, 5-8 mild,
/// 9-12 moderate, 13-36 severe. Made for people aged 65 and over.
public struct EFIModel: Sendable {
    public static let version = "Clegg 2016"
    public struct Deficit: Sendable { public var slug: String; public var label: String }

    struct ValueRule: Sendable {
        enum Test: Sendable { case lt, le, gt, ge, any, haemoglobinBelow }
        var deficit: Int
        var test: Test
        var threshold: Double
        var sex: PersonFacts.Sex?
    }

    public let deficits: [Deficit]
    /// The name of the code list in use: `starter` (bundled) or `local:DIR`.
    public let codeList: String
    /// How many codes the list in use holds.
    public let codeCount: Int
    /// What a `--codelists` folder held that was not read (EMIS local codes, other sets).
    public private(set) var skipped: [String] = []
    /// The `code_list` of every score while the bundled starter list is in use: it says so, and
    /// how to switch.
    public static let starterName = "starter: 210 example codes, about one in ten of the published lists; risk-score --codelists DIR for the full lists (docs/models.md)"
    /// The note a run with the starter list prints.
    public static let starterNote = "eFI is scored with the bundled starter list (210 example codes, about one in ten of the published lists), so it under-counts frailty; "
        + "give the full lists with risk-score --codelists DIR (a clone of github.com/UoM-Data-Science-Platforms/gm-sde: --codelists gm-sde/shared/clinical-code-sets; or OpenCodelists CSV files, docs/models.md)"
    let codes: [UInt64: UInt8]
    let valueRules: [UInt64: [ValueRule]]
    let polypharmacy: Int
    public static let polypharmacyDrugs = 5
    let info: ModelInfo
    let population = AgePopulation(minimumAge: 65, name: "eFI")

    /// The bundled starter list, or the lists in `codelistFolder` (see `CodeListFolder`).
    public init(codelistFolder: String? = nil, warn: (String) -> Void = { _ in }) throws {
        let t = ModelTables.efiDeficits()
        let slugs = try t.values("slug"), labels = try t.values("deficit")
        deficits = zip(slugs, labels).map { Deficit(slug: $0, label: $1) }
        guard deficits.count == 36, let poly = slugs.firstIndex(of: "polypharmacy") else {
            throw CSVTableError(table: t.name, line: 1, message: "expected 36 deficits including polypharmacy")
        }
        polypharmacy = poly
        var codes: [UInt64: UInt8] = [:]
        if let codelistFolder {
            let lists = try CodeListFolder(path: codelistFolder, deficits: slugs.filter { $0 != "polypharmacy" })
            for (slug, entries) in lists.codes {
                let d = UInt8(slugs.firstIndex(of: slug)!)
                for key in entries { codes[key] = d }
            }
            if !lists.missing.isEmpty {
                warn("--codelists: no list for \(lists.missing.count) eFI deficit(s), which can then only come from value rules: \(lists.missing.joined(separator: ", "))")
            }
            codeList = (lists.layout == "gm-sde" ? "gm-sde:" : "local:") + (codelistFolder.split(separator: "/").last.map(String.init) ?? codelistFolder)
            codeCount = lists.codes.values.reduce(0) { $0 + $1.count }
            skipped = lists.skipped
        } else {
            let c = ModelTables.efiCodes()
            let defs = try c.values("deficit"), systems = try c.values("system"), values = try c.values("code")
            for i in defs.indices {
                guard let d = slugs.firstIndex(of: defs[i]) else {
                    throw CSVTableError(table: c.name, line: c.rows[i].line, message: "unknown deficit '\(defs[i])'")
                }
                let key = CodeKey.terms(CodeSystemTag(systems[i]), values[i])
                guard key != CodeKey.none else {
                    throw CSVTableError(table: c.name, line: c.rows[i].line, message: "'\(values[i])' is not a \(systems[i]) code")
                }
                codes[key] = UInt8(d)
            }
            codeList = Self.starterName
            codeCount = defs.count
        }
        self.codes = codes
        info = ModelInfo(key: "efi", version: Self.version, codeList: codeList)

        let v = ModelTables.efiValueRules()
        let vd = try v.values("deficit"), vs = try v.values("system"), vc = try v.values("code")
        let vt = try v.values("test"), vth = try v.values("threshold"), vsex = try v.values("sex")
        var rules: [UInt64: [ValueRule]] = [:]
        for i in vd.indices {
            guard let d = slugs.firstIndex(of: vd[i]) else {
                throw CSVTableError(table: v.name, line: v.rows[i].line, message: "unknown deficit '\(vd[i])'")
            }
            let test: ValueRule.Test
            switch vt[i] {
            case "lt": test = .lt
            case "le": test = .le
            case "gt": test = .gt
            case "ge": test = .ge
            case "any": test = .any
            case "haemoglobin-lt": test = .haemoglobinBelow
            default: throw CSVTableError(table: v.name, line: v.rows[i].line, message: "unknown test '\(vt[i])'")
            }
            let sex: PersonFacts.Sex? = vsex[i] == "female" ? .female : vsex[i] == "male" ? .male : nil
            rules[CodeKey.terms(CodeSystemTag(vs[i]), vc[i]), default: []]
                .append(ValueRule(deficit: d, test: test, threshold: Double(vth[i]) ?? 0, sex: sex))
        }
        valueRules = rules
    }

    public static func category(deficits n: Int) -> StaticString {
        switch n {
        case ...4: "fit"
        case ...8: "mild"
        case ...12: "moderate"
        default: "severe"
        }
    }

    func fires(_ rule: ValueRule, value: Double?, sex: PersonFacts.Sex) -> Bool {
        if rule.test == .any { return true }
        guard let value else { return false }
        switch rule.test {
        case .lt: return value < rule.threshold
        case .le: return value <= rule.threshold
        case .gt: return value > rule.threshold
        case .ge: return value >= rule.threshold
        case .any: return true
        case .haemoglobinBelow:
            guard let s = rule.sex, s == sex else { return false }
            let gPerDL = value > 25 ? value / 10 : value
            return gPerDL < rule.threshold
        }
    }

    public func score(_ p: PersonFacts, asOf: ISODate, scratch evidence: inout [Int]) -> ModelResult {
        let asOfDay = asOf.dayNumber
        let year = Window(asOf: asOf, months: 12)
        evidence.removeAll(keepingCapacity: true)
        evidence.append(contentsOf: repeatElement(-1, count: deficits.count))
        var notes: [Int: String] = [:]
        var drugs: [UInt64] = []
        for (i, e) in p.events.enumerated() {
            if let day = e.day, day > asOfDay { continue }
            if e.isMedication {
                if year.contains(e.day) && !drugs.contains(e.drug) { drugs.append(e.drug) }
                continue
            }
            guard e.key != CodeKey.none else { continue }
            if let d = codes[e.key] {
                let d = Int(d)
                if evidence[d] < 0 || earlier(p.events[i], than: p.events[evidence[d]]) { evidence[d] = i; notes[d] = nil }
            }
            if let rules = valueRules[e.key] {
                let value = e.value.flatMap { Double(String(decoding: p.slice($0), as: UTF8.self)) }
                for rule in rules where fires(rule, value: value, sex: p.sex) {
                    if evidence[rule.deficit] < 0 || earlier(p.events[i], than: p.events[evidence[rule.deficit]]) {
                        evidence[rule.deficit] = i
                        notes[rule.deficit] = value.map { "value \(Self.format($0))" } ?? "recorded"
                    }
                }
            }
        }
        var reasons: [Reason] = []
        var count = 0
        for d in deficits.indices where evidence[d] >= 0 {
            if count == 0 { reasons.reserveCapacity(8) }
            count += 1
            let e = p.events[evidence[d]]
            reasons.append(Reason(rule: "deficit", id: deficits[d].slug, label: deficits[d].label,
                                  evidence: Evidence(code: e.code!, system: e.system.name == "other" ? (p.text(e.systemText) ?? "other") : e.system.name,
                                                     date: e.date, source: e.source),
                                  note: notes[d]))
        }
        if drugs.count >= Self.polypharmacyDrugs {
            count += 1
            reasons.append(Reason(rule: "deficit", id: "polypharmacy", label: deficits[polypharmacy].label,
                                  note: "\(drugs.count) distinct drugs from \(year.from) to \(year.to)"))
        }
        var r = ModelResult(info, score: .fraction(count, 36))
        r.counts.append("deficits", count)
        r.category = ("category", Self.category(deficits: count))
        (r.inPopulation, r.populationNote) = population.check(p, asOf: asOf)
        r.reasons = reasons
        return r
    }

    private func earlier(_ a: PersonFacts.Coded, than b: PersonFacts.Coded) -> Bool {
        switch (a.day, b.day) {
        case let (x?, y?): x < y
        case (_?, nil): true
        default: false
        }
    }

    static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }
}
