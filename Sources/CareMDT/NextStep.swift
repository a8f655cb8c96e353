import CareCore

/// What happens next for a person on a list: a pathway step open tonight (`pending`, with the
/// day its window closes) or missed in the last four weeks (overdue), read from the `pathways`
/// pathway-audit added to the record. "You know what is going to happen next."
public struct NextStep: Sendable {
    public enum State: String, Sendable { case due, overdue }
    public var pathway: String
    public var step: String
    /// The last day of the step's window (nil for a window with no end).
    public var due: ISODate?
    public var state: State

    /// Missed steps shown as overdue when their window closed this long ago or less.
    public static let overdueWindow = 28
    /// At most this many on a list line.
    public static let shown = 4

    /// "due by 2026-04-05" or "overdue since 2026-03-20".
    public var when: String {
        switch state {
        case .due: return due.map { "due by \($0)" } ?? "due"
        case .overdue: return "overdue since \(due.map(\.description) ?? "")"
        }
    }

    /// "Contact within 7 days of discharge: due by 2026-04-05 — Emergency discharge follow-up".
    public var text: String { "\(step): \(when) — \(pathway)" }

    /// The open and lately missed steps of every pathway instance in the record, overdue first,
    /// then by due day.
    static func open(in record: RecordScope) -> [NextStep] {
        guard let range = record.raw("pathways"), let pw = try? JSONValue(parsing: UnsafeBufferPointer(rebasing: record.line[range])),
              case .object(let members) = pw else { return [] }
        let since = record.asOf.adding(days: -overdueWindow)
        var out: [NextStep] = []
        for (id, value) in members {
            guard case .array(let instances) = value else { continue }
            for inst in instances {
                let pathway = inst["title"]?.stringValue ?? id
                guard case .array(let steps)? = inst["steps"] else { continue }
                for st in steps where st["marker"] != .bool(true) {
                    let title = st["title"]?.stringValue ?? st["id"]?.stringValue ?? "step"
                    let due = st["window"]?["to"]?.stringValue.flatMap { ISODate.parse($0) }
                    switch st["status"]?.stringValue {
                    case "pending"?:
                        out.append(NextStep(pathway: pathway, step: title, due: due, state: .due))
                    case "missed"? where due.map({ $0 >= since && $0 <= record.asOf }) ?? false:
                        out.append(NextStep(pathway: pathway, step: title, due: due, state: .overdue))
                    default: break
                    }
                }
            }
        }
        return out.sorted { a, b in
            if a.state != b.state { return a.state == .overdue }
            return (a.due ?? .distantFuture, a.pathway, a.step) < (b.due ?? .distantFuture, b.pathway, b.step)
        }
    }
}

extension ISODate {
    static let distantFuture = ISODate(year: 9999, month: 12, day: 31)
}
