/// Code meanings from the NHS Data Dictionary (datadictionary.nhs.uk) and the Adult Social Care
/// Client Level Data (CLD) specification, as summarised in ../shared/reference/formats/FORMATS.md §5.
/// docs/formats.md lists every code and its mapping.
public enum NHSDataDictionary {
    /// ADMISSION METHOD (Hospital Provider Spell) → schema 1 `method`. Nil for a code not in the list.
    /// Emergency: 21–25, 2A–2D and the legacy 28.
    public static func admissionMethod(_ code: String) -> String? {
        switch code.uppercased() {
        case "11", "12", "13": return "elective"
        case "21", "22", "23", "24", "25", "2A", "2B", "2C", "2D", "28": return "emergency"
        case "31", "32": return "maternity"
        case "81", "82", "83", "98", "99": return "other"
        default: return nil
        }
    }

    /// DISCHARGE DESTINATION (Hospital Provider Spell) → schema 1 `destination`. Nil for an unknown code.
    public static func dischargeDestination(_ code: String) -> String? {
        switch code {
        case "19": return "usual-residence"
        case "29": return "temporary-residence"
        case "54", "55", "56", "65", "85": return "care-home"
        case "79": return "died"
        case "48", "49", "50", "51", "52", "53", "84", "87": return "hospital"
        case "88": return "hospice"
        case "30", "37", "38", "40", "42", "66": return "other"
        case "98": return "not-discharged"
        case "99": return "unknown"
        default: return nil
        }
    }

    /// A social-care service type (CLD "Service Type", or schema 1's own short names) →
    /// (kind, permanent). Nil for a type not in the list.
    public static func serviceType(_ raw: String) -> (kind: String, permanent: Bool?)? {
        let t = raw.trimmingSpacesLowercased
        switch t {
        case "long term support: nursing care", "nursing": return ("nursing", true)
        case "long term support: residential care", "residential": return ("residential", true)
        case "long term support: community", "home-care", "home care": return ("home-care", nil)
        case "long term support: prison": return ("prison-support", nil)
        case "short term support: st-max", "reablement": return ("reablement", nil)
        case "short term support: ongoing low level", "low-level-support": return ("low-level-support", nil)
        case "short term support: other short term", "short-term-support": return ("short-term-support", nil)
        case "day-care", "day care": return ("day-care", nil)
        case "respite": return ("respite", false)
        default:
            if t.hasPrefix("carer support") || t == "carer-support" { return ("carer-support", nil) }
            return nil
        }
    }

    /// CLD "Request: Route of Access" → a short name.
    public static func routeOfAccess(_ raw: String) -> String {
        switch raw.trimmingSpacesLowercased {
        case "discharge from hospital": return "discharge-from-hospital"
        case "diversion from hospital services": return "diversion-from-hospital"
        case "community/other", "community / other": return "community"
        case "planned entry (transition)": return "planned-entry"
        case "self-funder with depleted funds": return "self-funder-depleted-funds"
        default: return raw.trimmingSpacesLowercased.replacingSpaces
        }
    }

    /// Sex or gender as sources write it → schema 1. Nil when unrecognised.
    /// PERSON STATED GENDER CODE: 1 male, 2 female, 9 indeterminate, X not known.
    public static func sex(_ raw: String) -> String? {
        switch raw.trimmingSpacesLowercased {
        case "m", "male", "1": return "male"
        case "f", "female", "2": return "female"
        case "i", "intersex", "9", "indeterminate": return "intersex"
        case "u", "unknown", "x", "0", "not known": return "unknown"
        case "o", "other": return "other"
        default: return nil
        }
    }

    /// Place of death as ONS death registrations (and OpenSAFELY's ons_deaths.place) write it
    /// → schema 1: home, care-home, hospital, hospice, other. Nil when unrecognised.
    /// ONS categories: Home; Care home (nursing or residential); Hospital; Hospice; Other
    /// communal establishment; Elsewhere.
    public static func placeOfDeath(_ raw: String) -> String? {
        switch raw.trimmingSpacesLowercased {
        case "home", "usual residence", "own home": return "home"
        case "care home", "care-home", "nursing home", "residential home", "care home (nursing)", "care home (residential)": return "care-home"
        case "hospital", "nhs hospital", "hospital (acute or community, not psychiatric)": return "hospital"
        case "hospice": return "hospice"
        case "other", "elsewhere", "other communal establishment", "other place": return "other"
        default: return nil
        }
    }

    /// OPA ATTENDED OR DID NOT ATTEND: 5 and 6 are attendances; 2, 3, 4, 7 are not.
    public static func outpatientAttended(_ code: String) -> Bool? {
        switch code {
        case "5", "6": return true
        case "2", "3", "4", "7": return false
        default: return nil
        }
    }
}

extension String {
    var trimmingSpacesLowercased: String { trimmingSpaces.lowercased() }
    var replacingSpaces: String { String(map { $0 == " " ? "-" : $0 }) }
}

import CareCore
