import CareCore
import CareRisk

/// The admission model applied by risk-score (`--models admission:MODEL.json`): `risk.admission`
/// with the probability, the centile and band in the model's reference population, and the
/// largest contributions to the person's log-odds against an average person, in words.
public struct AdmissionScorer: RiskAddition {
    let model: AdmissionModel
    var record: RecordScope
    var reader: AdmissionFeatureReader
    var writer = JSONWriter(capacity: 1024)
    /// `"admission":{"model":…,"horizon":…`: the same for everyone.
    let head: [UInt8]
    struct ReasonKey: Hashable { var position: Int; var value: Double }
    /// Reasons already written, as bytes (at most `reasonCacheSize`: counts take few values).
    var reasonCache: [ReasonKey: [UInt8]] = [:]
    static let reasonCacheSize = 4096
    /// How many reasons a person gets.
    public static let reasons = 3

    public init(model: AdmissionModel, models: ModelSet, asOf: ISODate, deprivation: DeprivationTable) {
        self.model = model
        record = RecordScope(asOf: asOf, deprivation: deprivation)
        reader = AdmissionFeatureReader(models: models)
        var w = JSONWriter(capacity: 256)
        w.raw(#""admission":{"model":"admission","version":"#)
        w.string(model.version)
        w.raw(#","fitted_as_of":"#); w.string(model.asOf.description)
        w.raw(#","horizon":"#); w.string(model.horizon.description)
        head = w.bytes
    }

    /// The features on the day, or why the person is out of the model's population.
    mutating func features(_ line: UnsafeBufferPointer<UInt8>, _ facts: PersonFacts, _ results: [ModelResult], _ asOf: ISODate) -> Result<[Double], AdmissionFeatureReader.Exclusion>? {
        // The indices the features use, from what risk-score already scored when it has them all.
        var have = 0
        for r in results where r.key == "efi" || r.key == "hfrs" || r.key == "charlson" { have += 1 }
        let scored = have == 3 ? results : nil
        guard let r = try? reader.read(line, record: record, day: asOf, horizon: nil, given: facts, scored: scored) else { return nil }
        return r.map(\.features)
    }

    public mutating func member(line: UnsafeBufferPointer<UInt8>, facts: PersonFacts, results: [ModelResult], asOf: ISODate) -> [UInt8]? {
        guard let f = features(line, facts, results, asOf) else { return nil }
        // One buffer, reused: lent to the caller with the result, unique again by the next person.
        var w = JSONWriter(capacity: 0)
        swap(&w, &writer)
        w.bytes.removeAll(keepingCapacity: true)
        w.raw(head)
        switch f {
        case .failure(let why):
            w.raw(#","in_population":false,"population_note":"#); w.string("not scored: \(why.rawValue)")
        case .success(let x):
            let p = model.probability(x)
            w.raw(#","in_population":true,"probability":"#); w.double((p * 1e6).rounded() / 1e6)
            if let c = model.centile(p) {
                w.raw(#","centile":"#); w.int(c.centile)
                w.raw(#","band":"#); w.string(c.band.rawValue)
            }
            w.raw(#","reasons":["#)
            for (i, c) in model.largestContributions(x, Self.reasons).enumerated() {
                if i > 0 { w.raw(UInt8(ascii: ",")) }
                // A reason is a function of the feature and its value alone: written once.
                let key = ReasonKey(position: c.feature.position, value: c.value)
                if let bytes = reasonCache[key] { w.raw(bytes); continue }
                var r = JSONWriter(capacity: 160)
                r.raw(#"{"feature":"#); r.string(c.feature.rawValue)
                r.raw(#","value":"#); r.double(c.value)
                r.raw(#","contribution":"#); r.double((c.contribution * 100).rounded() / 100)
                r.raw(#","text":"#); r.string(Self.text(c))
                r.raw(UInt8(ascii: "}"))
                if reasonCache.count < Self.reasonCacheSize { reasonCache[key] = r.bytes }
                w.raw(r.bytes)
            }
            w.raw(UInt8(ascii: "]"))
        }
        w.raw(UInt8(ascii: "}"))
        writer = w
        return w.bytes
    }

    public var csvHeader: String { ",admission_probability,admission_centile,admission_band,admission_in_population" }

    public mutating func csv(line: UnsafeBufferPointer<UInt8>, facts: PersonFacts, results: [ModelResult], asOf: ISODate) -> String {
        switch features(line, facts, results, asOf) {
        case nil: return ",,,,"
        case .failure?: return ",,,,false"
        case .success(let x)?:
            let p = model.probability(x)
            let c = model.centile(p)
            return ",\((p * 1e6).rounded() / 1e6),\(c.map { String($0.centile) } ?? ""),\(c?.band.rawValue ?? ""),true"
        }
    }

    /// "3 emergency admissions in the last 6 months: +1.1".
    static func text(_ c: (feature: AdmissionFeature, value: Double, contribution: Double)) -> String {
        let sign = c.contribution >= 0 ? "+" : "−"
        return "\(c.feature.words(c.value)): \(sign)\(ModelCard.n(abs(c.contribution), 2))"
    }

    public mutating func text(line: UnsafeBufferPointer<UInt8>, facts: PersonFacts, results: [ModelResult], asOf: ISODate) -> String? {
        guard let f = features(line, facts, results, asOf) else { return nil }
        switch f {
        case .failure(let why): return "  admission (local model fitted \(model.asOf)): not scored: \(why.rawValue)\n"
        case .success(let x):
            let p = model.probability(x)
            var s = "  admission (local model fitted \(model.asOf)): \(ModelCard.n(p * 100, 1)) % chance of an emergency admission in the next \(model.horizon)"
            if let c = model.centile(p) { s += "; centile \(c.centile) (\(c.band.words)) of the \(model.reference!.people) people it was checked on, \(model.reference!.asOf)" }
            s += "\n    contributions to the log-odds against an average person (average log-odds \(ModelCard.n(model.linearPredictor(model.coefficients.map(\.mean)), 2))):\n"
            for c in model.contributions(x) where abs(c.contribution) >= 0.005 { s += "    \(Self.text(c))\n" }
            return s
        }
    }
}
