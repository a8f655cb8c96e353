import CareCore

/// The codes of one entry (a GP2GP statement, a FHIR resource), in the source's order, the
/// first being the one the source recorded. Schema 1 gives an event one `system`/`code`: we use
/// the SNOMED CT code when the entry has one (the NHS standard, and what downstream code lists
/// use), and keep every other code in `other_codes`, marking the original when it is not the one
/// chosen. Medicinal products coded in SNOMED CT are dm+d concepts and are named `dmd`.
struct EntryCodes {
    var codes: [Code] = []
    /// Code-system identifiers we could not name (OIDs or URIs), for a warning.
    var unknownSystems: [String] = []

    mutating func add(systemIdentifier raw: String?, code: String?, medication: Bool = false) {
        guard let code = code?.trimmingSpaces, !code.isEmpty else { return }
        var system = "local"
        if let raw, !raw.isEmpty {
            if let s = CodeSystems.normalise(raw) { system = s } else if !unknownSystems.contains(raw) { unknownSystems.append(raw) }
        }
        if medication && system == "snomed" { system = "dmd" }
        let c = Code(system: system, code: code)
        if !codes.contains(where: { $0.system == c.system && $0.code == c.code }) { codes.append(c) }
    }

    var isEmpty: Bool { codes.isEmpty }

    /// The event's own code and the others (original marked when it is not the chosen one).
    func chosen() -> (primary: Code, others: [Code])? {
        guard !codes.isEmpty else { return nil }
        let i = codes.firstIndex { $0.system == "snomed" || $0.system == "dmd" } ?? 0
        var others = codes
        let primary = others.remove(at: i)
        if i != 0 { others[0].original = true }
        return (primary, others)
    }
}
