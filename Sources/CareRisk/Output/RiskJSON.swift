import CareCore

/// Writes the `risk` member (docs/models.md documents the shape).
public enum RiskJSON {
    /// The whole person line with `risk` set: members are copied through byte for byte, an
    /// earlier `risk` is replaced in place, a new one goes last.
    public static func writePerson(_ p: PersonFacts, results: [ModelResult], asOf: ISODate, extra: [UInt8]? = nil, to w: inout JSONWriter) {
        if p.riskMember == nil, let first = p.members.first, let last = p.members.last {
            // The usual case: the record as it came up to its last member, then risk. One copy.
            w.raw(UInt8(ascii: "{"))
            w.raw(p.slice(first.lowerBound..<last.upperBound))
            w.raw(UInt8(ascii: ","))
            writeRisk(p, results: results, asOf: asOf, extra: extra, to: &w)
            w.raw(UInt8(ascii: "}"))
            return
        }
        w.raw(UInt8(ascii: "{"))
        var first = true
        var written = false
        for (i, m) in p.members.enumerated() {
            if !first { w.raw(UInt8(ascii: ",")) }
            first = false
            if i == p.riskMember {
                writeRisk(p, results: results, asOf: asOf, extra: extra, to: &w)
                written = true
            } else {
                w.raw(p.slice(m))
            }
        }
        if !written {
            if !first { w.raw(UInt8(ascii: ",")) }
            writeRisk(p, results: results, asOf: asOf, extra: extra, to: &w)
        }
        w.raw(UInt8(ascii: "}"))
    }

    /// `--format risk`: `{"id":…,"risk":{…}}`, the id as it stood in the record.
    public static func writeRiskOnly(_ p: PersonFacts, results: [ModelResult], asOf: ISODate, extra: [UInt8]? = nil, to w: inout JSONWriter) {
        w.raw(#"{"id":"#)
        if let id = p.id { rawString(p, id.content, &w) } else { w.null() }
        w.raw(UInt8(ascii: ","))
        writeRisk(p, results: results, asOf: asOf, extra: extra, to: &w)
        w.raw(UInt8(ascii: "}"))
    }

    static func writeRisk(_ p: PersonFacts, results: [ModelResult], asOf: ISODate, extra: [UInt8]? = nil, to w: inout JSONWriter) {
        w.raw(#""risk":{"as_of":"#)
        date(asOf, &w)
        for i in results.indices {
            w.raw(UInt8(ascii: ","))
            write(results[i], p, to: &w)
        }
        if let extra {
            w.raw(UInt8(ascii: ","))
            w.raw(extra)
        }
        w.raw(UInt8(ascii: "}"))
    }

    /// `"key":{…}` for one model.
    static func write(_ r: ModelResult, _ p: PersonFacts, to w: inout JSONWriter) {
        w.raw(r.info.header)
        var first = false
        w.member("score", first: &first)
        writeScore(r.score, to: &w)
        r.counts.forEach { name, value in w.member(name, first: &first); w.int(value) }
        if let c = r.category { w.member(c.name, first: &first); w.string(utf8: UnsafeBufferPointer(start: c.value.utf8Start, count: c.value.utf8CodeUnitCount)) }
        if let ip = r.inPopulation { w.member("in_population", first: &first); w.bool(ip) }
        if let n = r.populationNote { w.member("population_note", first: &first); w.string(n) }
        if let win = r.window {
            w.member("window", first: &first)
            w.raw(#"{"from":"#); date(win.from, &w); w.raw(#","to":"#); date(win.to, &w); w.raw(UInt8(ascii: "}"))
        }
        if let a = r.indexAdmission {
            w.member("index_admission", first: &first)
            var f = true
            w.raw(UInt8(ascii: "{"))
            if let s = a.start { w.member("start", first: &f); rawString(p, s, &w) }
            if let e = a.end { w.member("end", first: &f); rawString(p, e, &w) }
            if let s = a.source { w.member("source", first: &f); rawString(p, s, &w) }
            w.raw(UInt8(ascii: "}"))
        }
        w.member("reasons", first: &first)
        w.raw(UInt8(ascii: "["))
        let tenths: Bool
        if case .tenths = r.score { tenths = true } else { tenths = false }
        for (i, reason) in r.reasons.enumerated() {
            if i > 0 { w.raw(UInt8(ascii: ",")) }
            var f = true
            w.raw(UInt8(ascii: "{"))
            w.member(reason.rule, first: &f); w.string(reason.id)
            w.member("label", first: &f); w.string(reason.label)
            if let pts = reason.points {
                w.member("points", first: &f)
                if tenths { writeScore(.tenths(pts), to: &w) } else { w.int(pts) }
            }
            if let e = reason.evidence {
                w.member("code", first: &f); rawString(p, e.code, &w)
                w.member("system", first: &f); w.string(e.system)
                if let d = e.date { w.member("date", first: &f); rawString(p, d, &w) }
                if let s = e.source { w.member("source", first: &f); rawString(p, s, &w) }
            }
            if let n = reason.note { w.member("note", first: &f); w.string(n) }
            w.raw(UInt8(ascii: "}"))
        }
        w.raw(UInt8(ascii: "]"))
        w.raw(UInt8(ascii: "}"))
    }

    @inline(__always) static func date(_ d: ISODate, _ w: inout JSONWriter) {
        w.raw(UInt8(ascii: "\""))
        d.write(to: &w)
        w.raw(UInt8(ascii: "\""))
    }

    /// A string exactly as it stood in the record (its JSON content, already escaped).
    @inline(__always) static func rawString(_ p: PersonFacts, _ r: Range<Int>, _ w: inout JSONWriter) {
        w.raw(UInt8(ascii: "\""))
        w.raw(p.slice(r))
        w.raw(UInt8(ascii: "\""))
    }

    public static func writeScore(_ s: ModelResult.Score, to w: inout JSONWriter, nullAsEmpty: Bool = false) {
        switch s {
        case .integer(let v): w.int(v)
        case .tenths(let v): writeDecimal(v, places: 1, to: &w)
        case .fraction(let n, let d): writeDecimal((n * 2000 + d) / (2 * d), places: 3, to: &w)
        case .none: if !nullAsEmpty { w.null() }
        }
    }

    /// `decimal` without building a String (it is written for every person).
    @inline(__always) static func writeDecimal(_ scaled: Int, places: Int, to w: inout JSONWriter) {
        var p = 1
        for _ in 0..<places { p *= 10 }
        if scaled < 0 { w.raw(UInt8(ascii: "-")) }
        let a = abs(scaled)
        w.int(a / p)
        var frac = a % p
        guard frac != 0 else { return }
        w.raw(UInt8(ascii: "."))
        var digits = places
        while frac % 10 == 0 { frac /= 10; digits -= 1 }
        var div = 1
        for _ in 1..<digits { div *= 10 }
        while div > 0 { w.raw(UInt8(ascii: "0") + UInt8(frac / div % 10)); div /= 10 }
    }

    /// `scaled` / 10^places as a decimal without trailing zeros (71 → "7.1", 250 at 3 → "0.25").
    public static func decimal(_ scaled: Int, places: Int) -> String {
        var w = JSONWriter(capacity: 24)
        writeDecimal(scaled, places: places, to: &w)
        return String(decoding: w.bytes, as: UTF8.self)
    }
}
