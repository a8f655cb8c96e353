import CareCore

/// The inequality breakdowns of the report (NHS England Core20PLUS5): every metric by IMD
/// quintile of the person's area (from `lsoa`: 1 most deprived), by ethnic group (the five ONS
/// groups), and Core20 (the most deprived 20 % nationally) against the rest. Each is a set of
/// groups of the report's rows, named `DIMENSION=VALUE` (`imd_quintile=1`, `ethnic_group=Asian`,
/// `core20=yes`), with the same statistics and disclosure control as the practices (suppression
/// is worked out within each dimension, so no group can be recovered from the others and the
/// total).
public enum Breakdown: String, CaseIterable, Sendable {
    case imdQuintile = "imd_quintile"
    case ethnicGroup = "ethnic_group"
    case core20 = "core20"

    /// The groups a person falls in, one per dimension (an unknown area or ethnicity is a group
    /// of its own, so every person is counted in each dimension).
    /// The groups a person falls in as small numbers (an index into `Breakdown.names`): the
    /// report's hot path maps them to its slots without hashing a string per person.
    static func indices(_ r: RecordScope) -> (quintile: Int, core20: Int, ethnic: Int) {
        var q = 5, c = 2
        if case .string(let lsoa) = r.value(["lsoa"]), let e = r.deprivation.entry(lsoa) { q = e.quintile - 1; c = e.core20 ? 0 : 1 }
        var g = EthnicCategory.group5Order.count
        if case .string(let s) = r.value(["ethnicity", "group5"]), let i = EthnicCategory.group5Order.firstIndex(of: s) { g = i }
        return (q, c, g)
    }

    /// The group names `indices` point into: quintiles 1–5 and unknown; Core20 yes, no, unknown;
    /// the ethnic groups and not recorded.
    static let quintileNames = (1...5).map { "imd_quintile=\($0)" } + ["imd_quintile=unknown"]
    static let core20Names = ["core20=yes", "core20=no", "core20=unknown"]
    static let ethnicNames = EthnicCategory.group5Order.map { "ethnic_group=\($0)" } + ["ethnic_group=not recorded"]

    static func groups(_ r: RecordScope) -> [String] {
        var out: [String] = []
        out.reserveCapacity(3)
        // One lookup of the area gives the quintile and Core20.
        if case .string(let lsoa) = r.value(["lsoa"]), let e = r.deprivation.entry(lsoa) {
            out.append(Self.quintileGroups[e.quintile - 1])
            out.append(e.core20 ? "core20=yes" : "core20=no")
        } else {
            out.append("imd_quintile=unknown")
            out.append("core20=unknown")
        }
        if case .string(let g) = r.value(["ethnicity", "group5"]) {
            out.append(Self.ethnicGroups[g] ?? "ethnic_group=\(g)")
        } else {
            out.append("ethnic_group=not recorded")
        }
        return out
    }

    static let quintileGroups = (1...5).map { "imd_quintile=\($0)" }
    static let ethnicGroups = Dictionary(uniqueKeysWithValues: EthnicCategory.group5Order.map { ($0, "ethnic_group=\($0)") })

    /// The dimension a group belongs to; nil for the report's own groups (practices).
    public static func of(_ group: String) -> Breakdown? {
        guard let eq = group.firstIndex(of: "=") else { return nil }
        return Breakdown(rawValue: String(group[..<eq]))
    }

    /// The value part of a breakdown group.
    public static func value(_ group: String) -> String {
        group.firstIndex(of: "=").map { String(group[group.index(after: $0)...]) } ?? group
    }

    /// A group's name for people: "IMD quintile 1 (most deprived)", "Asian", "Core20".
    public static func label(_ group: String) -> String {
        let v = value(group)
        switch of(group) {
        case .imdQuintile?:
            switch v {
            case "1": return "IMD quintile 1 (most deprived)"
            case "5": return "IMD quintile 5 (least deprived)"
            case "unknown": return "IMD unknown (no or unknown LSOA)"
            default: return "IMD quintile \(v)"
            }
        case .ethnicGroup?: return v == "not recorded" ? "Ethnicity not recorded" : v
        case .core20?: return v == "yes" ? "Core20 (most deprived 20 %)" : v == "no" ? "Not Core20" : "Core20 unknown"
        case nil: return group
        }
    }

    /// The order groups are shown in within a dimension.
    static func order(_ group: String) -> Int {
        let v = value(group)
        switch of(group) {
        case .imdQuintile?: return Int(v) ?? 9
        case .ethnicGroup?: return EthnicCategory.group5Order.firstIndex(of: v) ?? 9
        case .core20?: return v == "yes" ? 0 : v == "no" ? 1 : 2
        case nil: return 0
        }
    }

    public var title: String {
        switch self {
        case .imdQuintile: return "By deprivation (IMD quintile of the person's area)"
        case .ethnicGroup: return "By ethnic group"
        case .core20: return "Core20 against the rest"
        }
    }
}
