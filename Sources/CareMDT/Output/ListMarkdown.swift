/// Markdown: one section per group, a table with a blank "Actions agreed" column.
enum ListMarkdown {
    static func render(_ groups: ArraySlice<MDTGroup>, lists: MDTLists) -> String {
        var out = ""
        for g in groups {
            if !out.isEmpty { out += "\n" }
            out += "# \(cell(lists.meeting(g))) — \(lists.settings.asOf)\n\n"
            if let t = lists.settings.title { out += "**\(cell(t))**\n\n" }
            out += "Group: \(cell(g.name))\(g.team.map { " (team \(cell($0)))" } ?? ""). \(cell(lists.method))\n\n"
            let new = g.entries.filter { $0.status == "new" }.count
            out += "\(people(g.entries.count)) (\(new) new)"
            if lists.settings.previous != nil { out += "; \(g.left.count) left since the last list" }
            out += ".\n\n"
            if !g.entries.isEmpty {
                out += "| # | NHS number | Age | Sex | Scores | Why | Recent | What happens next | Status | Actions agreed |\n"
                out += "|---:|---|---|---|---|---|---|---|---|---|\n"
                for e in g.entries {
                    out += "| \(e.position) | \(cell(e.shownIdentity)) | \(cell(e.ageBand ?? "")) | \(cell(e.sex ?? "")) | "
                    out += "\(e.scoreText.map(cell).joined(separator: "<br>")) | \(e.reasons.map(cell).joined(separator: "<br>")) | "
                    out += "\(e.recent.map(cell).joined(separator: "<br>")) | \(e.next.map { cell($0.text) }.joined(separator: "<br>")) | \(e.status) |  |\n"
                }
            } else {
                out += "Nobody in this group met the selection tonight (\(people(g.eligible)) eligible).\n"
            }
            if !g.left.isEmpty {
                out += "\n## Left since the last list\n\n| NHS number | Reason |\n|---|---|\n"
                for l in g.left { out += "| \(cell(l.shownIdentity)) | \(cell(l.reason)) |\n" }
            }
        }
        return out
    }

    static func index(_ lists: MDTLists, ext: String) -> String {
        var out = "# MDT review lists — \(lists.settings.asOf)\n\n\(lists.settings.title.map { "**\(cell($0))**\n\n" } ?? "")\(cell(lists.method))\n\n"
        if lists.groups.isEmpty {
            out += "Nobody met the selection tonight: \(people(lists.peopleRead)) read."
            if !lists.filtered.isEmpty {
                out += " Not listed: " + lists.filtered.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "."
            }
            return out + "\n"
        }
        let names = lists.settings.teams.practiceNames
        out += "| Group |\(names.isEmpty ? "" : " Name |") Team | People | New | Left | List |\n|---|\(names.isEmpty ? "" : "---|")---|---:|---:|---:|---|\n"
        for g in lists.groups {
            let file = MDTLists.fileName(g.name) + "." + ext
            out += "| \(cell(g.name)) |\(names.isEmpty ? "" : " \(cell(names[g.name] ?? "")) |") \(cell(g.team ?? "")) | \(g.entries.count) | \(g.entries.filter { $0.status == "new" }.count) | \(g.left.count) | [\(file)](\(file)) |\n"
        }
        out += "| **Total (\(lists.groups.count) lists)** |\(names.isEmpty ? "" : " |") | **\(lists.groups.reduce(0) { $0 + $1.entries.count })** | **\(lists.groups.reduce(0) { $0 + $1.entries.filter { $0.status == "new" }.count })** | **\(lists.groups.reduce(0) { $0 + $1.left.count })** | |\n"
        return out
    }

    /// Text safe inside a table cell.
    static func cell(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "|": out += "\\|"
            case "\n", "\r": out += " "
            case "<": out += "&lt;"
            default: out.append(c)
            }
        }
        return out
    }
}
