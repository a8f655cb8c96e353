import CareCore

/// The human answer to "why is this person on the list?": each model's score with the rules
/// that fired and the codes behind them, one block per person.
public enum RiskText {
    public static func write(_ p: PersonFacts, results: [ModelResult], asOf: ISODate, to out: inout String) {
        var head = p.idText ?? "(no id)"
        if let age = p.age(on: asOf) { head += "  age \(age)" }
        switch p.sex {
        case .female: head += "  female"
        case .male: head += "  male"
        case .unknown: break
        }
        out += "\(head)  (as of \(asOf))\n"
        for r in results {
            var line = "  \(r.model.uppercased())"
            if let v = r.variant { line += " (\(v))" }
            line += ": " + scoreText(r)
            r.counts.forEach { name, value in line += ", \("\(name)".replacing("_", with: " ")) \(value)" }
            line += "  [\(r.version)"
            if let c = r.codeList { line += "; code list \(c)" }
            if let win = r.window { line += r.key == "lace" ? "; A&E from \(win.from) to \(win.to)" : "; \(win.from) to \(win.to)" }
            line += "]"
            out += line + "\n"
            if r.inPopulation == false || r.inPopulation == nil, let note = r.populationNote {
                out += "    note: \(r.inPopulation == false ? "outside its population: " : "")\(note)\n"
            }
            if let a = r.indexAdmission {
                out += "    index admission: \(p.text(a.start) ?? "?") to \(p.text(a.end) ?? "?")"
                out += (a.source.flatMap { p.text($0) }.map { "  (\($0))" } ?? "") + "\n"
            }
            let tenths: Bool
            if case .tenths = r.score { tenths = true } else { tenths = false }
            for reason in r.reasons {
                var l = "    + \(reason.id)  \(reason.label)"
                if let pts = reason.points { l += "  \(tenths ? RiskJSON.decimal(pts, places: 1) : String(pts)) pts" }
                if let e = reason.evidence {
                    l += "  \(e.system) \(p.text(e.code) ?? "")"
                    if let d = p.text(e.date) { l += " on \(d)" }
                    if let s = p.text(e.source) { l += " (\(s))" }
                }
                if let n = reason.note { l += "  — \(n)" }
                out += l + "\n"
            }
        }
    }

    static func scoreText(_ r: ModelResult) -> String {
        var s: String
        switch r.score {
        case .integer(let v): s = String(v)
        case .tenths(let v): s = RiskJSON.decimal(v, places: 1)
        case .fraction(let n, let d): s = RiskJSON.decimal((n * 2000 + d) / (2 * d), places: 3)
        case .none: s = "not scored"
        }
        if let c = r.categoryValue { s += " \(c)" }
        return s
    }
}
