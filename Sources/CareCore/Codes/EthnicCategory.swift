/// Ethnic category: the NHS Data Dictionary's ETHNIC CATEGORY codes (A–S, Z not stated, 99 not
/// known; the 16 groups of the 2001 census), and the five high-level groups of the ONS 2021
/// census (Asian, Black, Mixed, White, Other). ONS puts Chinese (R) under Asian, as the 2011 and
/// 2021 censuses do; the 2001-based Data Dictionary heading, and OpenSAFELY's Grouping_6, put it
/// under "Other ethnic groups" (docs/inequalities.md).
public enum EthnicCategory {
    /// Code → (16-group label, 5-group).
    public static let groups: [String: (group16: String, group5: String)] = [
        "A": ("White: British", "White"), "B": ("White: Irish", "White"), "C": ("White: any other White background", "White"),
        "D": ("Mixed: White and Black Caribbean", "Mixed"), "E": ("Mixed: White and Black African", "Mixed"),
        "F": ("Mixed: White and Asian", "Mixed"), "G": ("Mixed: any other mixed background", "Mixed"),
        "H": ("Asian or Asian British: Indian", "Asian"), "J": ("Asian or Asian British: Pakistani", "Asian"),
        "K": ("Asian or Asian British: Bangladeshi", "Asian"), "L": ("Asian or Asian British: any other Asian background", "Asian"),
        "M": ("Black or Black British: Caribbean", "Black"), "N": ("Black or Black British: African", "Black"),
        "P": ("Black or Black British: any other Black background", "Black"),
        "R": ("Other ethnic groups: Chinese", "Asian"), "S": ("Other ethnic groups: any other ethnic group", "Other"),
        "Z": ("Not stated", "Not stated"), "99": ("Not known", "Not stated"),
    ]

    /// The five groups, in the order reports show them.
    public static let group5Order = ["Asian", "Black", "Mixed", "White", "Other", "Not stated"]

    /// The code as sources write it ("A", "a", " A ", "99") → the Data Dictionary code; nil when not one.
    public static func code(_ raw: String) -> String? {
        let c = raw.trimmingSpaces.uppercased()
        return groups[c] != nil ? c : nil
    }

    /// OpenCodelists' ethnicity lists number the 16 groups 1–16 in the Data Dictionary's order
    /// (Grouping_16): 1 → A … 16 → S.
    public static let byNumber16 = ["A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S"]

    /// An ethnicity as the record holds it, for a Data Dictionary code.
    public static func ethnicity(code: String, system: String = "nhs-ethnic-category", recorded: String? = nil, source: String?, date: ISODate?) -> Ethnicity? {
        guard let c = Self.code(code), let g = groups[c] else { return nil }
        return Ethnicity(code: recorded ?? c, system: system, category: c, group16: g.group16, group5: g.group5, source: source, date: date)
    }
}

/// A person's ethnicity: the code as recorded, its system, the Data Dictionary category it
/// means (nil when no fair mapping exists, as for Synthea's US race and ethnicity), and where
/// and when it was recorded. The latest recorded wins; a different one is a conflict.
public struct Ethnicity: Equatable, Sendable, CustomStringConvertible {
    public var code: String
    /// `nhs-ethnic-category`, `snomed`, `ctv3`, `read2` or `local`.
    public var system: String
    /// The NHS Data Dictionary code it means (A–S, Z, 99).
    public var category: String?
    public var group16: String?
    public var group5: String?
    public var source: String?
    public var date: ISODate?

    public init(code: String, system: String, category: String? = nil, group16: String? = nil, group5: String? = nil,
                source: String? = nil, date: ISODate? = nil) {
        self.code = code; self.system = system; self.category = category; self.group16 = group16; self.group5 = group5
        self.source = source; self.date = date
    }

    public var description: String { category.map { "\(code) (\($0))" } ?? code }
}
