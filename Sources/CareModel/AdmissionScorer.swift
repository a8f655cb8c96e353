import CareCore
import CareRisk

/// The admission model applied by risk-score (`--models admission:MODEL.json`): `risk.admission`
/// with the probability, the centile and band in the model's reference population, and the
/// largest contributions to the person's log-odds against an average person, in words.
public struct AdmissionScorer: RiskAddition {
    let model: AdmissionModel
    var record: RecordScope
    var reader: AdmissionFeatureReader
    /// How many reasons a person gets.
    public static let reasons = 3

    public init(model: AdmissionModel, models: ModelSet, asOf: ISODate, deprivation: DeprivationTable) {
        self.model = model
        record = RecordScope(asOf: asOf, deprivation: deprivation)
        reader = AdmissionFeatureReader(models: models)
    }

    /// The features on the day, or why the person is out of the model's population.
    mutating func features(_ line: UnsafeBufferPointer<UInt8>, _ facts: PersonFacts, _ results: [ModelResult], _ asOf: ISODate) -> Result<[Double], AdmissionFeatureReader.Exclusion>? {
        guard (try? record.load(line, validate: false)) != nil else { return nil }
        // The indices the features use, from what risk-score already scored when it has them all.
        let have = Set(results.map(\.key))
        let scored = ["efi", "hfrs", "charlson"].allSatisfy(have.contains) ? results : nil
        guard let r = try? reader.read(line, record: record, day: asOf, horizon: nil, given: facts, scored: scored) else { return nil }
        return r.map(\.features)
    }

    public mutating func member(line: UnsafeBufferPointer<UInt8>, facts: PersonFacts, results: [ModelResult], asOf: ISODate) -> [UInt8]? {
        guard let f = features(line, facts, results, asOf) else { return nil }
        var w = JSONWriter(capacity: 512)
        w.raw(#""admission":{"model":"admission","version":"#)
        w.string(model.version)
        w.raw(#","fitted_as_of":"#); w.string(model.asOf.description)
        w.raw(#","horizon":"#); w.string(model.horizon.description)
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
            for (i, c) in model.contributions(x).prefix(Self.reasons).enumerated() {
                if i > 0 { w.raw(UInt8(ascii: ",")) }
                w.raw(#"{"feature":"#); w.string(c.feature.rawValue)
                w.raw(#","value":"#); w.double(c.value)
                w.raw(#","contribution":"#); w.double((c.contribution * 100).rounded() / 100)
                w.raw(#","text":"#); w.string(Self.text(c))
                w.raw(UInt8(ascii: "}"))
            }
            w.raw(UInt8(ascii: "]"))
        }
        w.raw(UInt8(ascii: "}"))
        return w.bytes
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
