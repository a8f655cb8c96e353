import CareCore

/// The intervention, as the user wrote it: a list and a condition on its elements
/// (`encounters where kind = "mdt-review"`, `events where code in codelist("mdt")`,
/// `care where kind = "reablement"`). A person's index date is the first matching element's
/// date, when that falls in the evaluation period.
public struct Intervention: Sendable {
    public let text: String
    public let list: String
    public let filter: Expression?

    /// Parses and checks `text` against the record schema (a misspelt field is a usage error).
    public init(_ text: String, checker: ExpressionChecker) throws {
        self.text = text
        let wrapped = "count(\(text)) > 0"
        let parsed: Expression
        do { parsed = try checker.checkCondition(try Expression.parse(wrapped), text: wrapped) } catch {
            throw CareError(.usage, "--intervention: \(error) (write a list and a condition: encounters where kind = \"mdt-review\")")
        }
        guard case .compare(.count(let list, let filter, let last, _, _), _, _, _) = parsed, last == nil else {
            throw CareError(.usage, "--intervention: write a list and a condition, like encounters where kind = \"mdt-review\" (no 'in last')")
        }
        self.list = list
        self.filter = filter
    }

    /// The date an element is dated by: `date` for events, `start` for encounters and care.
    var dateKey: String { list == "events" ? "date" : "start" }

    /// The first day any element matches (nil: never).
    public func firstDate(_ scope: ExpressionScope) -> ISODate? {
        var first: ISODate?
        for item in scope.elements(list) {
            guard let d = item[dateKey]?.stringValue.flatMap({ ISODate.parse($0) }), d.precision == .day else { continue }
            if let f = first, d >= f { continue }
            if let filter, !filter.evaluate(ElementScope(element: item, record: scope)).isTrue { continue }
            first = d
        }
        return first
    }
}
