import CareCore

/// `--format csv`: one row per person, the scores and categories only (for a spreadsheet or a
/// warehouse table). Columns depend on the models chosen; `header` names them.
public enum RiskCSV {
    static func columns(_ key: String) -> [String] {
        switch key {
        case "efi": ["score", "deficits", "category", "in_population"]
        case "hfrs": ["score", "band", "in_population"]
        case "lace": ["score", "band", "in_population"]
        default: ["score", "conditions"]
        }
    }

    public static func header(_ models: ModelSet) -> String {
        var names = ["id"]
        for key in models.keys { names += columns(key).map { "\(key)_\($0)" } }
        return names.joined(separator: ",") + "\n"
    }

    public static func writeRow(_ p: PersonFacts, results: [ModelResult], to w: inout JSONWriter) {
        field(p.idText ?? "", &w)
        for r in results {
            for column in columns(r.key) {
                w.raw(UInt8(ascii: ","))
                switch column {
                case "score": RiskJSON.writeScore(r.score, to: &w, nullAsEmpty: true)
                case "in_population": if let v = r.inPopulation { w.raw(v ? "true" : "false") }
                case "category", "band": if let c = r.category { w.raw(UnsafeBufferPointer(start: c.value.utf8Start, count: c.value.utf8CodeUnitCount)) }
                default:
                    var value: Int?
                    r.counts.forEach { name, v in if "\(name)" == column { value = v } }
                    if let value { w.int(value) }
                }
            }
        }
        w.raw(UInt8(ascii: "\n"))
    }

    static func field(_ s: String, _ w: inout JSONWriter) {
        CSVText.append(s, to: &w.bytes)
    }
}
