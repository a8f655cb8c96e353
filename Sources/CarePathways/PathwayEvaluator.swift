import CareCore

/// One instance of a pathway for one person, as evaluated.
public struct PathwayInstance: Sendable {
    public struct StepResult: Sendable {
        public var id: String
        /// `met`, `late`, `missed`, `pending` or `not-applicable`.
        public var status: String
        public var date: ISODate?
        /// The list the dating element came from (`encounters`, `events`, `care`).
        public var list: String?
        /// Met: days from the window's reference day. Late: days past the window's end.
        public var days: Int?
        public var windowFrom: ISODate?
        public var windowTo: ISODate?
        /// A marker step (it dates something for other steps; not a step of care).
        public var marker = false
    }
    public struct OutcomeResult: Sendable {
        public var id: String
        /// `met`, `missed`, `pending` or `not-applicable`.
        public var status: String
        public var at: ISODate?
    }
    public struct Duplicate: Sendable {
        public var kind: String
        public var dates: [ISODate]
        public var sources: [String]
    }

    public var triggerStart: ISODate?
    public var triggerEnd: ISODate?
    public var triggerSource: String?
    public var status: String
    public var steps: [StepResult]
    public var outcomes: [OutcomeResult]
    public var contacts: (encounters: Int, events: Int)
    public var episode: (from: ISODate, to: ISODate)?
    public var duplicates: [Duplicate]
}

public enum PathwayEvaluator {
    /// Every instance of `p` in the record (one per matching trigger), at `record.asOf`.
    static func evaluate(_ p: PathwayDefinition, _ scope: PathwayScope) -> [PathwayInstance] {
        var out: [PathwayInstance] = []
        let record = scope.record
        var triggers: [(element: JSONValue, list: String?, start: ISODate)] = []
        if p.trigger.person {
            scope.trigger = .null
            scope.triggerStart = nil
            if p.trigger.entered {
                // The group is judged tonight; the instance starts the day the person entered it.
                scope.asOf = record.asOf
                scope.steps = [:]
                if let c = p.trigger.condition, c.holds(scope), let id = record.string("id") {
                    let entered = scope.history?.entered(pathway: p.id, person: id) ?? record.asOf
                    scope.entered.append((p.id, entered))
                    triggers = [(.object([("start", .string(entered.description)), ("end", .string(entered.description))]), nil, entered)]
                }
            } else if let d = p.trigger.date.flatMap({ date($0.evaluate(scope)) }), d <= record.asOf {
                triggers = [(.object([("start", .string(d.description)), ("end", .string(d.description))]), nil, d)]
            }
        } else {
            for source in p.trigger.sources {
                let candidates = source.required.map { scope.mightContain(source.list, anyOf: $0) } ?? true
                for (r, date) in candidates ? scope.datedElements(source.list) : [] {
                    guard let start = date, start <= record.asOf else { continue }
                    scope.trigger = .null
                    scope.triggerStart = start
                    if !source.match.holds(scope.element(r)) { continue }
                    triggers.append((scope.parsed(r), source.list, start))
                }
            }
            // Over several lists, instances in date order (each list's own order where dates tie).
            if p.trigger.sources.count > 1 {
                triggers = triggers.enumerated().sorted { ($0.element.start, $0.offset) < ($1.element.start, $1.offset) }.map(\.element)
            }
        }
        for t in triggers {
            scope.asOf = record.asOf
            scope.trigger = t.list == "events" ? withStartEnd(t.element) : t.element
            scope.triggerStart = elementDate(scope.trigger, list: "encounters")
            scope.steps = [:]
            if !p.trigger.entered, let c = p.trigger.condition, !c.holds(scope) { continue }
            out.append(instance(p, scope))
        }
        return out
    }

    /// Events have a `date`; give them `start` and `end` so `trigger.start` reads the same.
    static func withStartEnd(_ e: JSONValue) -> JSONValue {
        guard case .object(var members) = e, let d = e["date"] else { return e }
        members.append(("start", d))
        members.append(("end", e["end"] ?? d))
        return .object(members)
    }

    static func instance(_ p: PathwayDefinition, _ scope: PathwayScope) -> PathwayInstance {
        let asOf = scope.record.asOf
        var steps: [PathwayInstance.StepResult] = []
        for s in p.steps {
            var r = step(s, scope, asOf: asOf)
            r.marker = s.marker
            scope.steps[s.id] = (r.status, r.date)
            steps.append(r)
        }
        var outcomes: [PathwayInstance.OutcomeResult] = []
        for o in p.outcomes {
            scope.asOf = asOf
            if let a = o.applies, !a.holds(scope) { outcomes.append(.init(id: o.id, status: "not-applicable", at: nil)); continue }
            guard let at = date(o.at.evaluate(scope)) else { outcomes.append(.init(id: o.id, status: "not-applicable", at: nil)); continue }
            if at > asOf { outcomes.append(.init(id: o.id, status: "pending", at: at)); continue }
            scope.asOf = at
            let holds = o.holds.holds(scope)
            scope.asOf = asOf
            outcomes.append(.init(id: o.id, status: holds ? "met" : "missed", at: at))
        }
        let statuses = zip(p.steps, steps).filter { !$0.0.marker }.map(\.1.status) + outcomes.map(\.status)
        let applicable = statuses.filter { $0 != "not-applicable" }
        let overall: String
        if applicable.isEmpty { overall = "not-applicable" }
        else if applicable.contains("pending") { overall = "in-progress" }
        else if applicable.allSatisfy({ $0 == "met" }) { overall = "complete" }
        else { overall = "incomplete" }

        // The episode: the given window, else the trigger's own span.
        let start = scope.triggerStart
        let end = scope.trigger["end"]?.stringValue.flatMap { ISODate.parse($0) } ?? start
        var episode: (ISODate, ISODate)?
        if let e = p.episode, let b = e.bounds(scope) {
            episode = (b.from ?? start ?? asOf, min(b.to ?? asOf, asOf))
        } else if let start, let end {
            episode = (start, min(end, asOf))
        }
        var contacts = (encounters: 0, events: 0)
        var duplicates: [PathwayInstance.Duplicate] = []
        if let (from, to) = episode {
            var assessments: [(ISODate, String, String)] = []
            let encounters = scope.datedInOrder("encounters")
            for (r, d) in encounters[scope.firstIndex(in: encounters, onOrAfter: from)...] {
                guard d <= to else { break }
                contacts.encounters += 1
                if let dup = p.duplication, dup.match.holds(scope.element(r)) {
                    func text(_ key: String) -> String? {
                        if case .string(let s)? = scope.record.value(inElement: r, [key]) { return s }
                        return nil
                    }
                    assessments.append((d, text("kind") ?? "contact", text("source") ?? "unknown"))
                }
            }
            let events = scope.datedInOrder("events")
            if from <= to {
                contacts.events = scope.firstIndex(in: events, onOrAfter: to.adding(days: 1)) - scope.firstIndex(in: events, onOrAfter: from)
            }
            if let dup = p.duplication {
                // The same kind of assessment by different services within `within` of each other.
                assessments.sort { ($0.0, $0.2) < ($1.0, $1.2) }
                var used = Set<Int>()
                for i in assessments.indices where !used.contains(i) {
                    var group = [i]
                    for j in (i + 1)..<assessments.count where !used.contains(j) {
                        let (a, b) = (assessments[i], assessments[j])
                        if b.1 == a.1 && b.2 != a.2 && b.0 <= dup.within.moving(a.0) && !group.contains(where: { assessments[$0].2 == b.2 }) {
                            group.append(j)
                        }
                    }
                    if group.count > 1 {
                        group.forEach { used.insert($0) }
                        duplicates.append(.init(kind: assessments[i].1, dates: group.map { assessments[$0].0 }, sources: group.map { assessments[$0].2 }))
                    }
                }
            }
        }
        return PathwayInstance(triggerStart: start, triggerEnd: end, triggerSource: scope.trigger["source"]?.stringValue,
                               status: overall, steps: steps, outcomes: outcomes, contacts: contacts,
                               episode: episode.map { (from: $0.0, to: $0.1) }, duplicates: duplicates)
    }

    static func step(_ s: PathwayDefinition.Step, _ scope: PathwayScope, asOf: ISODate) -> PathwayInstance.StepResult {
        var r = PathwayInstance.StepResult(id: s.id, status: "not-applicable")
        if let a = s.applies, !a.holds(scope) { return r }
        guard let b = s.window.bounds(scope) else { return r }
        r.windowFrom = b.from
        r.windowTo = b.to
        var inWindow: (date: ISODate, list: String)?, after: (date: ISODate, list: String)?
        for source in s.sources {
            let candidates = source.required.map { scope.mightContain(source.list, anyOf: $0) } ?? true
            guard candidates else { continue }
            let matchesAll = source.match == .literal(.bool(true))
            // In date order from the window's start: the first match after the window is the
            // earliest late one, and nothing later can change the result.
            let elements = scope.datedInOrder(source.list)
            let first = b.from.map { scope.firstIndex(in: elements, onOrAfter: $0) } ?? 0
            for (e, d) in elements[first...] {
                guard d <= asOf else { break }
                if let a = after, d >= a.date { break }   // an earlier list already found a sooner late one
                if !s.latest, let m = inWindow, d >= m.date { break }   // or a sooner match
                guard matchesAll || source.match.holds(scope.element(e)) else { continue }
                if let t = b.to, d > t {
                    after = (d, source.list)
                    break
                }
                // The earliest match over every list (the first list where dates tie), or the latest.
                if let best = inWindow {
                    if s.latest ? d > best.date : d < best.date { inWindow = (d, source.list) }
                } else { inWindow = (d, source.list) }
                if !s.latest { break }
            }
        }
        if let m = inWindow {
            r.status = "met"
            r.date = m.date
            r.list = m.list
            r.days = abs(m.date.dayNumber - b.anchor.dayNumber)
        } else if let l = after, let t = b.to {
            r.status = "late"
            r.date = l.date
            r.list = l.list
            r.days = l.date.dayNumber - t.dayNumber
        } else if b.to.map({ $0 > asOf }) ?? true {   // a window ending on the as-of day has closed
            r.status = "pending"
        } else {
            r.status = "missed"
        }
        return r
    }
}
