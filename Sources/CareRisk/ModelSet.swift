import CareCore

/// The models a run computes, chosen with `--models` (default: all five, each with its default
/// variant). `charlson:charlson1987` names a variant explicitly.
public struct ModelSet: Sendable {
    public enum Name: String, CaseIterable, Sendable { case efi, hfrs, charlson, elixhauser, lace }

    public struct Choice: Equatable, Sendable {
        public var name: Name
        public var variant: String?
        public init(name: Name, variant: String? = nil) { self.name = name; self.variant = variant }
    }

    public let efi: EFIModel?
    public let hfrs: HFRSModel?
    public let charlson: ComorbidityIndex?
    public let elixhauser: ComorbidityIndex?
    public let lace: LACEModel?

    /// Parses `efi,hfrs,charlson:charlson1987`.
    public static func parse(_ text: String) throws -> [Choice] {
        var out: [Choice] = []
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: " ") }) where !item.isEmpty {
            let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
            guard let name = Name(rawValue: parts[0]) else {
                throw CareError(.usage, "--models: unknown model '\(parts[0])' (models: \(Name.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard !out.contains(where: { $0.name == name }) else {
                throw CareError(.usage, "--models: '\(name.rawValue)' given twice (one variant per model)")
            }
            out.append(Choice(name: name, variant: parts.count > 1 ? parts[1] : nil))
        }
        guard !out.isEmpty else { throw CareError(.usage, "--models: name at least one model") }
        return out
    }

    public init(_ choices: [Choice] = Name.allCases.map { Choice(name: $0) }, codelists: String? = nil,
                lookbackYears: Int = 5, warn: (String) -> Void = { _ in }) throws {
        func variant(_ n: Name) -> String?? { choices.first { $0.name == n }.map { $0.variant } }
        func checked<T>(_ body: () throws -> T) throws -> T {
            do { return try body() } catch let e as CSVTableError { throw CareError(.usage, "--models: \(e.message)") }
        }
        if let v = variant(.efi) {
            if let v { throw CareError(.usage, "--models: efi has no variant '\(v)'") }
            efi = try EFIModel(codelistFolder: codelists, warn: warn)
        } else { efi = nil }
        if let v = variant(.hfrs) {
            if let v { throw CareError(.usage, "--models: hfrs has no variant '\(v)'") }
            hfrs = try HFRSModel()
        } else { hfrs = nil }
        let charlsonVariant = variant(.charlson)
        if let v = charlsonVariant {
            charlson = try checked { try ComorbidityIndex.charlson(variant: v ?? "quan2011", lookbackYears: lookbackYears) }
        } else { charlson = nil }
        if let v = variant(.elixhauser) {
            elixhauser = try checked { try ComorbidityIndex.elixhauser(variant: v ?? "van-walraven", lookbackYears: lookbackYears) }
        } else { elixhauser = nil }
        if let v = variant(.lace) {
            if let v { throw CareError(.usage, "--models: lace has no variant '\(v)'") }
            // LACE weighs Quan's Charlson conditions its own way; the variant does not matter.
            lace = try LACEModel(charlson: charlson ?? ComorbidityIndex.charlson(lookbackYears: lookbackYears))
        } else { lace = nil }
    }

    /// The `risk` keys of the chosen models, in output order.
    public var keys: [String] {
        [efi.map { _ in "efi" }, hfrs.map { _ in "hfrs" }, charlson.map { _ in "charlson" },
         elixhauser.map { _ in "elixhauser" }, lace.map { _ in "lace" }].compactMap { $0 }
    }

    /// Whether any chosen model reads coded events (eFI) or encounters (the hospital models).
    public var readsEvents: Bool { efi != nil }
    public var readsEncounters: Bool { hfrs != nil || charlson != nil || elixhauser != nil || lace != nil }

    /// Working storage a thread reuses from person to person.
    public struct Scratch {
        var evidence: [Int] = []
        public var results: [ModelResult] = []
        public init() {}
    }

    /// Every chosen model's result for one person, in a fixed order, in `scratch.results`.
    public func score(_ p: PersonFacts, asOf: ISODate, scratch: inout Scratch) {
        scratch.results.removeAll(keepingCapacity: true)
        if let efi { scratch.results.append(efi.score(p, asOf: asOf, scratch: &scratch.evidence)) }
        if let hfrs { scratch.results.append(hfrs.score(p, asOf: asOf)) }
        if let charlson { scratch.results.append(charlson.score(p, asOf: asOf, scratch: &scratch.evidence)) }
        if let elixhauser { scratch.results.append(elixhauser.score(p, asOf: asOf, scratch: &scratch.evidence)) }
        if let lace { scratch.results.append(lace.score(p, asOf: asOf, scratch: &scratch.evidence)) }
    }

    /// The results for one person (convenient for tests and one-off use).
    public func score(_ p: PersonFacts, asOf: ISODate) -> [ModelResult] {
        var scratch = Scratch()
        score(p, asOf: asOf, scratch: &scratch)
        return scratch.results
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> String {
        var s = self
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}

extension ModelSet {
    /// Each chosen model's name and the extract tables it reads (the tables preset's names), for
    /// records made from only some of them (`ingest-gp --only`, `TablesRead`): eFI the GP's coded
    /// entries and prescriptions; HFRS, Charlson and Elixhauser hospital diagnoses; LACE also A&E
    /// visits.
    public var tablesNeeded: [(String, [String])] {
        var out: [(String, [String])] = []
        if efi != nil { out.append(("eFI", ["clinical_events", "medications"])) }
        if hfrs != nil { out.append(("HFRS", ["apcs"])) }
        if charlson != nil { out.append(("Charlson", ["apcs"])) }
        if elixhauser != nil { out.append(("Elixhauser", ["apcs"])) }
        if lace != nil { out.append(("LACE", ["apcs", "ec"])) }
        return out
    }
}
