/// Long-term conditions the simulation gives people, with the codes it writes for them.
/// SNOMED CT concept ids are the concepts for each condition; ICD-10 codes are the WHO ICD-10
/// categories a hospital would record. The dm+d product codes are believed to be the VMPs named
/// beside them but were not checked against a dm+d release: this is synthetic data, not a code
/// list, and nothing clinical is defined by it (risk models bundle their own published lists).
/// Prevalence by age is a rough shape of English primary-care prevalence, enough for realistic
/// multimorbidity, not a statistic.
///
/// Where the eFI starter list (CareRisk/Tables/efi-codes.csv) holds a concept for a condition,
/// that concept is the one written, so the bundled data scores frailty as a real practice would
/// with the full lists; the frailty findings (`frailty` below) are tuned so that, at 65 and over,
/// the eFI categories come out near the published distribution (about half fit, a third mild,
/// 12 % moderate, 3-4 % severe: Clegg 2016; docs/models.md has the measured split).
struct Condition {
    let name: String
    let snomed: String
    /// The ICD-10 code a hospital records; nil for a finding only the GP codes (it is not a
    /// long-term condition for mortality, admissions or hospital diagnoses).
    let icd10: String?
    /// Yearly onset probability at ages 40, 65 and 85 (interpolated between).
    let onset: (Double, Double, Double)
    /// Medication (dm+d code, term) usually started for it, if any.
    let drug: (String, String)?

    func onsetProbability(age: Int) -> Double {
        switch age {
        case ..<18: return onset.0 * 0.05
        case ..<40: return onset.0 * Double(age - 18) / 22
        case ..<65: return onset.0 + (onset.1 - onset.0) * Double(age - 40) / 25
        case ..<85: return onset.1 + (onset.2 - onset.1) * Double(age - 65) / 20
        default: return onset.2
        }
    }
}

enum Catalogue {
    static let conditions: [Condition] = [
        Condition(name: "hypertension", snomed: "1201005", icd10: "I10", onset: (0.012, 0.035, 0.05), drug: ("319283006", "Amlodipine 5mg tablets")),
        Condition(name: "type 2 diabetes", snomed: "44054006", icd10: "E119", onset: (0.004, 0.012, 0.012), drug: ("325278007", "Metformin 500mg tablets")),
        Condition(name: "COPD", snomed: "13645005", icd10: "J449", onset: (0.001, 0.006, 0.01), drug: ("320176004", "Salbutamol inhaler")),
        Condition(name: "heart failure", snomed: "84114007", icd10: "I509", onset: (0.0005, 0.004, 0.015), drug: ("317971007", "Furosemide 40mg tablets")),
        Condition(name: "atrial fibrillation", snomed: "49436004", icd10: "I48", onset: (0.0008, 0.006, 0.02), drug: ("703907002", "Apixaban 5mg tablets")),
        Condition(name: "chronic kidney disease", snomed: "709044004", icd10: "N183", onset: (0.001, 0.008, 0.025), drug: nil),
        Condition(name: "dementia", snomed: "52448006", icd10: "F03", onset: (0.0001, 0.003, 0.03), drug: nil),
        Condition(name: "depression", snomed: "35489007", icd10: "F329", onset: (0.01, 0.008, 0.01), drug: ("321988006", "Sertraline 50mg tablets")),
        Condition(name: "arthritis", snomed: "3723001", icd10: "M139", onset: (0.004, 0.02, 0.03), drug: ("322236009", "Paracetamol 500mg tablets")),
        Condition(name: "asthma", snomed: "195967001", icd10: "J459", onset: (0.003, 0.002, 0.002), drug: ("320176004", "Salbutamol inhaler")),
        Condition(name: "stroke", snomed: "230690007", icd10: "I64", onset: (0.0005, 0.003, 0.01), drug: ("320000009", "Atorvastatin 20mg tablets")),
        Condition(name: "senile osteoporosis", snomed: "18040001", icd10: "M819", onset: (0.0005, 0.006, 0.015), drug: nil),
        Condition(name: "old myocardial infarction", snomed: "1755008", icd10: "I252", onset: (0.001, 0.008, 0.015), drug: ("320000009", "Atorvastatin 20mg tablets")),
        Condition(name: "Parkinson's disease", snomed: "49049000", icd10: "G20", onset: (0.0001, 0.001, 0.003), drug: nil),
        Condition(name: "urinary incontinence", snomed: "165232002", icd10: "R32", onset: (0.001, 0.006, 0.02), drug: nil),
        Condition(name: "hearing loss", snomed: "15188001", icd10: "H919", onset: (0.002, 0.01, 0.03), drug: nil),
        Condition(name: "cataract", snomed: "849000", icd10: "H259", onset: (0.0005, 0.003, 0.015), drug: nil),
        Condition(name: "falls", snomed: "161898004", icd10: "W19", onset: (0.002, 0.02, 0.08), drug: nil),
        Condition(name: "schizophrenia", snomed: "58214004", icd10: "F209", onset: (0.0003, 0.0001, 0.0001), drug: nil),
        Condition(name: "aortic valve stenosis", snomed: "60573004", icd10: "I350", onset: (0.0002, 0.003, 0.01), drug: nil),
        Condition(name: "atherosclerosis of aorta", snomed: "81817003", icd10: "I700", onset: (0.0002, 0.003, 0.008), drug: nil),
        Condition(name: "orthostatic hypotension", snomed: "28651003", icd10: "I951", onset: (0.0005, 0.004, 0.015), drug: nil),
        Condition(name: "disorder of thyroid gland", snomed: "14304000", icd10: "E079", onset: (0.002, 0.004, 0.004), drug: ("315234000", "Levothyroxine 50microgram tablets")),
    ]

    /// Findings the GP codes that are eFI deficits but not diseases a hospital records.
    static let frailty: [Condition] = [
        Condition(name: "labyrinthine disorder", snomed: "20425006", icd10: nil, onset: (0.002, 0.008, 0.02), drug: nil),
        Condition(name: "dyspnoea on exertion", snomed: "60845006", icd10: nil, onset: (0.002, 0.01, 0.03), drug: nil),
        Condition(name: "seen in chiropody clinic", snomed: "185269006", icd10: nil, onset: (0.002, 0.012, 0.04), drug: nil),
        Condition(name: "reduced mobility", snomed: "8510008", icd10: nil, onset: (0.0005, 0.006, 0.05), drug: nil),
        Condition(name: "housebound", snomed: "160689007", icd10: nil, onset: (0.0001, 0.002, 0.03), drug: nil),
        Condition(name: "widowed", snomed: "33553000", icd10: nil, onset: (0.002, 0.008, 0.03), drug: nil),
        Condition(name: "insomnia", snomed: "162201008", icd10: nil, onset: (0.004, 0.006, 0.01), drug: nil),
        Condition(name: "weight loss", snomed: "89362005", icd10: nil, onset: (0.001, 0.004, 0.02), drug: nil),
        Condition(name: "prostatism", snomed: "11441004", icd10: nil, onset: (0.001, 0.006, 0.012), drug: nil),
        Condition(name: "home help attends", snomed: "160774006", icd10: nil, onset: (0.0001, 0.002, 0.03), drug: nil),
        Condition(name: "disability", snomed: "21134002", icd10: nil, onset: (0.001, 0.003, 0.012), drug: nil),
    ]

    /// Every condition and finding, long-term conditions first (their indices are stable).
    static let all: [Condition] = conditions + frailty

    /// Acute reasons for an emergency admission (ICD-10), weighted towards older people's causes.
    static let acute: [String] = ["J189", "N390", "J440", "I500", "R55", "S7200", "A419", "R296", "E86", "K922"]

    /// Observations written to clinical_events with a value: (SNOMED, unit, mean, sd).
    static let observations: [(String, String, Double, Double)] = [
        ("271649006", "mm[Hg]", 135, 16),   // systolic blood pressure
        ("60621009", "kg/m2", 27.5, 5),     // body mass index
        ("27113001", "kg", 78, 15),         // body weight
    ]

    /// ECDS discharge destinations (SNOMED): home, admitted to ward.
    static let ecDischargeHome = "306689006"
    static let ecAdmitted = "306706006"
}
