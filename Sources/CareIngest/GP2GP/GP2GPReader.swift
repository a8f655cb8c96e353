import CareCore

/// Streams one GP2GP document: libxml2's reader walks the document, and each `ehrComposition`
/// (one consultation or journal entry) is expanded into a small tree, mapped, and freed, so
/// memory is bounded by the largest composition, not by the file.
final class GP2GPReader {
    let path: String
    /// The document's name within its source, for keys local to it (`gp2gp:NAME`).
    let name: String
    let entries: DocumentEntries
    let context: IngestContext

    /// The extract being read.
    private struct Extract {
        var line: Int
        var depth: Int
        var nhsNumber: String?
        var nhsProblem: String?
        var ods: String?
        var date: ISODate?
        var owner: DocumentEntries.Owner?
        /// Coded statements by id, so a problem (LinkSet) can take its named statement's codes.
        var statements: [String: (codes: EntryCodes, term: String?)] = [:]
        /// Problems whose named statement has not been read yet, by that statement's id.
        var waiting: [String: [Problem]] = [:]
        var unknownSystems: [String] = []
        /// Medication courses by their ehrSupplyAuthorise id, held until the extract ends so a
        /// discontinuation anywhere in it can end them.
        var courses: [(authorise: String, event: Event, line: Int)] = []
        /// Discontinuations (ehrSupplyDiscontinue) by the authorise id they reverse.
        var discontinued: [(authorise: String, date: ISODate, reason: String?, line: Int)] = []
    }
    private var extract: Extract?
    private var extractCount = 0

    /// A LinkSet: a problem naming one statement.
    struct Problem {
        var line: Int
        var date: ISODate
        var dateFrom: String?
        var end: ISODate?
        var status: String?
        var significance: String?
    }

    init(path: String, name: String, file: UInt32, context: IngestContext) {
        self.path = path
        self.name = name
        self.context = context
        // Each extract's entries wait until the extract has been read whole.
        entries = DocumentEntries(context: context, file: file, staging: DocumentEntries.Staging())
    }

    func read() throws {
        let reader = try SafeXMLReader(path: path)
        do {
            var more = try reader.read()
            while more {
                guard reader.isElementStart || reader.isElementEnd else { more = try reader.read(); continue }
                if reader.isElementEnd {
                    if reader.localName(is: "EhrExtract"), let x = extract, reader.depth == x.depth { try finishExtract() }
                    more = try reader.read()
                    continue
                }
                if reader.localName(is: "EhrExtract") {
                    if extract != nil { try finishExtract() }
                    extractCount += 1
                    extract = Extract(line: reader.line, depth: reader.depth)
                    if reader.isEmptyElement { try finishExtract() }
                    more = try reader.read()
                } else if extract != nil && reader.depth == extract!.depth + 1 && reader.localName(is: "recordTarget") {
                    readRecordTarget(try reader.expand())
                    more = try reader.next()
                } else if extract != nil && reader.depth == extract!.depth + 1 && reader.localName(is: "author") {
                    extract!.ods = try reader.expand().at("AgentOrgSDS", "agentOrganizationSDS", "id")?.attribute("extension")?.trimmingSpaces
                    more = try reader.next()
                } else if extract != nil && reader.depth == extract!.depth + 1 && reader.localName(is: "availabilityTime") {
                    extract!.date = HL7Values.date(try reader.expand().attribute("value"))
                    more = try reader.next()
                } else if extract != nil && (reader.localName(is: "responsibleParty") || reader.localName(is: "agentDirectory")) {
                    more = try reader.next()   // clinicians' names: not needed
                } else if extract != nil && reader.localName(is: "ehrComposition") {
                    try composition(try reader.expand())
                    more = try reader.next()
                } else {
                    more = try reader.read()
                }
            }
            if extract != nil { try finishExtract() }
            if extractCount == 0 {
                try entries.reject(line: reader.line, field: "EhrExtract", reason: "not a GP2GP extract",
                                   detail: "no EhrExtract element in the document")
            }
        } catch let f as SafeXMLReader.Failure {
            // Extracts read whole before the fault stand. The one being read is incomplete, so
            // none of it is added: each entry read so far is rejected, and the fault itself is
            // one more rejected record naming the file and line.
            if let x = extract {
                let detail = "the extract breaks off at line \(f.line)"
                for line in x.courses.map(\.line) + x.discontinued.map(\.line) {
                    try entries.reject(line: line, field: nil, reason: "in an unreadable extract", detail: detail)
                }
                try entries.discard(reason: "in an unreadable extract", detail: detail)
                extract = nil
            }
            try entries.reject(line: f.line, field: nil, reason: "unreadable XML", detail: f.message)
        }
    }

    // MARK: the extract

    private func readRecordTarget(_ e: XMLElement) {
        // The patient's id whose root is the NHS number OID; never shown in messages.
        let ids = e.child("patient")?.children("id") ?? []
        guard !ids.isEmpty else { extract!.nhsProblem = "recordTarget has no patient id"; return }
        guard let nhs = ids.first(where: { $0.attribute("root") == "2.16.840.1.113883.2.1.4.1" })?.attribute("extension") else {
            extract!.nhsProblem = "recordTarget has no NHS number (id root 2.16.840.1.113883.2.1.4.1)"; return
        }
        switch NHSNumber.validate(nhs.trimmingSpaces) {
        case let .success(n): extract!.nhsNumber = n
        case let .failure(p): extract!.nhsProblem = "the recordTarget NHS number is not valid (\(p.rawValue))"
        }
    }

    /// The person entries belong to, fixed at the first entry: the NHS number when valid, else
    /// a key local to the file (`gp2gp:FILE`, `#n` for the n-th extract of a file), which never
    /// joins other sources.
    private func owner() -> DocumentEntries.Owner {
        if let o = extract!.owner { return o }
        let tag = context.tag("gp2gp:" + (extract!.ods ?? name))
        let o: DocumentEntries.Owner
        if let nhs = extract!.nhsNumber {
            o = .init(key: Array(nhs.utf8), scope: nil, sourceTag: tag)
        } else {
            let local = name + (extractCount > 1 ? "#\(extractCount)" : "")
            o = .init(key: Array(local.utf8), scope: Array("gp2gp:".utf8), sourceTag: tag)
            entries.warn("extract at line \(extract!.line): \(extract!.nhsProblem ?? "no NHS number"); the person is kept as gp2gp:\(Mask.path(local)) and joins no other source")
        }
        extract!.owner = o
        return o
    }

    private func finishExtract() throws {
        guard extract != nil else { return }
        let o = owner()
        // Problems whose named statement never came: rejected, naming the LinkSet.
        for (_, problems) in extract!.waiting.sorted(by: { $0.key < $1.key }) {
            for p in problems {
                try entries.reject(line: p.line, field: "LinkSet/conditionNamed", reason: "problem names a statement not in the extract")
            }
        }
        try settleCourses(owner: o)
        if !extract!.unknownSystems.isEmpty {
            entries.warn("code systems not known to schema 1, kept as \"local\": \(extract!.unknownSystems.joined(separator: ", "))")
        }
        let person = Person(id: "", nhsNumber: extract!.nhsNumber, practice: extract!.ods)
        try entries.patient(person, owner: o, line: extract!.line)
        try entries.commit()
        extract = nil
    }

    // MARK: compositions and statements

    /// What a statement inherits from where it sits.
    struct Setting {
        var compositionDate: ISODate?
        /// Inside an allergy category (GP2GP files allergies under CompoundStatement 14L..00 / SN53.00).
        var allergy = false
    }

    private func composition(_ c: XMLElement) throws {
        var date = HL7Values.start(c.child("effectiveTime")).date
        if date == nil { date = HL7Values.date(c.child("availabilityTime")?.attribute("value")) }
        if date == nil { date = HL7Values.date(c.at("author", "time")?.attribute("value")) }
        try components(of: c, Setting(compositionDate: date))
    }

    private func components(of parent: XMLElement, _ setting: Setting) throws {
        try parent.forEachChild { comp in
            guard comp.named("component") else { return }
            try comp.forEachChild { s in try statement(s, setting) }
        }
    }

    static let allergyCategories: Set<String> = ["14L..00", "SN53.00", "1631000175102"]

    private func statement(_ s: XMLElement, _ setting: Setting) throws {
        // Told apart without making a String of each element's name.
        if s.named("ObservationStatement") {
            try coded(s, kind: setting.allergy ? "allergy" : "observation", setting, value: true)
        } else if s.named("NarrativeStatement") {
            try remember(s, codes: EntryCodes(), term: nil)   // a problem naming it has no code to take
            entries.filter("free text (no code)")
        } else if s.named("CompoundStatement") {
            try compound(s, setting)
        } else if s.named("MedicationStatement") {
            try medication(s, setting)
        } else if s.named("RequestStatement") {
            try coded(s, kind: "referral", setting)
        } else if s.named("PlanStatement") {
            try coded(s, kind: "plan", setting)
        } else if s.named("LinkSet") {
            try problem(s, setting)
        } else if s.named("ExternalDocument") {
            entries.filter("attachment (not a coded entry)")
        } else if s.named("ehrComposition") {
            try composition(s)
        } else {
            entries.filter("GP2GP \(s.name) (not read)")
        }
    }

    /// A CompoundStatement: a container (category, topic, cluster) whose statements are read,
    /// or a battery, which is also a coded observation of its own.
    private func compound(_ s: XMLElement, _ setting: Setting) throws {
        var inner = setting
        let code = s.child("code")?.attribute("code") ?? ""
        if Self.allergyCategories.contains(code) { inner.allergy = true }
        if s.attribute("classCode") == "BATTERY" {
            // A battery (blood pressure, a blood count) is itself a coded observation.
            try coded(s, kind: "observation", setting)
        }
        try components(of: s, inner)
    }

    /// An entry's date: its own effective time, else when it was recorded, else its
    /// composition's date, else the extract's; `from` says which when it is not its own.
    private func date(of s: XMLElement, _ setting: Setting, field: String) throws -> (date: ISODate, from: String?)? {
        let own = HL7Values.start(s.child("effectiveTime"))
        if let d = own.date { return (d, nil) }
        if let text = own.text {
            try entries.reject(line: s.line, field: "\(s.name)/\(field)", reason: "invalid date", value: text)
            return nil
        }
        if let d = HL7Values.date(s.child("availabilityTime")?.attribute("value")) { return (d, "availability-time") }
        if let d = setting.compositionDate { return (d, "composition") }
        if let d = extract!.date { return (d, "extract") }
        try entries.reject(line: s.line, field: "\(s.name)/effectiveTime", reason: "missing date")
        return nil
    }

    private func codes(_ cd: XMLElement?, medication: Bool = false) -> EntryCodes {
        var codes = EntryCodes()
        HL7Values.codes(cd, into: &codes, medication: medication)
        for u in codes.unknownSystems where !extract!.unknownSystems.contains(u) { extract!.unknownSystems.append(u) }
        return codes
    }

    private func term(_ cd: XMLElement?) -> String? {
        guard context.withTerms, let cd else { return nil }
        return cd.child("originalText")?.text.trimmingSpaces.nonEmpty ?? cd.attribute("displayName")
    }

    private func coded(_ s: XMLElement, kind: String, _ setting: Setting, value: Bool = false) throws {
        let cd = s.child("code")
        let c = codes(cd), t = term(cd)
        try remember(s, codes: c, term: t)
        guard let (primary, others) = c.chosen() else {
            entries.filter("no code (free text only)")
            return
        }
        guard let (d, from) = try date(of: s, setting, field: "effectiveTime") else { return }
        var e = Event(date: d, end: HL7Values.end(s.child("effectiveTime")), kind: kind, system: primary.system, code: primary.code,
                      term: t, source: "", otherCodes: others, dateFrom: from)
        if value, let q = HL7Values.quantity(s.child("value")) { e.value = q.number; e.unit = q.unit }
        // "Recorded as uncertain" (HL7 ActUncertainty U): kept, and said, so a list or pathway
        // can leave out a suspected diagnosis.
        if s.child("uncertaintyCode")?.attribute("code") == "U" { e.status = "uncertain" }
        try entries.event(e, owner: owner(), line: s.line)
    }

    /// Keeps a statement's codes by its id, for a problem (LinkSet) naming it later, and
    /// completes the problems that named it earlier.
    private func remember(_ s: XMLElement, codes c: EntryCodes, term: String?) throws {
        guard let id = s.child("id")?.attribute("root") else { return }
        extract!.statements[id] = (c, term)
        if let problems = extract!.waiting.removeValue(forKey: id) {
            for p in problems { try emitProblem(p, codes: c, term: term) }
        }
    }

    /// A MedicationStatement: a course (ehrSupplyAuthorise) is a `medication`; an issue
    /// (ehrSupplyPrescribe, GP2GP puts each in its own statement) is a `prescription`.
    private func medication(_ s: XMLElement, _ setting: Setting) throws {
        let material = s.at("consumable", "manufacturedProduct", "manufacturedMaterial")
        let cd = material?.child("code")
        let c = codes(cd, medication: true), t = term(cd)
        try remember(s, codes: c, term: t)
        var authorise: XMLElement?, prescribe: XMLElement?, discontinue: XMLElement?
        s.forEachChild { comp in
            guard comp.named("component") else { return }
            if let a = comp.child("ehrSupplyAuthorise") { authorise = authorise ?? a }
            if let p = comp.child("ehrSupplyPrescribe") { prescribe = prescribe ?? p }
            if let d = comp.child("ehrSupplyDiscontinue") { discontinue = discontinue ?? d }
        }
        // A statement holding only a discontinuation starts nothing: it ends the course it
        // reverses (reversalOf/priorMedicationRef), settled when the extract ends.
        if let d = discontinue, authorise == nil, prescribe == nil {
            try discontinuation(d, in: s, setting)
            return
        }
        guard let (primary, others) = c.chosen() else {
            entries.filter("no code (free text only)"); return
        }
        let kind = authorise != nil || prescribe == nil ? "medication" : "prescription"
        var dated: (date: ISODate, from: String?)?
        if kind == "prescription", let p = prescribe, let d = HL7Values.date(p.child("availabilityTime")?.attribute("value")) {
            dated = (d, nil)
        } else {
            dated = try date(of: s, setting, field: "effectiveTime")
        }
        guard let (d, from) = dated else { return }
        let status = s.child("statusCode")?.attribute("code")?.lowercased()
        let e = Event(date: d, end: kind == "medication" ? HL7Values.end(s.child("effectiveTime")) : nil, kind: kind,
                      system: primary.system, code: primary.code, term: t, source: "", otherCodes: others,
                      status: kind == "medication" ? status : nil, dateFrom: from)
        if kind == "medication", let id = authorise?.child("id")?.attribute("root") {
            extract!.courses.append((id, e, s.line))
            return
        }
        try entries.event(e, owner: owner(), line: s.line)
    }

    /// An ehrSupplyDiscontinue: the course it names, its date (its own availability time, else
    /// the statement's), and the reason given (its code's display name, else its annotation).
    private func discontinuation(_ d: XMLElement, in s: XMLElement, _ setting: Setting) throws {
        guard let named = d.at("reversalOf", "priorMedicationRef", "id")?.attribute("root") else {
            try entries.reject(line: s.line, field: "ehrSupplyDiscontinue/reversalOf", reason: "discontinuation names no course")
            return
        }
        let date: ISODate
        if let own = HL7Values.date(d.child("availabilityTime")?.attribute("value")) {
            date = own
        } else {
            guard let dated = try self.date(of: s, setting, field: "effectiveTime") else { return }
            date = dated.date
        }
        let annotation = d.at("pertinentInformation", "pertinentSupplyAnnotation", "text")?.text.trimmingSpaces.nonEmpty
        let reason = d.child("code")?.child("originalText")?.text.trimmingSpaces.nonEmpty ?? d.child("code")?.attribute("displayName") ?? annotation
        extract!.discontinued.append((named, date, reason, s.line))
    }

    static let discontinuedReason = "medication discontinuation (ends the course it names)"

    /// Ends each held course a discontinuation names (status `stopped`, end the stop date,
    /// `end_reason`), then adds the courses; a discontinuation naming no course in the extract
    /// is rejected.
    private func settleCourses(owner o: DocumentEntries.Owner) throws {
        for stop in extract!.discontinued {
            guard let i = extract!.courses.firstIndex(where: { $0.authorise == stop.authorise }) else {
                try entries.reject(line: stop.line, field: "ehrSupplyDiscontinue/reversalOf", reason: "discontinuation names a course not in the extract")
                continue
            }
            var e = extract!.courses[i].event
            if e.end.map({ stop.date < $0 }) ?? true { e.end = stop.date }
            e.status = "stopped"
            e.endReason = stop.reason
            extract!.courses[i].event = e
            entries.filter(Self.discontinuedReason)
        }
        for course in extract!.courses { try entries.event(course.event, owner: o, line: course.line) }
    }

    /// A LinkSet: 394774009 active / 394775005 inactive / 394776006 unspecified problem, naming the statement that
    /// says what the problem is. It becomes a `problem` event with that statement's codes.
    private func problem(_ s: XMLElement, _ setting: Setting) throws {
        let code = s.child("code")
        let status: String?
        switch code?.attribute("code") {
        case "394774009": status = "active"
        case "394775005": status = "inactive"
        case "394776006": status = nil   // unspecified problem
        default:
            entries.filter("LinkSet that is not a problem")
            return
        }
        var significance: String?
        if let q = code?.at("qualifier", "name")?.attribute("code") {
            significance = q == "386134007" ? "major" : (q == "394847000" ? nil : "minor")
        }
        if significance == nil, let text = code?.child("originalText")?.text.lowercased() {
            if text.hasSuffix("major") { significance = "major" } else if text.hasSuffix("minor") { significance = "minor" }
        }
        guard let dated = try date(of: s, setting, field: "effectiveTime") else { return }
        let p = Problem(line: s.line, date: dated.date, dateFrom: dated.from, end: HL7Values.end(s.child("effectiveTime")),
                        status: status, significance: significance)
        guard let named = s.at("conditionNamed", "namedStatementRef", "id")?.attribute("root") else {
            try entries.reject(line: s.line, field: "LinkSet/conditionNamed", reason: "missing code", detail: "the problem names no statement")
            return
        }
        if let known = extract!.statements[named] {
            try emitProblem(p, codes: known.codes, term: known.term)
        } else {
            extract!.waiting[named, default: []].append(p)
        }
    }

    private func emitProblem(_ p: Problem, codes: EntryCodes, term: String?) throws {
        guard let (primary, others) = codes.chosen() else {
            try entries.reject(line: p.line, field: "LinkSet/conditionNamed", reason: "missing code", detail: "the named statement has no code")
            return
        }
        let e = Event(date: p.date, end: p.end, kind: "problem", system: primary.system, code: primary.code, term: term, source: "",
                      otherCodes: others, status: p.status, significance: p.significance, dateFrom: p.dateFrom)
        try entries.event(e, owner: owner(), line: p.line)
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
