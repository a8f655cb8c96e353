/// The code-system names of schema 1, and the spellings sources use for them.
public enum CodeSystems {
    /// Every system name a record may carry.
    public static let all: Set<String> = ["snomed", "read2", "ctv3", "icd10", "opcs4", "dmd", "loinc", "rxnorm",
                                          "cvx", "egton", "multilex", "emis-drug", "local"]

    /// Maps a source's name, URI or OID for a code system to schema 1's name; nil if unknown.
    /// Matching ignores case and surrounding spaces.
    public static func normalise(_ raw: String) -> String? {
        let key = raw.trimmingSpaces.lowercased()
        if all.contains(key) { return key }
        return aliases[key]
    }

    static let aliases: [String: String] = [
        // names
        "snomed-ct": "snomed", "snomedct": "snomed", "snomed ct": "snomed", "sct": "snomed",
        "readv2": "read2", "read": "read2", "read v2": "read2", "ctv-3": "ctv3", "read v3": "ctv3",
        "icd-10": "icd10", "icd10cm": "icd10", "opcs": "opcs4", "opcs-4": "opcs4", "dm+d": "dmd",
        // FHIR URIs
        "http://snomed.info/sct": "snomed", "http://read.info/readv2": "read2", "http://read.info/ctv3": "ctv3",
        "http://hl7.org/fhir/sid/icd-10": "icd10", "http://hl7.org/fhir/sid/icd-10-uk": "icd10",
        "http://loinc.org": "loinc", "http://www.nlm.nih.gov/research/umls/rxnorm": "rxnorm",
        "http://hl7.org/fhir/sid/cvx": "cvx", "https://fhir.hl7.org.uk/id/egton-codes": "egton",
        "https://fhir.nhs.uk/id/opcs-4": "opcs4", "https://dmd.nhs.uk": "dmd",
        "https://fhir.hl7.org.uk/id/emis-drug-codes": "emis-drug", "https://fhir.nhs.uk/id/emis-drug-codes": "emis-drug",
        "https://fhir.hl7.org.uk/id/multilex-drug-codes": "multilex", "https://fhir.nhs.uk/id/multilex-drug-codes": "multilex",
        "http://read.info/ctv3/": "ctv3", "https://fhir.hl7.org.uk/id/read-codes-version-2": "read2",
        // HL7 v3 OIDs (GP2GP)
        "2.16.840.1.113883.2.1.3.2.4.15": "snomed", "2.16.840.1.113883.2.1.6.2": "read2",
        "2.16.840.1.113883.2.1.3.2.4.14": "ctv3", "2.16.840.1.113883.2.1.6.3": "egton",
        "2.16.840.1.113883.2.1.6.4": "multilex", "2.16.840.1.113883.2.1.6.9": "emis-drug",
        "2.16.840.1.113883.6.96": "snomed", "2.16.840.1.113883.6.1": "loinc", "2.16.840.1.113883.6.88": "rxnorm",
        "2.16.840.1.113883.6.3": "icd10", "2.16.840.1.113883.12.292": "cvx",
    ]
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    public var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
