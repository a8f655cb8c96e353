import CareCore

/// A printable agenda per group: self-contained HTML (inline CSS, no scripts, no network),
/// landscape A4, one row per person with a wide blank "Actions agreed" column.
enum ListHTML {
    static let style = """
    @page { size: A4 landscape; margin: 12mm; }
    body { font-family: Arial, Helvetica, sans-serif; font-size: 10pt; color: #212b32; margin: 0; }
    h1 { font-size: 16pt; margin: 0 0 4pt; color: #005eb8; }
    h2 { font-size: 12pt; margin: 14pt 0 4pt; }
    p.meta { margin: 0 0 8pt; color: #4c6272; }
    table { border-collapse: collapse; width: 100%; }
    th, td { border: 1px solid #aeb7bd; padding: 3pt 4pt; vertical-align: top; text-align: left; }
    th { background: #e8edee; }
    td.actions { width: 22%; }
    tr { page-break-inside: avoid; }
    section { page-break-after: always; }
    section:last-child { page-break-after: auto; }
    ul { margin: 0; padding-left: 12pt; }
    .new { font-weight: bold; }
    """

    static func page(_ title: String, _ body: String) -> String {
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>\(esc(title))</title>\n<style>\n\(style)\n</style>\n</head>\n<body>\n\(body)</body>\n</html>\n"
    }

    static func render(_ groups: ArraySlice<MDTGroup>, lists: MDTLists) -> String {
        var body = ""
        for g in groups {
            body += "<section>\n<h1>\(esc(lists.meeting(g))) — \(lists.settings.asOf)</h1>\n"
            body += "<p class=\"meta\">Group: \(esc(g.name))\(g.team.map { " (team \(esc($0)))" } ?? ""). \(esc(lists.method))<br>"
            body += "\(people(g.entries.count)) (\(g.entries.filter { $0.status == "new" }.count) new)"
            if lists.settings.previous != nil { body += "; \(g.left.count) left since the last list" }
            body += ".</p>\n"
            if !g.entries.isEmpty {
                body += "<table>\n<thead><tr><th>#</th><th>NHS number</th><th>Age</th><th>Sex</th><th>Scores</th><th>Why</th><th>Recent</th><th>Status</th><th>Actions agreed</th></tr></thead>\n<tbody>\n"
                for e in g.entries {
                    body += "<tr><td>\(e.position)</td><td>\(esc(e.shownIdentity))</td><td>\(esc(e.ageBand ?? ""))</td><td>\(esc(e.sex ?? ""))</td>"
                    body += "<td>\(list(e.scoreText))</td><td>\(list(e.reasons))</td><td>\(list(e.recent))</td>"
                    body += "<td class=\"\(e.status)\">\(e.status)</td><td class=\"actions\"></td></tr>\n"
                }
                body += "</tbody>\n</table>\n"
            }
            if !g.left.isEmpty {
                body += "<h2>Left since the last list</h2>\n<table>\n<thead><tr><th>NHS number</th><th>Reason</th></tr></thead>\n<tbody>\n"
                for l in g.left { body += "<tr><td>\(esc(l.shownIdentity))</td><td>\(esc(l.reason))</td></tr>\n" }
                body += "</tbody>\n</table>\n"
            }
            body += "</section>\n"
        }
        let title = groups.count == 1 ? "\(lists.meeting(groups.first!)) — \(lists.settings.asOf)" : "MDT review lists — \(lists.settings.asOf)"
        return page(title, body)
    }

    static func index(_ lists: MDTLists, ext: String) -> String {
        var body = "<h1>MDT review lists — \(lists.settings.asOf)</h1>\n<p class=\"meta\">\(esc(lists.method))</p>\n"
        body += "<table>\n<thead><tr><th>Group</th><th>Team</th><th>People</th><th>New</th><th>Left</th><th>List</th></tr></thead>\n<tbody>\n"
        for g in lists.groups {
            let file = MDTLists.fileName(g.name) + "." + ext
            body += "<tr><td>\(esc(g.name))</td><td>\(esc(g.team ?? ""))</td><td>\(g.entries.count)</td><td>\(g.entries.filter { $0.status == "new" }.count)</td><td>\(g.left.count)</td><td><a href=\"\(esc(file))\">\(esc(file))</a></td></tr>\n"
        }
        body += "</tbody>\n</table>\n"
        return page("MDT review lists — \(lists.settings.asOf)", body)
    }

    static func list(_ items: [String]) -> String {
        items.isEmpty ? "" : "<ul>" + items.map { "<li>\(esc($0))</li>" }.joined() + "</ul>"
    }

    static func esc(_ s: String) -> String { HTMLText.escape(s) }
}
