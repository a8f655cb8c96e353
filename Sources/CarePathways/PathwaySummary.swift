import CareCore

/// `--summary`: per pathway, group and item (the instances, each step, each outcome), how many
/// of each status; compliance = met ÷ (met + late + missed). Feeds outcome-report.
public struct PathwaySummary: Sendable {
    struct Key: Hashable, Comparable, Sendable {
        var pathway: Int
        var group: String
        var item: Int   // 0: instances; 1…: steps then outcomes
        static func < (a: Key, b: Key) -> Bool { (a.pathway, a.group, a.item) < (b.pathway, b.group, b.item) }
    }
    var counts: [Key: [String: Int]] = [:]

    public init() {}

    mutating func add(_ pathway: Int, _ p: PathwayDefinition, group: String, _ instances: [PathwayInstance]) {
        for inst in instances {
            counts[Key(pathway: pathway, group: group, item: 0), default: [:]][inst.status, default: 0] += 1
            if !inst.duplicates.isEmpty { counts[Key(pathway: pathway, group: group, item: 0), default: [:]]["with_duplicates", default: 0] += 1 }
            counts[Key(pathway: pathway, group: group, item: 0), default: [:]]["contacts", default: 0] += inst.contacts.encounters + inst.contacts.events
            for (i, s) in inst.steps.enumerated() { counts[Key(pathway: pathway, group: group, item: 1 + i), default: [:]][s.status, default: 0] += 1 }
            for (i, o) in inst.outcomes.enumerated() {
                counts[Key(pathway: pathway, group: group, item: 1 + p.steps.count + i), default: [:]][o.status, default: 0] += 1
            }
        }
    }

    public mutating func merge(_ other: PathwaySummary) {
        for (k, v) in other.counts {
            for (s, n) in v { counts[k, default: [:]][s, default: 0] += n }
        }
    }

    static let statuses = ["met", "late", "missed", "pending", "not-applicable"]
    static let instanceStatuses = ["complete", "incomplete", "in-progress", "not-applicable"]

    /// One JSON line (or CSV row) per pathway, group and item, in a fixed order.
    public func render(_ pathways: [PathwayDefinition], csv: Bool) -> [UInt8] {
        var out = csv ? "pathway,group,item,title,instances,met,late,missed,pending,not_applicable,compliance,complete,incomplete,in_progress,with_duplicates,contacts\n" : ""
        for key in counts.keys.sorted() {
            let p = pathways[key.pathway]
            let c = counts[key]!
            let item: String, title: String
            if key.item == 0 { item = "instances"; title = p.title }
            else if key.item <= p.steps.count { item = "step:" + p.steps[key.item - 1].id; title = p.steps[key.item - 1].title }
            else { let o = p.outcomes[key.item - 1 - p.steps.count]; item = "outcome:" + o.id; title = o.title }
            let n = c.filter { Self.statuses.contains($0.key) || Self.instanceStatuses.contains($0.key) }.values.reduce(0, +)
            let met = c["met"] ?? 0, late = c["late"] ?? 0, missed = c["missed"] ?? 0
            let decided = met + late + missed
            let compliance = key.item == 0 || decided == 0 ? nil : Double(met) / Double(decided)
            if csv {
                let cells: [String] = [p.id, key.group, item, title, String(n)]
                    + Self.statuses.map { key.item == 0 ? "" : String(c[$0] ?? 0) }
                    + [compliance.map { String(format3($0)) } ?? ""]
                    + Self.instanceStatuses.dropLast().map { key.item == 0 ? String(c[$0] ?? 0) : "" }
                    + [key.item == 0 ? String(c["with_duplicates"] ?? 0) : "", key.item == 0 ? String(c["contacts"] ?? 0) : ""]
                out += CSVText.row(cells)
            } else {
                var w = JSONWriter()
                var f = true
                w.raw(UInt8(ascii: "{"))
                w.member("pathway", first: &f); w.string(p.id)
                w.member("group", first: &f); w.string(key.group)
                w.member("item", first: &f); w.string(item)
                w.member("title", first: &f); w.string(title)
                w.member("instances", first: &f); w.int(n)
                if key.item == 0 {
                    for s in Self.instanceStatuses { w.raw(UInt8(ascii: ",")); w.string(s.replacing("-", with: "_")); w.raw(UInt8(ascii: ":")); w.int(c[s] ?? 0) }
                    w.member("with_duplicates", first: &f); w.int(c["with_duplicates"] ?? 0)
                    w.member("contacts", first: &f); w.int(c["contacts"] ?? 0)
                } else {
                    for s in Self.statuses { w.raw(UInt8(ascii: ",")); w.string(s.replacing("-", with: "_")); w.raw(UInt8(ascii: ":")); w.int(c[s] ?? 0) }
                    w.member("compliance", first: &f)
                    if let compliance { w.raw(Array(format3(compliance).utf8)) } else { w.null() }
                }
                w.raw("}\n")
                out += String(decoding: w.bytes, as: UTF8.self)
            }
        }
        return Array(out.utf8)
    }

    func format3(_ v: Double) -> String {
        let thousandths = Int((v * 1000).rounded())
        return thousandths % 1000 == 0 ? String(thousandths / 1000) : String(Double(thousandths) / 1000)
    }
}
