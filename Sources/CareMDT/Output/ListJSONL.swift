import CareCore

/// JSON Lines: one line per listed person, then one per person who left (`"status":"left"`).
/// The form `--previous` reads back.
enum ListJSONL {
    static func render(_ groups: ArraySlice<MDTGroup>, lists: MDTLists) -> [UInt8] {
        var w = JSONWriter()
        for g in groups {
            for e in g.entries {
                var first = true
                w.raw(UInt8(ascii: "{"))
                w.member("group", first: &first); w.string(g.name)
                w.optionalString("team", e.team, first: &first)
                w.member("rank", first: &first); w.int(e.position)
                w.member("status", first: &first); w.string(e.status)
                w.member("id", first: &first); w.string(e.id)
                w.optionalString("nhs_number", e.nhsNumber, first: &first)
                w.optionalString("practice", e.practice, first: &first)
                if let a = e.age { w.member("age", first: &first); w.int(a) }
                w.optionalString("age_band", e.ageBand, first: &first)
                w.optionalString("sex", e.sex, first: &first)
                if let c = e.core20 { w.member("core20", first: &first); w.bool(c) }
                w.optionalString("ethnic_group", e.ethnicGroup, first: &first)
                w.member("rank_by", first: &first)
                w.raw(UInt8(ascii: "{"))
                for (i, key) in lists.settings.rankBy.enumerated() {
                    if i > 0 { w.raw(UInt8(ascii: ",")) }
                    w.string(key.text); w.raw(UInt8(ascii: ":"))
                    value(e.rank.values[i], &w)
                }
                w.raw(UInt8(ascii: "}"))
                w.member("scores", first: &first)
                w.raw(UInt8(ascii: "{"))
                for (i, s) in e.scores.enumerated() {
                    if i > 0 { w.raw(UInt8(ascii: ",")) }
                    w.string(s.model.lowercased()); w.raw(#":{"score":"#)
                    if Double(s.score) != nil { w.raw(Array(s.score.utf8)) } else { w.null() }
                    if let u = s.unit { w.raw(#","unit":"#); w.string(u) }
                    if let c = s.category { w.raw(#","category":"#); w.string(c) }
                    w.raw(UInt8(ascii: "}"))
                }
                w.raw(UInt8(ascii: "}"))
                w.member("reasons", first: &first); strings(e.reasons, &w)
                w.member("recent", first: &first); strings(e.recent, &w)
                w.member("next_steps", first: &first)
                w.raw(UInt8(ascii: "["))
                for (i, n) in e.next.enumerated() {
                    if i > 0 { w.raw(UInt8(ascii: ",")) }
                    var f = true
                    w.raw(UInt8(ascii: "{"))
                    w.member("pathway", first: &f); w.string(n.pathway)
                    w.member("step", first: &f); w.string(n.step)
                    w.optionalString("due", n.due?.description, first: &f)
                    w.member("state", first: &f); w.string(n.state.rawValue)
                    w.raw(UInt8(ascii: "}"))
                }
                w.raw(UInt8(ascii: "]"))
                w.raw("}\n")
            }
            for l in g.left {
                var first = true
                w.raw(UInt8(ascii: "{"))
                w.member("group", first: &first); w.string(g.name)
                w.member("status", first: &first); w.string("left")
                w.member("id", first: &first); w.string(l.id)
                w.optionalString("nhs_number", l.nhsNumber, first: &first)
                w.member("reason", first: &first); w.string(l.reason)
                w.raw("}\n")
            }
        }
        return w.bytes
    }

    static func index(_ lists: MDTLists, ext: String) -> [UInt8] {
        var w = JSONWriter()
        for g in lists.groups {
            var first = true
            w.raw(UInt8(ascii: "{"))
            w.member("group", first: &first); w.string(g.name)
            w.optionalString("team", g.team, first: &first)
            w.member("file", first: &first); w.string(MDTLists.fileName(g.name) + "." + ext)
            w.member("people", first: &first); w.int(g.entries.count)
            w.member("new", first: &first); w.int(g.entries.filter { $0.status == "new" }.count)
            w.member("left", first: &first); w.int(g.left.count)
            w.raw("}\n")
        }
        return w.bytes
    }

    static func value(_ v: ExpressionValue, _ w: inout JSONWriter) {
        switch v {
        case .null: w.null()
        case .bool(let b): w.bool(b)
        case .number(let n): w.double(n)
        default: w.string(v.description)
        }
    }

    static func strings(_ items: [String], _ w: inout JSONWriter) {
        w.raw(UInt8(ascii: "["))
        for (i, s) in items.enumerated() {
            if i > 0 { w.raw(UInt8(ascii: ",")) }
            w.string(s)
        }
        w.raw(UInt8(ascii: "]"))
    }
}
