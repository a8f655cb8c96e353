/// What an expression reads: a record's fields by path, and its lists for `count(…)`.
public protocol ExpressionScope {
    /// The value at `path`, or `.null` when absent.
    func value(_ path: [String]) -> ExpressionValue
    /// The elements of a list (encounters, events, care) as JSON objects.
    func elements(_ collection: String) -> [JSONValue]
    /// The day expressions are evaluated on (`in last 365d` ends here).
    var asOf: ISODate { get }
    /// False when no element of the list can hold any of `strings` (so nothing in it can match a
    /// filter that needs one of them): a scope over raw bytes answers without parsing the list.
    func mightContain(_ collection: String, anyOf strings: Set<String>) -> Bool
}

extension ExpressionScope {
    public func mightContain(_ collection: String, anyOf strings: Set<String>) -> Bool { true }
}

/// One element of a list, seen through the record: a path is looked up in the element first,
/// then in the record.
public struct ElementScope: ExpressionScope {
    public let element: JSONValue
    public let record: ExpressionScope
    public var asOf: ISODate { record.asOf }

    public init(element: JSONValue, record: ExpressionScope) {
        self.element = element
        self.record = record
    }

    public func value(_ path: [String]) -> ExpressionValue {
        var v: JSONValue? = element
        for name in path { v = v?[name] }
        if let v { return ExpressionValue(v) }
        return record.value(path)
    }

    /// A list of the element's own (an encounter's `diagnoses`), else the record's.
    public func elements(_ collection: String) -> [JSONValue] {
        if case .array(let items)? = element[collection] { return items }
        return record.elements(collection)
    }
}

/// One element of a list read straight from the record's bytes: a path is looked up in the
/// element first, then in `outer` (the record, or a pathway's scope).
public struct RawElementScope: ExpressionScope {
    public let record: RecordScope
    public let range: Range<Int>
    public let outer: ExpressionScope
    public var asOf: ISODate { outer.asOf }

    public init(record: RecordScope, range: Range<Int>, outer: ExpressionScope) {
        self.record = record
        self.range = range
        self.outer = outer
    }

    public func value(_ path: [String]) -> ExpressionValue {
        record.value(inElement: range, path) ?? outer.value(path)
    }

    /// A list of the element's own (an encounter's `diagnoses`), else the outer scope's.
    public func elements(_ collection: String) -> [JSONValue] {
        if let r = record.member(inElement: range, collection),
           case .array(let items)? = try? JSONValue(parsing: UnsafeBufferPointer(rebasing: record.line[r])) {
            return items
        }
        return outer.elements(collection)
    }
}

extension Expression {
    /// Evaluates against `scope`. Comparisons with a missing value are false (so `not (x > 3)`
    /// is true when x is missing); `and`/`or` take only `true` as true.
    public func evaluate(_ scope: ExpressionScope) -> ExpressionValue {
        switch self {
        case .literal(let v): return v
        case .path(let p, _): return scope.value(p)
        case .not(let e): return .bool(!e.evaluate(scope).isTrue)
        case .and(let a, let b): return .bool(a.evaluate(scope).isTrue && b.evaluate(scope).isTrue)
        case .or(let a, let b): return .bool(a.evaluate(scope).isTrue || b.evaluate(scope).isTrue)
        case .exists(let p, _): return .bool(scope.value(p) != .null)
        case .inCodeList(let e, _, let list, _):
            guard let list, case .string(let code) = e.evaluate(scope) else { return .bool(false) }
            // The code's own system: the `system` beside it (an element's, or a diagnosis's).
            var system: String?
            if case .path(let p, _) = e, case .string(let s) = scope.value(Array(p.dropLast()) + ["system"]) { system = s }
            return .bool(list.contains(code, system: system))
        case .rank(let e, let words):
            guard case .string(let s) = e.evaluate(scope) else { return .null }
            if let i = words.firstIndex(of: s) ?? words.firstIndex(of: s.lowercased()) { return .number(Double(i)) }
            return .null
        case .compare(let a, let op, let b, _):
            let x = a.evaluate(scope), y = b.evaluate(scope)
            if op == .equal || op == .notEqual {
                let same: Bool
                if case .string(let a) = x, case .string(let b) = y {
                    same = a == b   // no scale needed to tell equal words
                } else if x == .null || y == .null { same = x == y } else { same = ExpressionValue.order(x, y) == 0 }
                return .bool(op == .equal ? same : !same)
            }
            guard let o = ExpressionValue.order(x, y) else { return .bool(false) }
            switch op {
            case .less: return .bool(o < 0)
            case .lessOrEqual: return .bool(o <= 0)
            case .greater: return .bool(o > 0)
            default: return .bool(o >= 0)
            }
        case .add(let a, let b, let subtract, _):
            let x = a.evaluate(scope), y = b.evaluate(scope)
            switch (x, y) {
            case let (.number(m), .number(n)): return .number(subtract ? m - n : m + n)
            case let (_, .duration(d)):
                guard let date = x.asDate else { return .null }
                return .date(d.moving(date, sign: subtract ? -1 : 1))
            default:
                if subtract, let d1 = x.asDate, let d2 = y.asDate { return .number(Double(d1.dayNumber - d2.dayNumber)) }
                return .null
            }
        case .count(let collection, let filter, let last, _, let required):
            if let needed = required, !scope.mightContain(collection, anyOf: needed) { return .number(0) }
            let items = scope.elements(collection)
            let from = last.map { $0.moving(scope.asOf, sign: -1) }
            let dateKey = collection == "events" ? "date" : "start"
            var n = 0
            for item in items {
                if let from {
                    guard let d = item[dateKey]?.stringValue.flatMap({ ISODate.parse($0) }),
                          d >= from, d <= scope.asOf else { continue }
                }
                if let filter, !filter.evaluate(ElementScope(element: item, record: scope)).isTrue { continue }
                n += 1
            }
            return .number(Double(n))
        }
    }

    /// Whether the expression holds for `scope`.
    public func holds(_ scope: ExpressionScope) -> Bool { evaluate(scope).isTrue }
}

extension Expression {
    /// Strings of which at least one must appear in an element for this expression to hold
    /// there (`code = "X" or code = "Y"` needs "X" or "Y"); nil when no such set is known.
    ///
    /// Only a comparison of an element's own field (one name that is not a record-level key, a
    /// derived field or a pathway name, which an element scope would look up elsewhere) with plain
    /// ASCII text (written the same way in any JSON) counts.
    public var requiredStrings: Set<String>? {
        switch self {
        case .compare(.path(let p, _), .equal, .literal(.string(let s)), _), .compare(.literal(.string(let s)), .equal, .path(let p, _), _):
            guard p.count == 1, !Self.recordLevelNames.contains(p[0]),
                  !s.isEmpty, s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) else { return nil }
            return [s]
        case .inCodeList(.path(let p, _), _, let list?, _):
            // A short list is worth a byte search of the list before parsing it; a long one is not.
            guard p.count == 1, !Self.recordLevelNames.contains(p[0]), list.count <= 32,
                  list.allCodes.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C } }) else { return nil }
            return list.allCodes
        case .or(let a, let b):
            guard let x = a.requiredStrings, let y = b.requiredStrings else { return nil }
            return x.union(y)
        case .and(let a, let b):
            return a.requiredStrings ?? b.requiredStrings
        default:
            return nil
        }
    }

    /// Names a path inside an element may resolve outside it: the record schema's top-level
    /// names (schema 1, the derived fields, `risk`, `pathways`) and the names pathway expressions
    /// add. Taken from `RecordSchema`, so the two lists cannot drift.
    static let recordLevelNames: Set<String> =
        Set(RecordSchema.standard.fields.map { String($0.path.prefix { $0 != "." }) }).union(["trigger", "steps"])
}
