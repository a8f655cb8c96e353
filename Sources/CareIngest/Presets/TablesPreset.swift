import CareCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum FileExists {
    static func at(_ path: String) -> Bool { access(path, R_OK) == 0 }
}

/// Reads a folder of flat tables in the shape UK analysts know (OpenSAFELY ehrQL, SUS APC/ECDS,
/// Adult Social Care CLD). Only `patients.csv` is required; docs/formats.md lists every table,
/// column and code mapping.
///
/// Person key: every table carries `patient_id` (when patients.csv has it) or `nhs_number`.
/// Source tags: gp:FOLDER (clinical_events, medications), apc: (apcs), ecds: (ec), opa:, asc:
/// (social_care); patients.csv takes the tag of the folder's first such table (a hospital's
/// patients are apc:FOLDER). A `source` column, where filled, overrides the tag row by row.
struct TablesPreset: FolderPreset {
    static let name = "tables"
    /// Local file and column names (`--mapping`).
    var mapping = TableMapping()
    /// `--only`: the tables read besides patients; nil reads all.
    var only: TableSelection? = nil
    static let tablePrefixes: [String: String] = [
        "patients": "gp", "clinical_events": "gp", "medications": "gp", "apcs": "apc", "ec": "ecds", "opa": "opa",
        "social_care": "asc",
    ]

    /// The tag prefix of a folder's patients table: that of its first clinical table.
    func patientsPrefix(_ folder: SourceFolder) -> String {
        for t in ["clinical_events", "medications", "apcs", "ec", "opa", "social_care"] where path(of: t, in: folder) != nil {
            return Self.tablePrefixes[t]!
        }
        return "gp"
    }

    /// A table's file: the mapping's file name if it gives one, else the table's own name.
    func path(of table: String, in folder: SourceFolder) -> String? {
        guard let name = mapping.files[table] else { return folder.table(table) }
        let path = folder.path.hasSuffix("/") ? folder.path + name : folder.path + "/" + name
        return FileExists.at(path) ? path : nil
    }

    /// Everything one table's row handler needs.
    struct Row {
        let fields: RowFields
        let key: UnsafeBufferPointer<UInt8>
        let scope: [UInt8]?
        let sourceTag: UInt32
        let tag: String
        var row: CSVRow { fields.row }
        var columns: Columns { fields.columns }
    }

    func plan(folder: SourceFolder, registry: IngestRegistry, diagnostics: Diagnostics) throws -> [TableJob] {
        guard let patientsPath = path(of: "patients", in: folder) else {
            throw CareError(.dataError, "\(folder.path): no \(mapping.files["patients"] ?? "patients.csv") (the tables preset needs a patients table)")
        }
        // The key column is decided by patients.csv and must be in every table.
        let patientsColumns = Columns(header: try Self.header(of: patientsPath), aliases: mapping.aliases(for: "patients"))
        let keyName = patientsColumns.find("patient_id") != nil ? "patient_id" : "nhs_number"
        let patientsHaveNHSNumbers = patientsColumns.find("nhs_number") != nil
        // Keyed by patient_id: scope the key by the folder, and if patients.csv also has NHS
        // numbers, the final ids differ from the keys (the run re-sorts by id).
        let scope: [UInt8]? = keyName == "patient_id" ? Array("tables:\(folder.name):".utf8) : nil
        if keyName == "patient_id" && patientsHaveNHSNumbers { registry.remapsIdentity = true }
        var jobs: [TableJob] = []
        var notRead: [String] = []
        for (name, map) in [("patients", patients), ("clinical_events", clinicalEvents), ("medications", medications),
                            ("apcs", admissions), ("ec", emergencyCare), ("opa", outpatients), ("social_care", socialCare)] {
            if let only, name != "patients", !only.tables.contains(name) {
                if path(of: name, in: folder) != nil { notRead.append(name) }
                continue
            }
            if let job = table(folder, name, keyName, scope, registry, map) { jobs.append(job) }
        }
        if !notRead.isEmpty {
            diagnostics.note("\(folder.path): not read (--only): \(notRead.map { (mapping.files[$0] ?? $0 + ".csv") }.joined(separator: ", "))")
        }
        let mappedFiles = Set(mapping.files.values.map { String($0.split(separator: ".", maxSplits: 1)[0]).lowercased() })
        let skipped = folder.tables.keys.filter { Self.tablePrefixes[$0] == nil && !mappedFiles.contains($0) }.sorted()
        if !skipped.isEmpty {
            diagnostics.note("\(folder.path): not read (not a table of the tables preset): \(skipped.map { $0 + ".csv" }.joined(separator: ", "))")
        }
        return jobs
    }

    /// The lower-cased column names of a CSV file's first record.
    static func header(of path: String) throws -> [String] {
        struct Stop: Error {}
        var header: [String] = []
        do {
            try CSVReader(try InputFile(path: path)).read(record: { r in
                header = (0..<r.count).map { r.string($0).lowercased() }
                throw Stop()
            }, problem: { _ in throw Stop() })
        } catch is Stop {}
        return header
    }

    /// Plans one table if present: a job that resolves the key and source columns, validates the
    /// key, and hands each row to `map(columns)`'s handler.
    private func table(_ folder: SourceFolder, _ name: String, _ keyName: String, _ scope: [UInt8]?, _ registry: IngestRegistry,
                       _ map: @escaping (Columns, IngestContext) throws -> (Row) throws -> Void) -> TableJob? {
        guard let path = path(of: name, in: folder) else { return nil }
        let file = registry.registerFile(path)
        let prefix = name == "patients" ? patientsPrefix(folder) : Self.tablePrefixes[name]!
        let aliases = mapping.aliases(for: name)
        let defaultTag = registry.tag("\(prefix):\(folder.name)")
        return TableJob(path: path) { context in
            try readTable(path, file: file, keyName: keyName, scope: scope, defaultTag: defaultTag, aliases: aliases, context: context, map)
        }
    }

    /// A lone patients table (`demographics:FILE`, `--demographics FILE`), keyed by NHS number,
    /// tagged `tag`. Its rows complete people found in other sources (see DemographicsPreset).
    func patientsFile(_ path: String, tag: String, registry: IngestRegistry) -> TableJob {
        let file = registry.registerFile(path)
        let defaultTag = registry.tag(tag)
        let aliases = mapping.aliases(for: "patients")
        return TableJob(path: path) { context in
            try readTable(path, file: file, keyName: "nhs_number", scope: nil, defaultTag: defaultTag, aliases: aliases, context: context, patients)
        }
    }

    private func readTable(_ path: String, file: UInt32, keyName: String, scope: [UInt8]?, defaultTag: UInt32, aliases: [String: String],
                           context: IngestContext, _ map: (Columns, IngestContext) throws -> (Row) throws -> Void) throws {
        var keyCol = 0, sourceCol: Int?
        var columns: Columns!
        var handler: ((Row) throws -> Void)!
        let isNHS = keyName == "nhs_number"
        let defaultTagName = context.registry.tagName(defaultTag)
        try TableReader.read(path: path, file: file, context: context, aliases: aliases, header: { c in
            columns = c
            keyCol = try c.require(keyName)
            sourceCol = c.find("source")
            handler = try map(c, context)
        }, row: { row in
            let f = RowFields(context: context, file: file, row: row, columns: columns)
            var plain = true
            guard case let .ok(key) = try f.personKey(keyCol, isNHSNumber: isNHS, plain: &plain) else { return }
            var tagIndex = defaultTag, tagName = defaultTagName
            if let sourceCol, let s = row.optionalString(sourceCol) { tagIndex = context.tag(s); tagName = s }
            if plain {
                try handler(Row(fields: f, key: key, scope: scope, sourceTag: tagIndex, tag: tagName))
            } else {
                // "943 476 5919" → "9434765919", so the same person joins however it was written.
                let digits = Array(try NHSNumber.validate(key).get().utf8)
                try digits.withUnsafeBufferPointer { k in
                    try handler(Row(fields: f, key: k, scope: scope, sourceTag: tagIndex, tag: tagName))
                }
            }
        })
    }

    private func add(_ r: Row, _ context: IngestContext, _ tag: ItemTag, _ date: ISODate?, _ write: (inout JSONWriter) -> Void) throws {
        try context.add(localKey: r.key, scope: r.scope, tag: tag, date: date, file: r.fields.file, sourceTag: r.sourceTag, line: r.row.line, fragment: write)
    }

    private func rejectCode(_ r: Row, _ col: Int, _ reason: String) throws {
        try r.fields.context.reject(file: r.fields.file, line: r.row.line, field: r.columns.names[col], reason: reason, value: r.row.string(col))
    }

    // MARK: tables

    private func patients(_ c: Columns, _ context: IngestContext) throws -> (Row) throws -> Void {
        let nhs = c.find("nhs_number"), birth = c.find("date_of_birth", "birth_date"), sex = c.find("sex", "gender")
        let death = c.find("date_of_death", "death_date"), practice = c.find("practice", "practice_code", "practice_pseudo_id")
        let place = c.find("place_of_death", "death_place")
        let team = c.find("team", "pcn"), lsoa = c.find("lsoa", "lsoa_code")
        let regStart = c.find("registration_start_date", "registration_start")
        let regEnd = c.find("registration_end_date", "registration_end")
        let ethnic = c.find("ethnic_category", "ethnicity", "ethnic_group", "ethnic_category_code")
        let sexes = FieldValueCache<String>(), places = FieldValueCache<String>(), ethnicities = FieldValueCache<[UInt8]>()
        return { r in
            let f = r.fields
            guard case let .ok(birthDate) = try f.date(birth, required: false),
                  case let .ok(deathDate) = try f.date(death, required: false),
                  case let .ok(start) = try f.date(regStart, required: false),
                  case let .ok(end) = try f.date(regEnd, required: false) else { return }
            // A patient row travels through the sort as a person with demographics only.
            var d = PatientFragment(birthDate: birthDate, deathDate: deathDate, practice: r.row.optionalField(practice),
                                    team: r.row.optionalField(team), lsoa: r.row.optionalField(lsoa),
                                    registrationStart: start, registrationEnd: end)
            if let nhs, !r.row.isBlank(nhs) {
                switch NHSNumber.validate(r.row.trimmed(nhs)) {
                case let .success(n): d.nhsNumber = n
                case let .failure(p):
                    try context.reject(file: f.file, line: r.row.line, field: c.names[nhs], reason: "invalid NHS number", detail: p.rawValue)
                    return
                }
            }
            if let value = r.row.optionalField(sex) {
                guard let s = sexes.value(value, make: { NHSDataDictionary.sex(String(decoding: value, as: UTF8.self)) }) else {
                    try rejectCode(r, sex!, "unknown sex code"); return
                }
                d.sex = s
            }
            if let value = r.row.optionalField(place) {
                guard let p = places.value(value, make: { NHSDataDictionary.placeOfDeath(String(decoding: value, as: UTF8.self)) }) else {
                    try rejectCode(r, place!, "unknown place of death"); return
                }
                d.deathPlace = p
            }
            // The NHS Data Dictionary ethnic category (A–S, Z not stated, 99 not known), as the
            // record writes it (the same for every row of that code and source).
            if let value = r.row.optionalField(ethnic) {
                guard let e = ethnicities.value(value, tag: r.sourceTag, make: {
                    EthnicCategory.ethnicity(code: String(decoding: value, as: UTF8.self), source: r.tag, date: nil).map { e in
                        var w = JSONWriter(capacity: 160)
                        Person.writeEthnicity(e, to: &w)
                        return w.bytes
                    }
                }) else {
                    try rejectCode(r, ethnic!, "unknown ethnic category (NHS Data Dictionary codes A-S, Z, 99)"); return
                }
                d.ethnicity = e
            }
            try add(r, context, .patient, nil) { d.write(to: &$0) }
        }
    }

    /// The code of an event row: `code` + `system`, else the first filled system-named column.
    private struct CodeColumns {
        let code: Int?, system: Int?
        let named: [(Int, String)]
        init(_ c: Columns, named candidates: [(String, String)]) {
            code = c.find("code")
            system = c.find("system", "code_system")
            named = candidates.compactMap { name, sys in c.find(name).map { ($0, sys) } }
        }
        var isEmpty: Bool { code == nil && named.isEmpty }
    }

    private func eventCode(_ r: Row, _ cc: CodeColumns) throws -> Checked<Code> {
        if let code = cc.code, let value = r.row.optionalString(code) {
            guard let system = cc.system, let raw = r.row.optionalString(system) else {
                try r.fields.context.reject(file: r.fields.file, line: r.row.line, field: "system", reason: "code without a code system")
                return .rejected
            }
            guard let s = CodeSystems.normalise(raw) else { try rejectCode(r, system, "unknown code system"); return .rejected }
            return .ok(Code(system: s, code: value))
        }
        for (col, system) in cc.named {
            if let value = r.row.optionalString(col) { return .ok(Code(system: system, code: value)) }
        }
        try r.fields.context.reject(file: r.fields.file, line: r.row.line, field: "code", reason: "missing code")
        return .rejected
    }

    private func clinicalEvents(_ c: Columns, _ context: IngestContext) throws -> (Row) throws -> Void {
        let date = try c.require("date")
        let codes = CodeColumns(c, named: [("snomedct_code", "snomed"), ("ctv3_code", "ctv3"), ("read2_code", "read2"),
                                           ("read_code", "read2"), ("icd10_code", "icd10"), ("opcs4_code", "opcs4"),
                                           ("dmd_code", "dmd")])
        if codes.isEmpty { _ = try c.require("snomedct_code", "ctv3_code", "read2_code", "code") }
        let value = c.find("numeric_value", "value"), unit = c.find("unit", "units"), kind = c.find("kind")
        let term = c.find("term", "description"), end = c.find("end_date")
        return { r in
            guard case let .ok(d?) = try r.fields.date(date, required: true),
                  case let .ok(endDate) = try r.fields.date(end, required: false),
                  case let .ok(code) = try eventCode(r, codes) else { return }
            let v = r.fields.numberText(value)
            let event = Event(date: d, end: endDate, kind: r.row.optionalString(kind), system: code.system, code: code.code,
                              value: v, unit: v == nil ? nil : r.row.optionalString(unit),
                              term: context.withTerms ? r.row.optionalString(term) : nil, source: r.tag)
            try add(r, context, .event, d) { event.writeBody(to: &$0) }
        }
    }

    private func medications(_ c: Columns, _ context: IngestContext) throws -> (Row) throws -> Void {
        let date = try c.require("date")
        let codes = CodeColumns(c, named: [("dmd_code", "dmd"), ("snomedct_code", "snomed")])
        if codes.isEmpty { _ = try c.require("dmd_code", "code") }
        let term = c.find("term", "description"), end = c.find("end_date")
        return { r in
            guard case let .ok(d?) = try r.fields.date(date, required: true),
                  case let .ok(endDate) = try r.fields.date(end, required: false),
                  case let .ok(code) = try eventCode(r, codes) else { return }
            let event = Event(date: d, end: endDate, kind: "medication", system: code.system, code: code.code,
                              term: context.withTerms ? r.row.optionalString(term) : nil, source: r.tag)
            try add(r, context, .event, d) { event.writeBody(to: &$0) }
        }
    }

    /// Splits ehrQL's packed code strings ("||E119 ,J849 ||I801 ,N179") into distinct codes, in order.
    static func unpack(_ field: UnsafeBufferPointer<UInt8>?, into out: inout [String]) {
        guard let field else { return }
        var start = 0
        func take(_ end: Int) {
            var lo = start, hi = end
            while lo < hi && (field[lo] == 0x20 || field[lo] == 0x09) { lo += 1 }
            while hi > lo && (field[hi - 1] == 0x20 || field[hi - 1] == 0x09) { hi -= 1 }
            if hi > lo {
                let code = String(decoding: UnsafeBufferPointer(rebasing: field[lo..<hi]), as: UTF8.self)
                if !out.contains(code) { out.append(code) }
            }
        }
        for (i, b) in field.enumerated() where b == UInt8(ascii: "|") || b == UInt8(ascii: ",") || b == UInt8(ascii: ";") {
            take(i)
            start = i + 1
        }
        take(field.count)
    }

    private func admissions(_ c: Columns, _ context: IngestContext) throws -> (Row) throws -> Void {
        let start = try c.require("admission_date"), end = c.find("discharge_date")
        let method = c.find("admission_method"), destination = c.find("discharge_destination")
        let dischargeMethod = c.find("discharge_method")
        let primary = c.find("primary_diagnosis"), secondary = c.find("secondary_diagnosis")
        let all = c.find("all_diagnoses"), procedures = c.find("all_procedures")
        return { r in
            guard case let .ok(s?) = try r.fields.date(start, required: true),
                  case let .ok(e) = try r.fields.date(end, required: false) else { return }
            if let e, e < s {
                try context.reject(file: r.fields.file, line: r.row.line, field: c.names[end!], reason: "discharge before admission", value: e.description)
                return
            }
            var enc = Encounter(kind: "admission", start: s, end: e, source: r.tag)
            if let method, let code = r.row.optionalString(method) {
                guard let m = NHSDataDictionary.admissionMethod(code) else { try rejectCode(r, method, "unknown admission method code"); return }
                enc.method = m
                enc.admissionMethod = code.uppercased()
            }
            if let destination, let code = r.row.optionalString(destination) {
                guard let d = NHSDataDictionary.dischargeDestination(code) else { try rejectCode(r, destination, "unknown discharge destination code"); return }
                enc.destination = d
                enc.dischargeDestination = code
            } else if let dischargeMethod, r.row.optionalString(dischargeMethod) == "4" {
                enc.destination = "died"   // DISCHARGE METHOD 4: patient died
            }
            var diagnoses: [String] = []
            for col in [primary, secondary, all] { Self.unpack(col.map { r.row[$0] }, into: &diagnoses) }
            enc.diagnoses = diagnoses.map { Code(system: "icd10", code: $0) }
            var procs: [String] = []
            Self.unpack(procedures.map { r.row[$0] }, into: &procs)
            enc.procedures = procs.map { Code(system: "opcs4", code: $0) }
            try add(r, context, .encounter, s) { enc.write(to: &$0) }
        }
    }

    private func emergencyCare(_ c: Columns, _ context: IngestContext) throws -> (Row) throws -> Void {
        let start = try c.require("arrival_date"), end = c.find("departure_date", "end_date")
        let destination = c.find("discharge_destination")
        let diagnoses = (1...24).compactMap { c.find(String(format2: "diagnosis_", $0)) }
        return { r in
            guard case let .ok(s?) = try r.fields.date(start, required: true),
                  case let .ok(e) = try r.fields.date(end, required: false) else { return }
            var enc = Encounter(kind: "ae", start: s, end: e, source: r.tag)
            enc.dischargeDestination = r.row.optionalString(destination)
            enc.diagnoses = diagnoses.compactMap { r.row.optionalString($0) }.map { Code(system: "snomed", code: $0) }
            try add(r, context, .encounter, s) { enc.write(to: &$0) }
        }
    }

    private func outpatients(_ c: Columns, _ context: IngestContext) throws -> (Row) throws -> Void {
        let date = try c.require("appointment_date"), status = c.find("attendance_status")
        return { r in
            guard case let .ok(d?) = try r.fields.date(date, required: true) else { return }
            if let status, let code = r.row.optionalString(status) {
                guard let attended = NHSDataDictionary.outpatientAttended(code) else { try rejectCode(r, status, "unknown attendance status code"); return }
                if !attended { context.accounting.filter(reason: "outpatient appointment not attended"); return }
            }
            let enc = Encounter(kind: "outpatient", start: d, source: r.tag)
            try add(r, context, .encounter, d) { enc.write(to: &$0) }
        }
    }

    private func socialCare(_ c: Columns, _ context: IngestContext) throws -> (Row) throws -> Void {
        let start = try c.require("start_date", "event_start_date"), end = c.find("end_date", "event_end_date")
        let eventType = c.find("event_type"), service = c.find("service_type")
        let route = c.find("route_of_access", "request_route_of_access"), permanent = c.find("permanent")
        return { r in
            guard case let .ok(s?) = try r.fields.date(start, required: true),
                  case let .ok(e) = try r.fields.date(end, required: false) else { return }
            let type = r.row.optionalString(eventType)?.lowercased() ?? "service"
            let routeName = r.row.optionalString(route).map(NHSDataDictionary.routeOfAccess)
            if type != "service" {
                guard ["request", "assessment", "review"].contains(type) else { try rejectCode(r, eventType!, "unknown social care event type"); return }
                let enc = Encounter(kind: "social-care-\(type)", start: s, end: e, source: r.tag)
                try add(r, context, .encounter, s) { enc.write(to: &$0) }
                return
            }
            guard let service else {
                try context.reject(file: r.fields.file, line: r.row.line, field: "service_type", reason: "missing service type")
                return
            }
            guard case let .ok(raw) = try r.fields.required(service) else { return }
            guard let (kind, isPermanent) = NHSDataDictionary.serviceType(String(decoding: raw, as: UTF8.self)) else {
                try rejectCode(r, service, "unknown service type"); return
            }
            var episode = CareEpisode(kind: kind, start: s, end: e, permanent: isPermanent, route: routeName, source: r.tag)
            if let permanent, let text = r.row.optionalString(permanent) {
                switch text.lowercased() {
                case "true", "yes", "y", "1": episode.permanent = true
                case "false", "no", "n", "0": episode.permanent = false
                default: try rejectCode(r, permanent, "permanent must be true or false"); return
                }
            }
            try add(r, context, .care, s) { episode.write(to: &$0) }
        }
    }
}

extension String {
    /// "diagnosis_" + two-digit number.
    init(format2 prefix: String, _ n: Int) { self = prefix + (n < 10 ? "0" : "") + String(n) }
}
