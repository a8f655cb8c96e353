/// The record expression language shared by mdt-list (`--where`, `--rank-by`), pathway-audit and
/// outcome-report. docs/expressions.md is its reference; this file is its grammar:
///
///     expression  := or
///     or          := and ("or" and)*
///     and         := not ("and" not)*
///     not         := "not" not | comparison
///     comparison  := sum (("=" | "==" | "!=" | "<" | "<=" | ">" | ">=") sum
///                         | "in" "(" sum ("," sum)* ")" | "in" "codelist" "(" string ")"
///                         | "between" sum "and" sum)?
///     sum         := primary (("+" | "-") primary)*
///     primary     := number | duration | date | string | "true" | "false" | "null"
///                  | path | "(" expression ")"
///                  | "count" "(" name ("where" expression)? ("in" "last" duration)? ")"
///                  | "exists" "(" path ")"
///     path        := name ("." name)*
///     duration    := number ("d" | "w" | "m" | "y")      (365d, 12w, 6m, 2y)
///     date        := YYYY-MM-DD
///
/// Precedence, loosest first: or, and, not, comparison, + and -. Keywords are lower case.

/// A parse or evaluation error, pointing at the column (1-based) of the expression text.
public struct ExpressionError: Error, CustomStringConvertible, Sendable, Equatable {
    public var text: String
    public var column: Int
    public var message: String

    public init(text: String, column: Int, message: String) {
        self.text = text; self.column = column; self.message = message
    }

    /// `column 12: expected …`, then the expression with a caret under the column.
    public var description: String {
        "column \(column): \(message)\n  \(text)\n  \(String(repeating: " ", count: max(0, column - 1)))^"
    }
}

/// A length of time: whole days, or calendar months (months and years are counted on the
/// calendar, so "1m" before 31 March is 28 or 29 February).
public struct Duration: Equatable, Sendable, CustomStringConvertible {
    public var days: Int
    public var months: Int
    public init(days: Int = 0, months: Int = 0) { self.days = days; self.months = months }
    /// The longest duration the language accepts.
    public static let maxYears = 1000

    public var description: String { months == 0 ? "\(days)d" : months % 12 == 0 ? "\(months / 12)y" : "\(months)m" }

    /// `date` moved by this duration (`sign` -1 to go back). The day of month is kept where the
    /// target month has it, else its last day.
    public func moving(_ date: ISODate, sign: Int = 1) -> ISODate {
        var d = date
        if months != 0 {
            let total = d.year * 12 + (d.month - 1) + sign * months
            let y = total / 12, m = total % 12 + 1
            d = ISODate(year: y, month: m, day: min(d.day, ISODate.daysIn(month: m, year: y)))
        }
        return days == 0 ? d : d.adding(days: sign * days)
    }
}

public indirect enum Expression: Sendable, Equatable {
    public enum Comparison: String, Sendable { case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=" }

    case literal(ExpressionValue)
    case path([String], column: Int)
    case not(Expression)
    case and(Expression, Expression)
    case or(Expression, Expression)
    case compare(Expression, Comparison, Expression, column: Int)
    case add(Expression, Expression, subtract: Bool, column: Int)
    /// `required`: the filter's `requiredStrings`, worked out once when the expression is built
    /// (they are asked for on every person).
    case count(collection: String, filter: Expression?, last: Duration?, column: Int, required: Set<String>? = nil)
    case exists([String], column: Int)
    /// A category field's word as its rank in the field's vocabulary (0 for the first), or null
    /// for a word outside it: the checker writes this, so categories compare in their own order.
    case rank(Expression, vocabulary: [String])
    /// `code in codelist("name")`: the value is on the named code list (in the element's own
    /// `system`, where the list and the element both say one). The list is filled in by
    /// `ExpressionChecker` from its `CodeListLibrary`; unfilled, nothing is on it.
    case inCodeList(Expression, name: String, list: CodeList?, column: Int)

    /// Parses `text`; errors name the column.
    public static func parse(_ text: String) throws(ExpressionError) -> Expression {
        var p = ExpressionParser(text: text)
        let e = try p.parseExpression()
        if p.peek.kind != .end { throw p.error("unexpected \(p.peek.describe) after the expression", at: p.peek) }
        return e
    }
}

struct Token: Equatable {
    enum Kind: Equatable { case name, number, duration, date, string, symbol, end }
    var kind: Kind
    var text: String
    var column: Int

    var describe: String {
        switch kind {
        case .end: "the end"
        case .string: "the string \"\(text)\""
        default: "'\(text)'"
        }
    }
}

struct ExpressionLexer {
    static func tokens(_ text: String) throws(ExpressionError) -> [Token] {
        let chars = Array(text.unicodeScalars)
        var out: [Token] = []
        var i = 0
        func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
        func isNameStart(_ c: Unicode.Scalar) -> Bool { (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_" }
        while i < chars.count {
            let c = chars[i]
            let column = i + 1
            if c == " " || c == "\t" || c == "\n" { i += 1; continue }
            if isNameStart(c) {
                var j = i
                while j < chars.count && (isNameStart(chars[j]) || isDigit(chars[j])) { j += 1 }
                out.append(Token(kind: .name, text: String(String.UnicodeScalarView(chars[i..<j])), column: column))
                i = j
            } else if isDigit(c) {
                var j = i
                while j < chars.count && (isDigit(chars[j]) || chars[j] == ".") { j += 1 }
                // A date: 2026-04-01.
                if j - i == 4, j + 6 <= chars.count, chars[j] == "-",
                   isDigit(chars[j + 1]), isDigit(chars[j + 2]), chars[j + 3] == "-", isDigit(chars[j + 4]), isDigit(chars[j + 5]) {
                    let s = String(String.UnicodeScalarView(chars[i..<(j + 6)]))
                    guard ISODate.parse(s) != nil else { throw ExpressionError(text: text, column: column, message: "'\(s)' is not a date") }
                    out.append(Token(kind: .date, text: s, column: column))
                    i = j + 6
                    continue
                }
                let number = String(String.UnicodeScalarView(chars[i..<j]))
                if j < chars.count, "dwmy".unicodeScalars.contains(chars[j]), !(j + 1 < chars.count && (isNameStart(chars[j + 1]) || isDigit(chars[j + 1]))) {
                    guard let n = Int(number) else { throw ExpressionError(text: text, column: column, message: "a duration is a whole number and a unit: 365d, 12w, 6m, 2y") }
                    // At most a thousand years, so no date moved by it can overflow (docs/limits.md).
                    let limit: [Unicode.Scalar: Int] = ["d": Duration.maxYears * 366, "w": Duration.maxYears * 53, "m": Duration.maxYears * 12, "y": Duration.maxYears]
                    guard n <= limit[chars[j]]! else {
                        throw ExpressionError(text: text, column: column, message: "a duration is at most \(Duration.maxYears) years (\(limit[chars[j]]!)\(chars[j]))")
                    }
                    out.append(Token(kind: .duration, text: number + String(chars[j]), column: column))
                    i = j + 1
                } else {
                    guard Double(number) != nil else { throw ExpressionError(text: text, column: column, message: "'\(number)' is not a number") }
                    out.append(Token(kind: .number, text: number, column: column))
                    i = j
                }
            } else if c == "\"" || c == "'" {
                var j = i + 1
                var s = String.UnicodeScalarView()
                while j < chars.count && chars[j] != c {
                    if chars[j] == "\\", j + 1 < chars.count { j += 1 }
                    s.append(chars[j])
                    j += 1
                }
                guard j < chars.count else { throw ExpressionError(text: text, column: column, message: "unterminated string") }
                out.append(Token(kind: .string, text: String(s), column: column))
                i = j + 1
            } else {
                let two = i + 1 < chars.count ? String(String.UnicodeScalarView([c, chars[i + 1]])) : ""
                if ["==", "!=", "<=", ">="].contains(two) {
                    out.append(Token(kind: .symbol, text: two, column: column))
                    i += 2
                } else if "=<>+-(),.".unicodeScalars.contains(c) {
                    out.append(Token(kind: .symbol, text: String(c), column: column))
                    i += 1
                } else {
                    throw ExpressionError(text: text, column: column, message: "unexpected character '\(c)'")
                }
            }
        }
        out.append(Token(kind: .end, text: "", column: chars.count + 1))
        return out
    }
}

struct ExpressionParser {
    let text: String
    var tokens: [Token] = []
    var index = 0
    var lexError: ExpressionError?
    /// How deep parentheses and `not`s nest now; past `maxDepth` the text is refused rather
    /// than overflowing the stack (docs/limits.md).
    var depth = 0
    static let maxDepth = 200
    static let keywords: Set<String> = ["and", "or", "not", "where", "in", "last", "count", "exists", "true", "false", "null", "between", "codelist"]

    init(text: String) {
        self.text = text
        do { tokens = try ExpressionLexer.tokens(text) } catch { lexError = error; tokens = [Token(kind: .end, text: "", column: 1)] }
    }

    var peek: Token { tokens[index] }
    mutating func next() -> Token { defer { index += 1 }; return tokens[index] }
    func error(_ message: String, at t: Token) -> ExpressionError { ExpressionError(text: text, column: t.column, message: message) }
    func isKeyword(_ t: Token, _ word: String) -> Bool { t.kind == .name && t.text == word }
    func isSymbol(_ t: Token, _ s: String) -> Bool { t.kind == .symbol && t.text == s }

    mutating func expect(_ symbol: String, _ what: String) throws(ExpressionError) {
        guard isSymbol(peek, symbol) else { throw error("expected \(what), found \(peek.describe)", at: peek) }
        index += 1
    }

    mutating func parseExpression() throws(ExpressionError) -> Expression {
        if let lexError { throw lexError }
        return try parseOr()
    }

    mutating func parseOr() throws(ExpressionError) -> Expression {
        var e = try parseAnd()
        while isKeyword(peek, "or") { index += 1; e = .or(e, try parseAnd()) }
        return e
    }

    mutating func parseAnd() throws(ExpressionError) -> Expression {
        var e = try parseNot()
        while isKeyword(peek, "and") { index += 1; e = .and(e, try parseNot()) }
        return e
    }

    mutating func parseNot() throws(ExpressionError) -> Expression {
        if isKeyword(peek, "not") {
            try enter(peek)
            defer { depth -= 1 }
            index += 1
            return .not(try parseNot())
        }
        return try parseComparison()
    }

    mutating func enter(_ t: Token) throws(ExpressionError) {
        depth += 1
        if depth > Self.maxDepth { throw error("the expression nests more than \(Self.maxDepth) deep", at: t) }
    }

    mutating func parseComparison() throws(ExpressionError) -> Expression {
        let left = try parseSum()
        let t = peek
        let ops: [String: Expression.Comparison] = ["=": .equal, "==": .equal, "!=": .notEqual, "<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual]
        if t.kind == .symbol, let op = ops[t.text] {
            index += 1
            let right = try parseSum()
            return .compare(left, op, right, column: t.column)
        }
        // x in codelist("name"): x is on the named code list.
        if isKeyword(t, "in"), index + 2 < tokens.count, isKeyword(tokens[index + 1], "codelist"), isSymbol(tokens[index + 2], "(") {
            index += 3
            let name = next()
            guard name.kind == .string, !name.text.isEmpty else { throw error("codelist( needs the list's name in quotes: codelist(\"falls\")", at: name) }
            try expect(")", "')' to close codelist(")
            return .inCodeList(left, name: name.text, list: nil, column: name.column)
        }
        // x in (a, b, c): x = a or x = b or x = c.
        if isKeyword(t, "in"), index + 1 < tokens.count, isSymbol(tokens[index + 1], "(") {
            index += 2
            var e = Expression.compare(left, .equal, try parseSum(), column: t.column)
            while isSymbol(peek, ",") {
                index += 1
                e = .or(e, .compare(left, .equal, try parseSum(), column: t.column))
            }
            try expect(")", "')' to close in (…)")
            return e
        }
        // x between a and b: a <= x <= b, both ends included.
        if isKeyword(t, "between") {
            index += 1
            let low = try parseSum()
            guard isKeyword(peek, "and") else { throw error("expected 'and' in between … and …", at: peek) }
            index += 1
            let high = try parseSum()
            return .and(.compare(left, .greaterOrEqual, low, column: t.column), .compare(left, .lessOrEqual, high, column: t.column))
        }
        return left
    }

    mutating func parseSum() throws(ExpressionError) -> Expression {
        var e = try parsePrimary()
        while isSymbol(peek, "+") || isSymbol(peek, "-") {
            let t = next()
            e = .add(e, try parsePrimary(), subtract: t.text == "-", column: t.column)
        }
        return e
    }

    mutating func parseDuration(_ t: Token) -> Duration {
        let n = Int(t.text.dropLast())!
        switch t.text.last! {
        case "d": return Duration(days: n)
        case "w": return Duration(days: 7 * n)
        case "m": return Duration(months: n)
        default: return Duration(months: 12 * n)
        }
    }

    mutating func parsePath(_ first: Token) throws(ExpressionError) -> [String] {
        var names = [first.text]
        while isSymbol(peek, ".") {
            index += 1
            let t = next()
            guard t.kind == .name else { throw error("expected a field name after '.', found \(t.describe)", at: t) }
            names.append(t.text)
        }
        return names
    }

    mutating func parsePrimary() throws(ExpressionError) -> Expression {
        let t = next()
        switch t.kind {
        case .number: return .literal(.number(Double(t.text)!))
        case .duration: return .literal(.duration(parseDuration(t)))
        case .date: return .literal(.date(ISODate.parse(t.text)!))
        case .string: return .literal(.string(t.text))
        case .end: throw error("the expression ends too soon: expected a value", at: t)
        case .symbol:
            if t.text == "(" {
                try enter(t)
                defer { depth -= 1 }
                let e = try parseOr()
                try expect(")", "')'")
                return e
            }
            if t.text == "-", peek.kind == .number {
                let n = next()
                return .literal(.number(-Double(n.text)!))
            }
            throw error("expected a value, found \(t.describe)", at: t)
        case .name:
            switch t.text {
            case "true": return .literal(.bool(true))
            case "false": return .literal(.bool(false))
            case "null": return .literal(.null)
            case "count" where isSymbol(peek, "("):
                index += 1
                let c = next()
                guard c.kind == .name, !Self.keywords.contains(c.text) else {
                    throw error("count( needs a list: encounters, events or care", at: c)
                }
                var filter: Expression?
                var last: Duration?
                if isKeyword(peek, "where") { index += 1; filter = try parseOr() }
                if isKeyword(peek, "in") {
                    index += 1
                    guard isKeyword(peek, "last") else { throw error("expected 'last' after 'in' (in last 365d)", at: peek) }
                    index += 1
                    let d = next()
                    guard d.kind == .duration else { throw error("expected a duration like 365d, 12w, 6m or 2y", at: d) }
                    last = parseDuration(d)
                }
                try expect(")", "')' to close count(")
                return .count(collection: c.text, filter: filter, last: last, column: t.column, required: filter?.requiredStrings)
            case "exists" where isSymbol(peek, "("):
                index += 1
                let p = next()
                guard p.kind == .name else { throw error("exists( needs a field", at: p) }
                let path = try parsePath(p)
                try expect(")", "')' to close exists(")
                return .exists(path, column: p.column)
            default:
                if Self.keywords.contains(t.text) { throw error("expected a value, found the keyword '\(t.text)'", at: t) }
                // A category word on its own is a value (risk.efi.category >= moderate).
                if ExpressionValue.isCategoryWord(t.text) && !isSymbol(peek, ".") { return .literal(.string(t.text)) }
                return .path(try parsePath(t), column: t.column)
            }
        }
    }
}
