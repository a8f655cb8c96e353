import CareCore

/// Writes the `pathways` member (docs/pathways.md has the shape).
enum PathwayJSON {
    static func write(_ results: [(PathwayDefinition, [PathwayInstance])], asOf: ISODate, to w: inout JSONWriter) {
        w.raw(#""pathways":{"as_of":"#)
        w.string(asOf.description)
        for (p, instances) in results {
            w.raw(UInt8(ascii: ","))
            w.string(p.id)
            w.raw(#":["#)
            for (i, inst) in instances.enumerated() {
                if i > 0 { w.raw(UInt8(ascii: ",")) }
                instance(inst, p, &w)
            }
            w.raw(UInt8(ascii: "]"))
        }
        w.raw(UInt8(ascii: "}"))
    }

    static func date(_ name: StaticString, _ d: ISODate?, _ first: inout Bool, _ w: inout JSONWriter) {
        guard let d else { return }
        w.member(name, first: &first)
        w.string(d.description)
    }

    /// One instance, with the pathway's, steps' and outcomes' titles, so a reader (outcome-report)
    /// can name them without the definitions.
    static func instance(_ inst: PathwayInstance, _ p: PathwayDefinition, _ w: inout JSONWriter) {
        var first = true
        w.raw(UInt8(ascii: "{"))
        w.member("title", first: &first); w.string(p.title)
        w.member("trigger", first: &first)
        var t = true
        w.raw(UInt8(ascii: "{"))
        date("start", inst.triggerStart, &t, &w)
        date("end", inst.triggerEnd, &t, &w)
        w.optionalString("source", inst.triggerSource, first: &t)
        w.raw(UInt8(ascii: "}"))
        w.member("status", first: &first); w.string(inst.status)
        w.member("steps", first: &first)
        w.raw(UInt8(ascii: "["))
        for (i, s) in inst.steps.enumerated() {
            if i > 0 { w.raw(UInt8(ascii: ",")) }
            var f = true
            w.raw(UInt8(ascii: "{"))
            w.member("id", first: &f); w.string(s.id)
            w.member("title", first: &f); w.string(p.steps[i].title)
            w.member("status", first: &f); w.string(s.status)
            if s.marker { w.member("marker", first: &f); w.bool(true) }
            date("date", s.date, &f, &w)
            w.optionalString("from", s.list, first: &f)
            if let d = s.days { w.member(s.status == "late" ? "days_late" : "days", first: &f); w.int(d) }
            if s.windowFrom != nil || s.windowTo != nil {
                w.member("window", first: &f)
                var g = true
                w.raw(UInt8(ascii: "{"))
                date("from", s.windowFrom, &g, &w)
                date("to", s.windowTo, &g, &w)
                w.raw(UInt8(ascii: "}"))
            }
            w.raw(UInt8(ascii: "}"))
        }
        w.raw(UInt8(ascii: "]"))
        w.member("outcomes", first: &first)
        w.raw(UInt8(ascii: "["))
        for (i, o) in inst.outcomes.enumerated() {
            if i > 0 { w.raw(UInt8(ascii: ",")) }
            var f = true
            w.raw(UInt8(ascii: "{"))
            w.member("id", first: &f); w.string(o.id)
            w.member("title", first: &f); w.string(p.outcomes[i].title)
            w.member("status", first: &f); w.string(o.status)
            date("at", o.at, &f, &w)
            w.raw(UInt8(ascii: "}"))
        }
        w.raw(UInt8(ascii: "]"))
        if let e = inst.episode {
            w.member("episode", first: &first)
            w.raw(#"{"from":"#); w.string(e.from.description); w.raw(#","to":"#); w.string(e.to.description); w.raw(UInt8(ascii: "}"))
        }
        w.member("contacts", first: &first)
        w.raw(#"{"encounters":"#); w.int(inst.contacts.encounters); w.raw(#","events":"#); w.int(inst.contacts.events); w.raw(UInt8(ascii: "}"))
        w.member("duplicates", first: &first)
        w.raw(UInt8(ascii: "["))
        for (i, d) in inst.duplicates.enumerated() {
            if i > 0 { w.raw(UInt8(ascii: ",")) }
            w.raw(#"{"kind":"#); w.string(d.kind)
            w.raw(#","dates":["#); w.raw(Array(d.dates.map { "\"\($0)\"" }.joined(separator: ",").utf8))
            w.raw(#"],"sources":["#)
            for (j, s) in d.sources.enumerated() { if j > 0 { w.raw(UInt8(ascii: ",")) }; w.string(s) }
            w.raw("]}")
        }
        w.raw(UInt8(ascii: "]"))
        w.raw(UInt8(ascii: "}"))
    }
}
