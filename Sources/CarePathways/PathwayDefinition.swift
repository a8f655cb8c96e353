import CareCore
import Yams

/// One care pathway, read from YAML (docs/pathways.md): a trigger that starts an instance, the
/// steps that should follow in their windows, outcomes at a horizon, and what counts as a
/// duplicated assessment.
public struct PathwayDefinition: Sendable {
    public struct Trigger: Sendable {
        /// `encounters`, `events`, `care`, or `person` (one instance per person, dated by `date`).
        public var from: String
        public var match: Expression?
        public var date: Expression?
        public var condition: Expression?
    }

    public struct Step: Sendable {
        public var id: String
        public var title: String
        public var from: String
        public var match: Expression
        public var window: WindowSpec
        public var applies: Expression?
        /// Which match in the window dates the step: the earliest (default) or the latest.
        public var latest = false
        /// A marker step only dates something for other steps (the first admission of a year):
        /// its status is reported but does not decide the instance's.
        public var marker = false
    }

    public struct Outcome: Sendable {
        public var id: String
        public var title: String
        public var at: Expression
        public var holds: Expression
        public var applies: Expression?
    }

    public struct Duplication: Sendable {
        public var match: Expression
        public var within: Duration
    }

    public var id: String
    public var title: String
    public var source: String
    public var file: String
    public var trigger: Trigger
    public var episode: WindowSpec?
    public var steps: [Step]
    public var outcomes: [Outcome]
    public var duplication: Duplication?

    static let lists: Set<String> = ["encounters", "events", "care"]
}

/// A definition error: the file, line and column, and what is wrong.
public struct PathwayError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String
    public var description: String { "\(file):\(line):\(column): \(message)" }
}

extension PathwayDefinition {
    /// Reads and checks one definition file.
    public init(path: String) throws {
        let text = String(decoding: try InputFile(path: path).readAll(limit: 4 << 20), as: UTF8.self)
        try self.init(yaml: text, file: path)
    }

    /// A pathway file is small and plain: anchors and aliases (`&a`, `*a`), which let a few
    /// hundred bytes expand into minutes of work, are refused before the YAML is read.
    static func refuseAnchors(_ text: String, file: String) throws {
        let chars = Array(text)
        var line = 1, column = 0, quote: Character?, comment = false, previous: Character = "\n"
        let before: Set<Character> = [" ", "\n", "[", ",", "-", ":", "?", "{"]
        for (i, ch) in chars.enumerated() {
            column += 1
            if ch == "\n" { line += 1; column = 0; comment = false; quote = nil; previous = ch; continue }
            if comment { continue }
            if let q = quote { if ch == q { quote = nil }; previous = ch; continue }
            if (ch == "\"" || ch == "'") && before.contains(previous) {
                quote = ch
            } else if ch == "#" && (previous == " " || previous == "\n") {
                comment = true
            } else if (ch == "&" || ch == "*") && before.contains(previous), i + 1 < chars.count,
                      chars[i + 1].isLetter || chars[i + 1].isNumber || chars[i + 1] == "_" {
                throw PathwayError(file: file, line: line, column: column,
                                   message: "YAML anchors and aliases (&name, *name) are not allowed in a pathway definition: write the value out")
            }
            previous = ch
        }
    }

    public init(yaml text: String, file: String) throws {
        try Self.refuseAnchors(text, file: file)
        let root: Node
        do {
            guard let n = try Yams.compose(yaml: text) else { throw PathwayError(file: file, line: 1, column: 1, message: "the file is empty") }
            root = n
        } catch let e as YamlError {
            throw PathwayError(file: file, line: 1, column: 1, message: "not valid YAML: \(e)")
        }
        let r = Reader(file: file)
        let top = try r.mapping(root, "a pathway", allowed: ["id", "title", "source", "trigger", "episode", "steps", "outcomes", "duplication"])
        id = try r.identifier(r.required(top, "id", in: root), "id")
        title = try r.string(r.required(top, "title", in: root), "title")
        source = try r.string(r.required(top, "source", in: root), "source")
        self.file = file

        let t = try r.required(top, "trigger", in: root)
        let tm = try r.mapping(t, "trigger", allowed: ["from", "match", "date", "where"])
        let from = try r.string(r.required(tm, "from", in: t), "from")
        guard Self.lists.contains(from) || from == "person" else {
            throw r.error(tm["from"]!, "trigger.from is encounters, events, care or person, not '\(from)'")
        }
        trigger = Trigger(from: from, match: try tm["match"].map { try r.expression($0, element: from == "person" ? nil : from) },
                          date: try tm["date"].map { try r.expression($0, condition: false) }, condition: try tm["where"].map { try r.expression($0) })
        if from == "person" && trigger.date == nil { throw r.error(t, "a person trigger needs a date (like death_date or risk.as_of)") }
        if from != "person" && trigger.match == nil { throw r.error(t, "trigger needs a match (which \(from) start an instance)") }

        episode = try top["episode"].map { try r.window($0) }

        var steps: [Step] = []
        if let s = top["steps"] {
            guard let seq = s.sequence else { throw r.error(s, "steps is a list") }
            for node in seq {
                let m = try r.mapping(node, "a step", allowed: ["id", "title", "from", "match", "window", "applies", "pick", "marker"])
                let sid = try r.identifier(r.required(m, "id", in: node), "step id")
                if steps.contains(where: { $0.id == sid }) { throw r.error(m["id"]!, "step id '\(sid)' is used twice") }
                let sf = try m["from"].map { try r.string($0, "from") } ?? "encounters"
                guard Self.lists.contains(sf) else { throw r.error(m["from"]!, "step from is encounters, events or care, not '\(sf)'") }
                steps.append(Step(id: sid, title: try r.string(r.required(m, "title", in: node), "title"), from: sf,
                                  match: try r.expression(r.required(m, "match", in: node), element: sf),
                                  window: try r.window(r.required(m, "window", in: node)),
                                  applies: try m["applies"].map { try r.expression($0) },
                                  latest: try r.choice(m["pick"], ["earliest", "latest"], default: "earliest") == "latest",
                                  marker: try r.choice(m["marker"], ["true", "false"], default: "false") == "true"))
            }
        }
        var outcomes: [Outcome] = []
        if let o = top["outcomes"] {
            guard let seq = o.sequence else { throw r.error(o, "outcomes is a list") }
            for node in seq {
                let m = try r.mapping(node, "an outcome", allowed: ["id", "title", "at", "holds", "applies"])
                outcomes.append(Outcome(id: try r.identifier(r.required(m, "id", in: node), "outcome id"),
                                        title: try r.string(r.required(m, "title", in: node), "title"),
                                        at: try r.expression(r.required(m, "at", in: node), condition: false),
                                        holds: try r.expression(r.required(m, "holds", in: node)),
                                        applies: try m["applies"].map { try r.expression($0) }))
            }
        }
        if steps.isEmpty && outcomes.isEmpty { throw r.error(root, "a pathway needs at least one step or outcome") }
        if let d = top["duplication"] {
            let m = try r.mapping(d, "duplication", allowed: ["match", "within"])
            let w = try r.required(m, "within", in: d)
            guard case .literal(.duration(let within))? = try? Expression.parse(try r.string(w, "within")) else {
                throw r.error(w, "within is a duration like 28d")
            }
            duplication = Duplication(match: try r.expression(r.required(m, "match", in: d), element: "encounters"), within: within)
        } else { duplication = nil }

        // Steps may refer to other steps' dates; the references must not go round in a circle.
        let ids = Set(steps.map(\.id))
        var refs: [String: Set<String>] = [:]
        for s in steps {
            let used = s.window.reference.stepReferences.union(s.window.end?.stepReferences ?? []).union(s.applies?.stepReferences ?? [])
            for u in used where !ids.contains(u) {
                throw r.error(nodeOf(top, stepID: s.id) ?? root, "step '\(s.id)' refers to steps.\(u), which is not a step")
            }
            refs[s.id] = used
        }
        self.steps = try Self.ordered(steps, refs: refs) { id, message in r.error(nodeOf(top, stepID: id) ?? root, message) }
        self.outcomes = outcomes
    }

    /// Steps ordered so each comes after the steps it refers to; a cycle is an error.
    static func ordered(_ steps: [Step], refs: [String: Set<String>], error: (String, String) -> PathwayError) throws -> [Step] {
        var done: [String] = [], visiting: Set<String> = []
        func visit(_ id: String, _ path: [String]) throws {
            if done.contains(id) { return }
            if visiting.contains(id) { throw error(id, "steps refer to each other in a cycle: \((path + [id]).joined(separator: " → "))") }
            visiting.insert(id)
            for r in (refs[id] ?? []).sorted() { try visit(r, path + [id]) }
            visiting.remove(id)
            done.append(id)
        }
        for s in steps { try visit(s.id, []) }
        // Keep the file's order where references allow it (stable topological order).
        var out: [Step] = []
        var placed = Set<String>()
        while out.count < steps.count {
            for s in steps where !placed.contains(s.id) && (refs[s.id] ?? []).isSubset(of: placed) {
                out.append(s)
                placed.insert(s.id)
            }
        }
        return out
    }
}

private func nodeOf(_ top: Node.Mapping, stepID: String) -> Node? {
    top["steps"]?.sequence?.first { $0.mapping?["id"]?.string == stepID }
}

extension Expression {
    /// The step ids this expression reads (`steps.ID.date`).
    var stepReferences: Set<String> {
        switch self {
        case .literal: return []
        case .path(let p, _), .exists(let p, _): return p.count >= 2 && p[0] == "steps" ? [p[1]] : []
        case .not(let e), .rank(let e, _): return e.stepReferences
        case .and(let a, let b), .or(let a, let b): return a.stepReferences.union(b.stepReferences)
        case .compare(let a, _, let b, _), .add(let a, let b, _, _): return a.stepReferences.union(b.stepReferences)
        case .count(_, let f, _, _): return f?.stepReferences ?? []
        }
    }
}

/// Reads YAML nodes with errors that point at them.
private struct Reader {
    let file: String

    func error(_ node: Node, _ message: String) -> PathwayError {
        PathwayError(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, message: message)
    }

    func mapping(_ node: Node, _ what: String, allowed: Set<String>) throws -> Node.Mapping {
        guard let m = node.mapping else { throw error(node, "\(what) is a mapping of keys") }
        for (k, _) in m {
            guard let key = k.string, allowed.contains(key) else {
                throw error(k, "unknown field '\(k.string ?? "?")' in \(what) (fields: \(allowed.sorted().joined(separator: ", ")))")
            }
        }
        return m
    }

    func required(_ m: Node.Mapping, _ key: String, in parent: Node) throws -> Node {
        guard let n = m[key] else { throw error(parent, "'\(key)' is missing") }
        return n
    }

    func string(_ node: Node, _ what: String) throws -> String {
        guard let s = node.scalar?.string else { throw error(node, "\(what) is text") }
        return s
    }

    func choice(_ node: Node?, _ options: [String], default value: String) throws -> String {
        guard let node else { return value }
        let s = try string(node, "a value")
        guard options.contains(s) else { throw error(node, "'\(s)' is not one of \(options.joined(separator: ", "))") }
        return s
    }

    func identifier(_ node: Node, _ what: String) throws -> String {
        let s = try string(node, what)
        guard let f = s.first, f.isLetter || f == "_", s.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw error(node, "\(what) '\(s)' must be letters, digits, - and _")
        }
        if what == "step id" && s.contains("-") { throw error(node, "step id '\(s)' must be letters, digits and _ (steps.\(s).date must read as one name)") }
        return s
    }

    /// Where an error inside a scalar's text is: the scalar's position, moved by the column.
    func position(_ node: Node, _ column: Int) -> (Int, Int) {
        let quoted = node.scalar.map { $0.style == .singleQuoted || $0.style == .doubleQuoted } ?? false
        return (node.mark?.line ?? 1, (node.mark?.column ?? 1) + column - 1 + (quoted ? 1 : 0))
    }

    /// What a pathway's expressions may read besides the record: the trigger element's fields
    /// (`trigger.*`) and the steps' results (`steps.ID.date`, `steps.ID.status`).
    static let checker = ExpressionChecker(extraNames: ["trigger", "steps"])

    /// Parses and checks an expression (docs/expressions.md, "Checking"): a `match` reads the
    /// elements of `element` first, then the record; a condition must be true or false.
    func expression(_ node: Node, element: String? = nil, condition: Bool = true) throws -> Expression {
        let text = try string(node, "an expression")
        do {
            let parsed = try Expression.parse(text)
            if condition { return try Self.checker.checkCondition(parsed, element: element, text: text) }
            return try Self.checker.checkValue(parsed, element: element, text: text)
        } catch {
            let (l, c) = position(node, error.column)
            throw PathwayError(file: file, line: l, column: c, message: "\(error.message)\n  \(text)\n  \(String(repeating: " ", count: max(0, error.column - 1)))^")
        }
    }

    func window(_ node: Node) throws -> WindowSpec {
        let text = try string(node, "a window")
        do { return try WindowSpec(parsing: text) } catch {
            let (l, c) = position(node, error.column)
            throw PathwayError(file: file, line: l, column: c, message: "bad window: \(error.message)\n  \(text)\n  \(String(repeating: " ", count: max(0, error.column - 1)))^")
        }
    }
}
