/// Checks an expression against the record schema before any record is read, so a misspelt
/// field, a list that does not exist, a comparison of things that cannot be compared, or a
/// category word outside its field's vocabulary is a usage error naming the column, with the
/// nearest valid names, instead of a quiet "nobody matched".
///
/// It also settles what the text left open: a bare word compared with a category field is that
/// field's word (`sex = female`), and category words compare case-insensitively (`"Moderate"` is
/// `moderate`). The expression it returns is the one to evaluate.
public struct ExpressionChecker: Sendable {
    public var schema: RecordSchema
    /// Names a scope adds besides the record's (a pathway's `trigger`, `steps`): any type.
    public var extraNames: Set<String>
    /// The lists `codelist("name")` may name.
    public var codeLists: CodeListLibrary

    public init(schema: RecordSchema = .standard, extraNames: Set<String> = [], codeLists: CodeListLibrary = CodeListLibrary()) {
        self.schema = schema
        self.extraNames = extraNames
        self.codeLists = codeLists
    }

    /// Checks `e` (parsed from `text`) as a condition: it must be true or false. With `element`,
    /// a path is looked up in that list's elements first (a pathway step's `match`).
    public func checkCondition(_ e: Expression, element: String? = nil, text: String) throws(ExpressionError) -> Expression {
        let (checked, type) = try check(e, text: text, element: element)
        if let type, type != .bool {
            throw ExpressionError(text: text, column: Self.column(of: e),
                                  message: "this is a \(type), not a condition: compare it (like age >= 65)")
        }
        return checked
    }

    /// Checks `e` as a value of any type (a pathway trigger's `date`, an outcome's `at`).
    public func checkValue(_ e: Expression, element: String? = nil, text: String) throws(ExpressionError) -> Expression {
        try check(e, text: text, element: element).0
    }

    /// Checks a field path given on its own (`--rank-by`, `--group-by`): it must be known and hold
    /// one value (not a list or an object).
    public func checkField(_ path: [String], option: String) throws -> FieldType {
        let dotted = path.joined(separator: ".")
        if path.isEmpty || path.contains(where: \.isEmpty) {
            throw CareError(.usage, "\(option): '\(dotted)' is not a field path (like practice, team or risk.efi.category)")
        }
        guard let type = schema.type(of: path) else {
            throw CareError(.usage, "\(option): unknown field '\(dotted)'\(Self.hint(schema.suggestions(for: dotted)))")
        }
        if type == .list || type == .object {
            throw CareError(.usage, "\(option): '\(dotted)' is a \(type), not one value\(Self.hint(schema.fields.map(\.path).filter { $0.hasPrefix(dotted + ".") }.prefix(4).map { $0 }))")
        }
        return type
    }

    public static func hint(_ names: [String]) -> String {
        names.isEmpty ? "" : ": did you mean " + names.map { "'\($0)'" }.joined(separator: " or ") + "?"
    }

    static func column(of e: Expression) -> Int {
        switch e {
        case .path(_, let c), .compare(_, _, _, let c), .add(_, _, _, let c), .count(_, _, _, let c, _), .exists(_, let c), .inCodeList(_, _, _, let c): return c
        case .not(let x), .and(let x, _), .or(let x, _), .rank(let x, _): return column(of: x)
        case .literal: return 1
        }
    }

    static func type(of v: ExpressionValue) -> FieldType? {
        switch v {
        case .null: nil
        case .bool: .bool
        case .number: .number
        case .string: .text
        case .date: .date
        case .duration: .duration
        }
    }

    /// A field's type: an element's own field first (inside `count(LIST where …)`), then the record's.
    func fieldType(_ path: [String], element: String?) -> FieldType?? {
        if let element, let fields = RecordSchema.fields(of: element) {
            let dotted = path.joined(separator: ".")
            if let f = fields.first(where: { $0.0 == dotted }) { return .some(f.1) }
        }
        if let first = path.first, extraNames.contains(first) { return .some(nil) }
        if let t = schema.type(of: path) { return .some(t) }
        return nil
    }

    func unknown(_ path: [String], column: Int, text: String, element: String?) -> ExpressionError {
        let dotted = path.joined(separator: ".")
        var names = schema.fields.map(\.path) + extraNames.sorted()
        if let element { names += (RecordSchema.fields(of: element) ?? []).map(\.0) }
        // Inside count(LIST where …) the element's own fields are the likelier meaning.
        let own = element.map { schema.suggestions(for: dotted, among: (RecordSchema.fields(of: $0) ?? []).map(\.0)) } ?? []
        var message = "unknown field '\(dotted)'\(Self.hint(own.isEmpty ? schema.suggestions(for: dotted, among: names) : own))"
        if path.count == 1 { message += " (text is quoted: \"\(dotted)\")" }
        return ExpressionError(text: text, column: column, message: message)
    }

    func check(_ e: Expression, text: String, element: String?) throws(ExpressionError) -> (Expression, FieldType?) {
        switch e {
        case .literal(let v):
            return (e, Self.type(of: v))
        case .rank:
            return (e, .number)
        case .path(let p, let column):
            guard let t = fieldType(p, element: element) else { throw unknown(p, column: column, text: text, element: element) }
            return (e, t)
        case .exists(let p, let column):
            guard fieldType(p, element: element) != nil else { throw unknown(p, column: column, text: text, element: element) }
            return (e, .bool)
        case .inCodeList(let x, let name, _, let column):
            let (c, t) = try check(x, text: text, element: element)
            if let t, t != .text {
                throw ExpressionError(text: text, column: Self.column(of: x), message: "a \(Self.short(t)) cannot be on a code list: compare a code (code in codelist(\"\(name)\"))")
            }
            guard let list = codeLists[name] else {
                let known = codeLists.names
                var message = "no code list named '\(name)'"
                message += known.isEmpty ? " (code lists are CSV files in a pathway's codelists/ folder or a --codelists folder, named NAME.csv)"
                                         : "\(Self.hint(schema.suggestions(for: name, among: known))) (lists: \(known.joined(separator: ", ")))"
                throw ExpressionError(text: text, column: column, message: message)
            }
            return (.inCodeList(c, name: name, list: list, column: column), .bool)
        case .not(let x):
            let (c, t) = try check(x, text: text, element: element)
            try requireCondition(t, x, text: text)
            return (.not(c), .bool)
        case .and(let a, let b), .or(let a, let b):
            let (ca, ta) = try check(a, text: text, element: element)
            let (cb, tb) = try check(b, text: text, element: element)
            try requireCondition(ta, a, text: text)
            try requireCondition(tb, b, text: text)
            if case .and = e { return (.and(ca, cb), .bool) }
            return (.or(ca, cb), .bool)
        case .count(let collection, let filter, let last, let column, _):
            let inner = element.flatMap { RecordSchema.nestedLists[$0] } ?? []
            guard RecordSchema.listNames.contains(collection) || inner.contains(collection) else {
                let lists = RecordSchema.listNames + inner
                var message = "count( takes a list: \(lists.joined(separator: ", ")), not '\(collection)'"
                let near = schema.suggestions(for: collection, among: lists)
                message += Self.hint(near)
                if ["admissions", "admission", "ae", "attendances", "outpatients", "reviews"].contains(collection) {
                    message += " (like count(encounters where kind = \"admission\" in last 365d))"
                }
                throw ExpressionError(text: text, column: column + 6, message: message)
            }
            var checkedFilter: Expression?
            if let filter {
                let (c, t) = try check(filter, text: text, element: collection)
                try requireCondition(t, filter, text: text)
                checkedFilter = c
            }
            return (.count(collection: collection, filter: checkedFilter, last: last, column: column, required: checkedFilter?.requiredStrings), .number)
        case .add(let a, let b, let subtract, let column):
            let (ca, ta) = try check(a, text: text, element: element)
            let (cb, tb) = try check(b, text: text, element: element)
            let result: FieldType?
            switch (ta, tb) {
            case (.number?, .number?): result = .number
            case (.date?, .duration?), (.text?, .duration?): result = .date
            case (.date?, .date?) where subtract: result = .number
            case (nil, _), (_, nil): result = nil
            default:
                throw ExpressionError(text: text, column: column,
                                      message: "cannot \(subtract ? "subtract" : "add") a \(tb!) \(subtract ? "from" : "to") a \(ta!)")
            }
            return (.add(ca, cb, subtract: subtract, column: column), result)
        case .compare(let a, let op, let b, let column):
            var (ca, ta) = try checkSide(a, other: b, text: text, element: element)
            var (cb, tb) = try checkSide(b, other: a, text: text, element: element)
            // Category words: the field's own vocabulary, case-insensitively.
            if case .category(let words)? = ta { (cb, tb) = try word(cb, tb, in: words, field: a, text: text) }
            if case .category(let words)? = tb { (ca, ta) = try word(ca, ta, in: words, field: b, text: text) }
            if let x = ta, let y = tb, !Self.comparable(x, y) {
                throw ExpressionError(text: text, column: column, message: "cannot compare a \(Self.short(x)) with a \(Self.short(y))")
            }
            // A category against its own words compares by rank in its vocabulary.
            if case .category(let words)? = ta, case .category(let other)? = tb, words == other {
                return (.compare(Self.ranked(ca, words), op, Self.ranked(cb, words), column: column), .bool)
            }
            return (.compare(ca, op, cb, column: column), .bool)
        }
    }

    /// One side of a comparison; a bare word the other side's category holds is that word.
    func checkSide(_ e: Expression, other: Expression, text: String, element: String?) throws(ExpressionError) -> (Expression, FieldType?) {
        if case .path(let p, let column) = e, p.count == 1, fieldType(p, element: element) == nil,
           case .path(let q, _) = other, case .category(let words)?? = fieldType(q, element: element) {
            guard words.contains(p[0].lowercased()) else {
                throw ExpressionError(text: text, column: column, message: "'\(p[0])' is not a value of \(q.joined(separator: ".")): "
                                      + words.joined(separator: ", ") + Self.hint(schema.suggestions(for: p[0], among: words)))
            }
            return (.literal(.string(p[0].lowercased())), .text)
        }
        return try check(e, text: text, element: element)
    }

    /// A text literal compared with a category: one of its words (any case), rewritten to it.
    func word(_ e: Expression, _ t: FieldType?, in words: [String], field: Expression, text: String) throws(ExpressionError) -> (Expression, FieldType?) {
        guard case .literal(.string(let s)) = e else { return (e, t) }
        guard let w = words.first(where: { $0 == s.lowercased() }) else {
            var name = "that field"
            if case .path(let p, _) = field { name = p.joined(separator: ".") }
            throw ExpressionError(text: text, column: Self.column(of: field),
                                  message: "'\(s)' is not a value of \(name): \(words.joined(separator: ", "))")
        }
        return (.literal(.string(w)), .category(words))
    }

    static func ranked(_ e: Expression, _ words: [String]) -> Expression {
        if case .literal(.string(let w)) = e, let i = words.firstIndex(of: w) { return .literal(.number(Double(i))) }
        return .rank(e, vocabulary: words)
    }

    func requireCondition(_ t: FieldType?, _ e: Expression, text: String) throws(ExpressionError) {
        if let t, t != .bool {
            throw ExpressionError(text: text, column: Self.column(of: e), message: "this is a \(Self.short(t)), not a condition: compare it (like age >= 65)")
        }
    }

    static func short(_ t: FieldType) -> String {
        if case .category = t { return "category" }
        return t.description
    }

    static func comparable(_ a: FieldType, _ b: FieldType) -> Bool {
        switch (a, b) {
        case (.number, .number), (.date, .date), (.bool, .bool), (.duration, .duration), (.text, .text): return true
        case (.date, .text), (.text, .date): return true   // a date written as text
        case (.category(let x), .category(let y)): return x == y
        case (.category, .text), (.text, .category): return true   // a text field against a category's word
        default: return false
        }
    }
}

extension Expression {
    /// The record paths this expression reads outside any `count(…)` (whose filters read an
    /// element's fields), each once, in order of appearance.
    public var recordPaths: [[String]] {
        var out: [[String]] = []
        func walk(_ e: Expression) {
            switch e {
            case .literal, .count: break
            case .path(let p, _), .exists(let p, _): if !out.contains(p) { out.append(p) }
            case .not(let x), .rank(let x, _), .inCodeList(let x, _, _, _): walk(x)
            case .and(let a, let b), .or(let a, let b), .compare(let a, _, let b, _), .add(let a, let b, _, _): walk(a); walk(b)
            }
        }
        walk(self)
        return out
    }
}
