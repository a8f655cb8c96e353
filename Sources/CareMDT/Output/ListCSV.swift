import CareCore

/// CSV for import into GP systems: the NHS number first (empty where the input was
/// pseudonymised and no `--reidentify` map was given), then the record id.
enum ListCSV {
    static func render(_ groups: ArraySlice<MDTGroup>, lists: MDTLists) -> [UInt8] {
        var rows = [["nhs_number", "id", "group", "team", "rank", "status", "age_band", "sex", "core20", "ethnic_group"]
            + lists.settings.rankBy.map(\.text) + ["scores", "reasons", "recent", "next_steps", "left_reason"]]
        for g in groups {
            for e in g.entries {
                rows.append([e.nhsNumber ?? "", e.id, g.name, e.team ?? "", String(e.position), e.status, e.ageBand ?? "", e.sex ?? "",
                             e.core20.map { $0 ? "yes" : "no" } ?? "", e.ethnicGroup ?? ""]
                    + e.rank.values.map { $0 == .null ? "" : $0.description }
                    + [e.scoreText.joined(separator: "; "), e.reasons.joined(separator: "; "), e.recent.joined(separator: "; "),
                       e.next.map(\.text).joined(separator: "; "), ""])
            }
            for l in g.left {
                rows.append([l.nhsNumber ?? "", l.id, g.name, g.team ?? "", "", "left", "", "", "", ""]
                    + lists.settings.rankBy.map { _ in "" } + ["", "", "", "", l.reason])
            }
        }
        return Array(rows.map(CSVText.row).joined().utf8)
    }

    static func index(_ lists: MDTLists, ext: String) -> [UInt8] {
        var out = "group,team,file,people,new,left\n"
        for g in lists.groups {
            out += CSVText.row([g.name, g.team ?? "", MDTLists.fileName(g.name) + "." + ext, String(g.entries.count),
                                String(g.entries.filter { $0.status == "new" }.count), String(g.left.count)])
        }
        return Array(out.utf8)
    }
}
