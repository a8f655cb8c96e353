import CareCore
import Yams

/// One care pathway, read from YAML (docs/pathways.md): a trigger that starts an instance, the
/// steps that should follow in their windows, outcomes at a horizon, and what counts as a
/// duplicated assessment.
public struct PathwayDefinition: Sendable {
    /// Where a trigger or step looks: one list and what must hold for its elements.
    public struct Source: Sendable {
        /// `encounters`, `events` or `care`.
        public var list: String
        public var match: Expression {
            didSet { required = match.requiredStrings }
        }
        /// The match's `requiredStrings`, worked out once (they are asked for on every person).
        public private(set) var required: Set<String>?

        public init(list: String, match: Expression) {
            self.list = list
            self.match = match
            required = match.requiredStrings
        }
    }

    public struct Trigger: Sendable {
        /// One instance per person, dated by `date` (no `sources`).
        public var person: Bool
        /// The lists whose matching elements each start an instance.
        public var sources: [Source]
        public var date: Expression?
        public var condition: Expression?
        /// `date: entered`: the day the person entered the group `condition` defines, carried
        /// night to night by `pathway-audit --history`.
        public var entered = false
    }

    public struct Step: Sendable {
        public var id: String
        public var title: String
        /// The lists searched, each with its own match; the earliest (or latest) match over all
        /// of them dates the step.
        public var sources: [Source]
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

/// A definition error: the file, line and column, and what is wrong. A file with several
/// problems gives them all: the first here, the others in `more`.
public struct PathwayError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String
    public var more: [PathwayError] = []

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file; self.line = line; self.column = column; self.message = message
    }

    public var all: [PathwayError] { [PathwayError(file: file, line: line, column: column, message: message)] + more }
    public var description: String {
        let one = "\(file):\(line):\(column): \(message)"
        if more.isEmpty { return one }
        return "\(all.count) problems in \(file):\n" + all.map { "\($0.file):\($0.line):\($0.column): \($0.message)" }.joined(separator: "\n")
    }
}

extension PathwayDefinition {
    /// Reads and checks one definition file; `codeLists` are the lists `codelist("name")` may
    /// name (by default those of the file's own folder's `codelists/`).
    public init(path: String, codeLists: CodeListLibrary? = nil) throws {
        let text = String(decoding: try InputFile(path: path).readAll(limit: 4 << 20), as: UTF8.self)
        try self.init(yaml: text, file: path, codeLists: codeLists ?? CodeListLibrary.forPathways(in: PathwayLibrary.folder(of: path)))
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

    public init(yaml text: String, file: String, codeLists: CodeListLibrary = CodeListLibrary()) throws {
        try Self.refuseAnchors(text, file: file)
        let root: Node
        do {
            guard let n = try Yams.compose(yaml: text) else { throw PathwayError(file: file, line: 1, column: 1, message: "the file is empty") }
            root = n
        } catch let e as YamlError {
            throw PathwayError(file: file, line: 1, column: 1, message: "not valid YAML: \(e)")
        }
        let r = Reader(file: file, codeLists: codeLists)
        let top = try r.mapping(root, "a pathway", allowed: ["id", "title", "source", "trigger", "episode", "steps", "outcomes", "duplication"],
                                required: ["id", "title", "source", "trigger"])
        // Every problem in the file is collected and reported together.
        id = r.collect { try r.identifier(r.required(top, "id", in: root), "id") } ?? "?"
        title = r.collect { try r.string(r.required(top, "title", in: root), "title") } ?? ""
        source = r.collect { try r.string(r.required(top, "source", in: root), "source") } ?? ""
        self.file = file

        var trigger = Trigger(person: false, sources: [])
        if let t = top["trigger"] {
            r.collect {
                let tm = try r.mapping(t, "trigger", allowed: ["from", "match", "any", "date", "where"])
                let fromNode = tm["from"]
                if fromNode?.scalar?.string == "person" {
                    trigger.person = true
                    if tm["match"] != nil || tm["any"] != nil { throw r.error(t, "a person trigger has no match: it is dated by date (and filtered by where)") }
                } else {
                    trigger.sources = try r.sources(tm, node: t, what: "trigger", allowPerson: true)
                }
                if let d = tm["date"] {
                    if d.scalar?.string == "entered" {
                        guard trigger.person, tm["where"] != nil else {
                            throw r.error(d, "date: entered is for a person trigger with a where (the group the person entered)")
                        }
                        trigger.entered = true
                    } else {
                        trigger.date = try r.expression(d, condition: false)
                    }
                }
                trigger.condition = try tm["where"].map { try r.expression($0) }
                if trigger.person && trigger.date == nil && !trigger.entered { throw r.error(t, "a person trigger needs a date (like death_date, as_of - 12m, or entered)") }
                if !trigger.person && tm["date"] != nil { throw r.error(tm["date"]!, "only a person trigger has a date (a list trigger is dated by its element)") }
            }
        }
        self.trigger = trigger

        episode = r.collect { try top["episode"].map { try r.window($0) } } ?? nil

        var steps: [Step] = []
        if let s = top["steps"] {
            if let seq = s.sequence {
                for node in seq {
                    r.collect {
                        let m = try r.mapping(node, "a step", allowed: ["id", "title", "from", "match", "any", "window", "applies", "pick", "marker"],
                                              required: ["id", "title", "window"])
                        let sid = try r.identifier(r.required(m, "id", in: node), "step id")
                        if steps.contains(where: { $0.id == sid }) { throw r.error(m["id"]!, "step id '\(sid)' is used twice") }
                        // Each part is checked even when an earlier one is wrong.
                        let title = r.collect { try r.string(r.required(m, "title", in: node), "title") }
                        let sources = r.collect { try r.sources(m, node: node, what: "step", allowPerson: false) }
                        let window = r.collect { try r.window(r.required(m, "window", in: node)) }
                        let applies = r.collect { try m["applies"].map { try r.expression($0) } }
                        let pick = r.collect { try r.choice(m["pick"], ["earliest", "latest"], default: "earliest") }
                        let marker = r.collect { try r.choice(m["marker"], ["true", "false"], default: "false") }
                        if let title, let sources, let window, let applies, let pick, let marker {
                            steps.append(Step(id: sid, title: title, sources: sources, window: window, applies: applies,
                                              latest: pick == "latest", marker: marker == "true"))
                        }
                    }
                }
            } else {
                r.report(r.error(s, "steps is a list"))
            }
        }
        var outcomes: [Outcome] = []
        if let o = top["outcomes"] {
            if let seq = o.sequence {
                for node in seq {
                    r.collect {
                        let m = try r.mapping(node, "an outcome", allowed: ["id", "title", "at", "holds", "applies"], required: ["id", "title", "at", "holds"])
                        let oid = r.collect { try r.identifier(r.required(m, "id", in: node), "outcome id") }
                        let title = r.collect { try r.string(r.required(m, "title", in: node), "title") }
                        let at = r.collect { try r.expression(r.required(m, "at", in: node), condition: false) }
                        let holds = r.collect { try r.expression(r.required(m, "holds", in: node)) }
                        let applies = r.collect { try m["applies"].map { try r.expression($0) } }
                        if let oid, let title, let at, let holds, let applies {
                            outcomes.append(Outcome(id: oid, title: title, at: at, holds: holds, applies: applies))
                        }
                    }
                }
            } else {
                r.report(r.error(o, "outcomes is a list"))
            }
        }
        if top["steps"] == nil && top["outcomes"] == nil { r.report(r.error(root, "a pathway needs at least one step or outcome")) }
        duplication = nil
        if let d = top["duplication"] {
            duplication = r.collect {
                let m = try r.mapping(d, "duplication", allowed: ["match", "within"], required: ["match", "within"])
                let w = try r.required(m, "within", in: d)
                guard case .literal(.duration(let within))? = try? Expression.parse(try r.string(w, "within")) else {
                    throw r.error(w, "within is a duration like 28d\(Reader.durationHint(w.scalar?.string ?? ""))")
                }
                return Duplication(match: try r.expression(r.required(m, "match", in: d), element: "encounters"), within: within)
            } ?? nil
        }
        self.outcomes = outcomes

        // Steps may refer to other steps' dates; the references must not go round in a circle.
        let ids = Set(steps.map(\.id))
        var refs: [String: Set<String>] = [:]
        for s in steps {
            let used = s.window.reference.stepReferences.union(s.window.end?.stepReferences ?? []).union(s.applies?.stepReferences ?? [])
            for u in used where !ids.contains(u) {
                r.report(r.error(nodeOf(top, stepID: s.id) ?? root, "step '\(s.id)' refers to steps.\(u), which is not a step"))
            }
            refs[s.id] = used.intersection(ids)
        }
        self.steps = r.collect { try Self.ordered(steps, refs: refs) { id, message in r.error(nodeOf(top, stepID: id) ?? root, message) } } ?? steps
        try r.finish()
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
        case .not(let e), .rank(let e, _), .inCodeList(let e, _, _, _): return e.stepReferences
        case .and(let a, let b), .or(let a, let b): return a.stepReferences.union(b.stepReferences)
        case .compare(let a, _, let b, _), .add(let a, let b, _, _): return a.stepReferences.union(b.stepReferences)
        case .count(_, let f, _, _, _): return f?.stepReferences ?? []
        }
    }
}

/// Reads YAML nodes with errors that point at them, and collects the errors so a file's every
/// problem is reported at once.
private final class Reader {
    let file: String
    let checker: ExpressionChecker
    var errors: [PathwayError] = []

    init(file: String, codeLists: CodeListLibrary) {
        self.file = file
        checker = ExpressionChecker(extraNames: ["trigger", "steps"], codeLists: codeLists)
    }

    /// Keeps `e` for the end (line -1 marks a problem already reported, like a missing key).
    func report(_ e: PathwayError) { errors.append(contentsOf: e.all.filter { $0.line >= 0 }) }

    /// Runs `body`; an error is kept for the end and nil returned.
    @discardableResult
    func collect<T>(_ body: () throws -> T) -> T? {
        do { return try body() } catch let e as PathwayError { report(e); return nil } catch {
            report(PathwayError(file: file, line: 1, column: 1, message: "\(error)"))
            return nil
        }
    }

    /// Throws every collected error, in file order.
    func finish() throws {
        guard !errors.isEmpty else { return }
        let sorted = errors.enumerated().sorted { ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset) }.map(\.element)
        var first = sorted[0]
        first.more = Array(sorted.dropFirst())
        throw first
    }

    func error(_ node: Node, _ message: String) -> PathwayError {
        PathwayError(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, message: message)
    }

    func mapping(_ node: Node, _ what: String, allowed: Set<String>, required: [String] = []) throws -> Node.Mapping {
        guard let m = node.mapping else { throw error(node, "\(what) is a mapping of keys") }
        for (k, _) in m {
            guard let key = k.string, allowed.contains(key) else {
                let near = ExpressionChecker.hint(RecordSchema.standard.suggestions(for: k.string ?? "", among: allowed.sorted()))
                report(error(k, "unknown field '\(k.string ?? "?")' in \(what)\(near) (fields: \(allowed.sorted().joined(separator: ", ")))"))
                continue
            }
        }
        let missing = required.filter { m[$0] == nil }
        if !missing.isEmpty {
            report(error(node, "\(what) needs \(missing.map { "'\($0)'" }.joined(separator: " and ")) (required: \(required.joined(separator: ", ")))"))
        }
        return m
    }

    func required(_ m: Node.Mapping, _ key: String, in parent: Node) throws -> Node {
        guard let n = m[key] else { throw PathwayError(file: file, line: -1, column: -1, message: "") }
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

    /// A trigger's or step's lists: `from: LIST` or `from: [LIST, LIST]` with one `match`, or
    /// `any:` a sequence of `{from, match}`.
    func sources(_ m: Node.Mapping, node: Node, what: String, allowPerson: Bool) throws -> [PathwayDefinition.Source] {
        let lists = PathwayDefinition.lists.sorted().joined(separator: ", ") + (allowPerson ? " or person" : "")
        func listNames(_ n: Node) throws -> [String] {
            let names: [Node] = n.sequence.map(Array.init) ?? [n]
            if names.isEmpty { throw error(n, "from names a list: \(lists)") }
            return try names.map { x in
                let name = try string(x, "from")
                guard PathwayDefinition.lists.contains(name) else { throw error(x, "\(what) from is \(lists), not '\(name)'") }
                return name
            }
        }
        if let any = m["any"] {
            if m["from"] != nil || m["match"] != nil { throw error(any, "a \(what) has any: or from: and match:, not both") }
            guard let seq = any.sequence, seq.count > 0 else { throw error(any, "any: is a list of {from, match}") }
            var out: [PathwayDefinition.Source] = []
            for n in seq {
                guard let e = collect({ () throws -> [PathwayDefinition.Source] in
                    let em = try mapping(n, "an any: entry", allowed: ["from", "match"], required: ["from", "match"])
                    guard let f = em["from"], let mt = em["match"] else { return [] }
                    return try listNames(f).map { .init(list: $0, match: try expression(mt, element: $0)) }
                }) else { continue }
                out += e
            }
            if out.isEmpty { throw PathwayError(file: file, line: -1, column: -1, message: "") }
            return out
        }
        let names = try m["from"].map(listNames) ?? (what == "step" ? ["encounters"] : [])
        if names.isEmpty { throw error(node, "a \(what) needs from (\(lists))") }
        guard let mt = m["match"] else { throw error(node, "a \(what) needs a match (which \(names.joined(separator: " or ")) count), or any: of {from, match}") }
        return try names.map { .init(list: $0, match: try expression(mt, element: $0)) }
    }

    /// Where an error inside a scalar's text is: the scalar's position, moved by the column.
    func position(_ node: Node, _ column: Int) -> (Int, Int) {
        let quoted = node.scalar.map { $0.style == .singleQuoted || $0.style == .doubleQuoted } ?? false
        return (node.mark?.line ?? 1, (node.mark?.column ?? 1) + column - 1 + (quoted ? 1 : 0))
    }

    /// Parses and checks an expression (docs/expressions.md, "Checking"): a `match` reads the
    /// elements of `element` first, then the record; a condition must be true or false.
    func expression(_ node: Node, element: String? = nil, condition: Bool = true) throws -> Expression {
        let text = try string(node, "an expression")
        do {
            let parsed = try Expression.parse(text)
            if condition { return try checker.checkCondition(parsed, element: element, text: text) }
            return try checker.checkValue(parsed, element: element, text: text)
        } catch {
            let (l, c) = position(node, error.column)
            throw PathwayError(file: file, line: l, column: c, message: "\(error.message)\(Self.durationHint(text))\n  \(text)\n  \(String(repeating: " ", count: max(0, error.column - 1)))^")
        }
    }

    func window(_ node: Node) throws -> WindowSpec {
        let text = try string(node, "a window")
        do { return try WindowSpec(parsing: text) } catch {
            let (l, c) = position(node, error.column)
            throw PathwayError(file: file, line: l, column: c, message: "bad window: \(error.message)\(Self.durationHint(text))\n  \(text)\n  \(String(repeating: " ", count: max(0, error.column - 1)))^")
        }
    }

    /// The hint for the commonest slip: a duration written out in words (`7 days`, `2 weeks`).
    static func durationHint(_ text: String) -> String {
        let words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let units: [String: String] = ["day": "d", "days": "d", "week": "w", "weeks": "w", "month": "m", "months": "m", "year": "y", "years": "y"]
        for (a, b) in zip(words, words.dropFirst()) {
            if Int(a) != nil, let u = units[b] { return " (write durations as \(a)\(u), not '\(a) \(b)')" }
        }
        return ""
    }
}
