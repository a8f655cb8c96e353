import CareCore

/// The forms a list is written in (`--format`).
public enum ListFormat: String, CaseIterable, Sendable {
    case jsonl, csv, markdown, html

    public var fileExtension: String {
        switch self {
        case .jsonl: "jsonl"
        case .csv: "csv"
        case .markdown: "md"
        case .html: "html"
        }
    }

    /// One group's list, or every group's (when `groups` has several) in one document.
    public func render(_ groups: ArraySlice<MDTGroup>, lists: MDTLists) -> [UInt8] {
        switch self {
        case .jsonl: ListJSONL.render(groups, lists: lists)
        case .csv: ListCSV.render(groups, lists: lists)
        case .markdown: Array(ListMarkdown.render(groups, lists: lists).utf8)
        case .html: Array(ListHTML.render(groups, lists: lists).utf8)
        }
    }

    /// The index of an `--out-dir`: each group, its file and its counts.
    public func index(_ lists: MDTLists) -> [UInt8] {
        switch self {
        case .jsonl: ListJSONL.index(lists, ext: fileExtension)
        case .csv: ListCSV.index(lists, ext: fileExtension)
        case .markdown: Array(ListMarkdown.index(lists, ext: fileExtension).utf8)
        case .html: Array(ListHTML.index(lists, ext: fileExtension).utf8)
        }
    }
}

public typealias MDTGroup = (name: String, team: String?, entries: [ListEntry], left: [LeftEntry], eligible: Int)

extension MDTLists {
    /// A file name for a group: letters, digits, `-` and `_` kept, the rest `_`.
    public static func fileName(_ group: String) -> String {
        let kept = group.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }
        return kept.isEmpty ? "_" : String(kept)
    }

    /// The meeting a group's list is for.
    public func meeting(_ g: MDTGroup) -> String {
        meetingNames[g.name] ?? g.team.flatMap { meetingNames[$0] } ?? "MDT review: \(g.name)"
    }

    /// One line saying how the list was made.
    public var method: String {
        var s = "As of \(settings.asOf)."
        if let w = settings.filterText { s += " Selected where \(w)." }
        s += " Ranked by \(settings.rankBy.map { "\($0.text) \($0.descending ? "desc" : "asc")" }.joined(separator: ", "))."
        switch settings.size {
        case .top(let n): s += " Top \(n) per \(settings.groupBy)."
        case .topPercent(let p): s += " Top \(ExpressionValue.number(p).description) % of each \(settings.groupBy)'s eligible people."
        }
        return s
    }
}

/// An NHS number as people read it: 943 476 5919.
func spacedNHSNumber(_ s: String) -> String {
    guard s.count == 10, s.allSatisfy(\.isNumber) else { return s }
    let a = Array(s)
    return String(a[0..<3]) + " " + String(a[3..<6]) + " " + String(a[6..<10])
}

extension ListEntry {
    /// "eFI 0.361 severe"; an Elixhauser score below 0 says what that means.
    var scoreText: [String] {
        scores.map { s in
            var t = s.text
            if s.model == "Elixhauser", let v = Double(s.score), v < 0 { t += " (below 0: its conditions carry negative weights, not a sign of low need)" }
            return t
        }
    }
    /// What identifies the person on a printed list: the NHS number, else the record id.
    var shownIdentity: String { spacedNHSNumber(nhsNumber ?? id) }
}

extension LeftEntry {
    var shownIdentity: String { spacedNHSNumber(nhsNumber ?? id) }
}

/// "1 person", "3 people".
func people(_ n: Int) -> String { n == 1 ? "1 person" : "\(n) people" }
