import CareCore

/// When a step counts: `within 7d after trigger.end`, `within 28d before trigger.start`,
/// `after trigger.end`, `before trigger.start`, `between trigger.start - 1y and steps.admission.date`.
/// The references are expressions that give dates (docs/pathways.md).
public struct WindowSpec: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case withinAfter(Duration), withinBefore(Duration), after, before, between }
    public var kind: Kind
    public var reference: Expression
    public var end: Expression?
    public var text: String

    /// Parses the window text; `column` of an error is within `text` (1-based).
    public init(parsing text: String) throws(ExpressionError) {
        self.text = text
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        func rest(after n: Int) -> (String, Int) {
            // The remaining text and the column it starts at.
            var col = 0, seen = 0
            let chars = Array(text)
            var i = 0
            while i < chars.count && seen < n {
                while i < chars.count && chars[i] == " " { i += 1 }
                while i < chars.count && chars[i] != " " { i += 1 }
                seen += 1
            }
            while i < chars.count && chars[i] == " " { i += 1 }
            col = i
            return (String(chars[i...]), col + 1)
        }
        func parse(_ s: String, at column: Int) throws(ExpressionError) -> Expression {
            do { return try Expression.parse(s) } catch {
                throw ExpressionError(text: text, column: column + error.column - 1, message: error.message)
            }
        }
        guard let first = words.first else { throw ExpressionError(text: text, column: 1, message: "a window is needed, like 'within 7d after trigger.end'") }
        switch first {
        case "within":
            guard words.count >= 4, case .literal(.duration(let d))? = try? Expression.parse(String(words[1])),
                  words[2] == "after" || words[2] == "before" else {
                throw ExpressionError(text: text, column: 1, message: "expected 'within DURATION after|before REFERENCE'")
            }
            kind = words[2] == "after" ? .withinAfter(d) : .withinBefore(d)
            let (r, c) = rest(after: 3)
            reference = try parse(r, at: c)
        case "after", "before":
            kind = first == "after" ? .after : .before
            let (r, c) = rest(after: 1)
            reference = try parse(r, at: c)
        case "between":
            let (r, c) = rest(after: 1)
            guard let split = r.firstRange(of: " and ") else {
                throw ExpressionError(text: text, column: c, message: "expected 'between START and END'")
            }
            kind = .between
            reference = try parse(String(r[..<split.lowerBound]), at: c)
            let endStart = r.distance(from: r.startIndex, to: split.upperBound)
            end = try parse(String(r[split.upperBound...]), at: c + endStart)
        default:
            throw ExpressionError(text: text, column: 1, message: "a window starts with within, after, before or between")
        }
    }

    /// The window's first and last days (nil: open) and the day "days taken" counts from; nil
    /// when a reference has no date (a step it refers to did not happen).
    func bounds(_ scope: ExpressionScope) -> (from: ISODate?, to: ISODate?, anchor: ISODate)? {
        guard let ref = date(reference.evaluate(scope)) else { return nil }
        switch kind {
        case .withinAfter(let d): return (ref, d.moving(ref), ref)
        case .withinBefore(let d): return (d.moving(ref, sign: -1), ref, ref)
        case .after: return (ref, nil, ref)
        case .before: return (nil, ref, ref)
        case .between:
            guard let e = end.flatMap({ date($0.evaluate(scope)) }) else { return nil }
            return (ref, e, ref)
        }
    }

}

func date(_ v: ExpressionValue) -> ISODate? {
    switch v {
    case .date(let d): return d
    case .string(let s): return ISODate.parse(s)
    default: return nil
    }
}
