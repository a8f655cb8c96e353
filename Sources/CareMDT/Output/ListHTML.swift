import CareCore

/// A printable agenda per group: self-contained HTML (inline CSS, no scripts, no network),
/// landscape A4, one row per person with a wide blank "Actions agreed" column. Rows are compact
/// so a typical agenda of 10 to 20 people takes as few pages as it can, and no person is split
/// across pages; the header row repeats on each page.
enum ListHTML {
    static let style = """
    @page { size: A4 landscape; margin: 9mm 10mm; }
    body { font-family: Arial, Helvetica, sans-serif; font-size: 8.5pt; color: #212b32; margin: 0; }
    h1 { font-size: 14pt; margin: 0 0 2pt; color: #005eb8; }
    h2 { font-size: 11pt; margin: 10pt 0 3pt; break-after: avoid; }
    p.meta { margin: 0 0 5pt; color: #4c6272; } p.meta small, small.code { color: #768692; }
    p.selection { margin: 0 0 1pt; font-size: 10pt; font-weight: bold; }
    p.empty { font-size: 11pt; margin: 8pt 0; }
    table { border-collapse: collapse; width: 100%; table-layout: fixed; }
    thead { display: table-header-group; }
    th, td { border: 1px solid #aeb7bd; padding: 2pt 3pt; vertical-align: top; text-align: left; overflow-wrap: break-word; }
    th { background: #e8edee; }
    td.n { text-align: right; }
    tr { break-inside: avoid; page-break-inside: avoid; }
    tr.total td { font-weight: bold; background: #f0f4f5; }
    section { break-after: page; page-break-after: always; }
    section:last-child { break-after: auto; page-break-after: auto; }
    ul { margin: 0; padding-left: 9pt; } li { margin: 0; }
    .nowrap { white-space: nowrap; }
    .new { font-weight: bold; }
    .code { font-size: 6.5pt; }
    .overdue { color: #d5281b; font-weight: bold; } .due { font-weight: bold; }
    .note { font-size: 7pt; color: #4c6272; }
    """

    static func page(_ title: String, _ body: String) -> String {
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>\(esc(title))</title>\n<style>\n\(style)\n</style>\n</head>\n<body>\n\(body)</body>\n</html>\n"
    }

    /// The selection, for people: the title when there is one, the expression in small print.
    static func selection(_ lists: MDTLists) -> String {
        var s = ""
        if let t = lists.settings.title { s += "<p class=\"selection\">\(esc(t))</p>\n" }
        s += "<p class=\"meta\">\(lists.settings.title == nil ? esc(lists.method) : "<small>\(esc(lists.method))</small>")"
        return s
    }

    static func render(_ groups: ArraySlice<MDTGroup>, lists: MDTLists) -> String {
        var body = ""
        for g in groups {
            body += "<section>\n<h1>\(esc(lists.meeting(g))) — \(lists.settings.asOf)</h1>\n"
            body += selection(lists)
            body += "<br>Group: \(esc(g.name))\(lists.settings.teams.practiceNames[g.name].map { " (\(esc($0)))" } ?? "")\(g.team.map { ", team \(esc($0))" } ?? ""). "
            body += "\(people(g.entries.count)) (\(g.entries.filter { $0.status == "new" }.count) new)"
            if lists.settings.previous != nil { body += "; \(g.left.count) left since the last list" }
            body += ".</p>\n"
            if g.entries.isEmpty {
                body += "<p class=\"empty\">Nobody in this group met the selection tonight (\(people(g.eligible)) eligible).</p>\n"
            } else {
                body += "<table>\n<colgroup><col style=\"width:2.5%\"><col style=\"width:9.5%\"><col style=\"width:14%\"><col style=\"width:30%\">"
                body += "<col style=\"width:13%\"><col style=\"width:16%\"><col style=\"width:15%\"></colgroup>\n"
                body += "<thead><tr><th>#</th><th>Person</th><th>Scores</th><th>Why</th><th>Recent</th><th>What happens next</th><th>Actions agreed</th></tr></thead>\n<tbody>\n"
                for e in g.entries {
                    body += "<tr><td>\(e.position)</td><td>\(person(e))</td><td>\(scores(e))</td><td>\(why(e))</td>"
                    body += "<td>\(e.recent.prefix(3).map(esc).joined(separator: "<br>"))</td><td>\(next(e))</td><td></td></tr>\n"
                }
                body += "</tbody>\n</table>\n"
                if g.entries.contains(where: { $0.scores.contains { $0.model == "Elixhauser" && (Double($0.score) ?? 0) < 0 } }) {
                    body += "<p class=\"note\">\(esc(Self.negativeElixhauser))</p>\n"
                }
            }
            if !g.left.isEmpty {
                body += "<h2>Left since the last list</h2>\n<table>\n<thead><tr><th>NHS number</th><th>Reason</th></tr></thead>\n<tbody>\n"
                for l in g.left { body += "<tr><td class=\"nowrap\">\(esc(l.shownIdentity))</td><td>\(esc(l.reason))</td></tr>\n" }
                body += "</tbody>\n</table>\n"
            }
            body += "</section>\n"
        }
        let title = groups.count == 1 ? "\(lists.meeting(groups.first!)) — \(lists.settings.asOf)" : "MDT review lists — \(lists.settings.asOf)"
        if groups.isEmpty { body = "<h1>\(esc(title))</h1>\n" + selection(lists) + "</p>\n" + nobody(lists) }
        return page(title, body)
    }

    /// What an Elixhauser score below zero means, where one appears.
    static let negativeElixhauser = "Elixhauser below 0: van Walraven's weights are negative for some conditions (such as depression, obesity, drug or alcohol use), "
        + "which in the index's hospital data went with lower in-hospital mortality; a negative score is not a sign of low need. The conditions are under Why."

    /// The NHS number (never split), age band and sex, and whether the person is new.
    static func person(_ e: ListEntry) -> String {
        var s = "<span class=\"nowrap\">\(esc(e.shownIdentity))</span><br><span class=\"nowrap\">\(esc(e.ageBand ?? ""))</span> \(esc(e.sex ?? ""))"
        let equity = [e.core20 == true ? "Core20" : nil, e.ethnicGroup].compactMap { $0 }
        if !equity.isEmpty { s += "<br><small>\(esc(equity.joined(separator: " · ")))</small>" }
        s += "<br><span class=\"\(e.status)\">\(e.status)</span>"
        return s
    }

    /// The scores in three lines at most: eFI, HFRS, then the comorbidity and readmission scores.
    static func scores(_ e: ListEntry) -> String {
        let texts = e.scores.map { s in
            var t = esc(s.text)
            if s.model == "Elixhauser", let v = Double(s.score), v < 0 { t += " <span class=\"note\">(below 0: see note)</span>" }
            return (s.model, t)
        }
        let own = texts.filter { $0.0 == "eFI" || $0.0 == "HFRS" }.map(\.1)
        let rest = texts.filter { $0.0 != "eFI" && $0.0 != "HFRS" }.map(\.1)
        return (own + (rest.isEmpty ? [] : [rest.joined(separator: " · ")])).joined(separator: "<br>")
    }

    /// The reasons grouped by model, words first, each code in small print.
    static func why(_ e: ListEntry) -> String {
        var order: [String] = [], byModel: [String: [Reason]] = [:]
        for r in e.reasonItems {
            if byModel[r.model] == nil { order.append(r.model) }
            byModel[r.model, default: []].append(r)
        }
        return list(order.map { m in
            "<b>\(esc(m))</b> " + byModel[m]!.map { r in
                esc(r.words) + (r.codeText.map { " <small class=\"code\">\(esc($0))</small>" } ?? "")
            }.joined(separator: "; ")
        })
    }

    static func next(_ e: ListEntry) -> String {
        list(e.next.prefix(NextStep.shown).map { n in
            "<span class=\"\(n.state == .overdue ? "overdue" : "due")\">\(esc(n.when))</span>: \(esc(n.step)) <small class=\"code\">\(esc(n.pathway))</small>"
        } + (e.next.count > NextStep.shown ? ["and \(e.next.count - NextStep.shown) more"] : []))
    }

    /// An empty night: said plainly, with where everyone went.
    static func nobody(_ lists: MDTLists) -> String {
        var s = "<p class=\"empty\">Nobody met the selection tonight: \(people(lists.peopleRead)) read.</p>\n"
        if !lists.filtered.isEmpty {
            s += "<p class=\"meta\">Not listed: " + lists.filtered.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\(esc($0.key)): \($0.value)" }.joined(separator: ", ") + ".</p>\n"
        }
        return s
    }

    static func index(_ lists: MDTLists, ext: String) -> String {
        var body = "<h1>MDT review lists — \(lists.settings.asOf)</h1>\n" + selection(lists) + "</p>\n"
        if lists.groups.isEmpty { return page("MDT review lists — \(lists.settings.asOf)", body + nobody(lists)) }
        let names = lists.settings.teams.practiceNames
        body += "<table>\n<thead><tr><th>Group</th>\(names.isEmpty ? "" : "<th>Name</th>")<th>Team</th><th>People</th><th>New</th><th>Left</th><th>List</th></tr></thead>\n<tbody>\n"
        for g in lists.groups {
            let file = MDTLists.fileName(g.name) + "." + ext
            body += "<tr><td>\(esc(g.name))</td>\(names.isEmpty ? "" : "<td>\(esc(names[g.name] ?? ""))</td>")<td>\(esc(g.team ?? ""))</td><td class=\"n\">\(g.entries.count)</td>"
            body += "<td class=\"n\">\(g.entries.filter { $0.status == "new" }.count)</td><td class=\"n\">\(g.left.count)</td><td><a href=\"\(esc(file))\">\(esc(file))</a></td></tr>\n"
        }
        let total = lists.groups.reduce(0) { $0 + $1.entries.count }, new = lists.groups.reduce(0) { $0 + $1.entries.filter { $0.status == "new" }.count }
        body += "<tr class=\"total\"><td>Total (\(lists.groups.count) lists)</td>\(names.isEmpty ? "" : "<td></td>")<td></td><td class=\"n\">\(total)</td><td class=\"n\">\(new)</td>"
        body += "<td class=\"n\">\(lists.groups.reduce(0) { $0 + $1.left.count })</td><td></td></tr>\n"
        body += "</tbody>\n</table>\n"
        return page("MDT review lists — \(lists.settings.asOf)", body)
    }

    static func list(_ items: [String]) -> String {
        items.isEmpty ? "" : "<ul>" + items.map { "<li>\($0)</li>" }.joined() + "</ul>"
    }

    static func esc(_ s: String) -> String { HTMLText.escape(s) }
}
