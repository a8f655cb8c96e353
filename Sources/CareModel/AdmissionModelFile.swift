import CareCore
import CareStatistics

/// The model file: JSON, written by `risk-model`, read by `risk-score --models admission:FILE`.
extension AdmissionModel {
    public var json: [UInt8] {
        var w = JSONWriter()
        var f = true
        w.raw(UInt8(ascii: "{"))
        w.member("model", first: &f); w.string("joinedup emergency-admission model")
        w.member("outcome", first: &f); w.string("at least one emergency admission starting in the \(horizon) after the day")
        w.member("version", first: &f); w.string(version)
        w.member("fitted", first: &f)
        var g = true
        w.raw(UInt8(ascii: "{"))
        w.member("as_of", first: &g); w.string(asOf.description)
        w.member("horizon", first: &g); w.string(horizon.description)
        w.member("input", first: &g); w.string(input)
        w.member("penalty", first: &g); w.double(penalty)
        w.raw(UInt8(ascii: "}"))
        w.member("intercept", first: &f)
        w.raw(#"{"coefficient":"#); w.double(intercept); w.raw(#","standard_error":"#); w.double(interceptStandardError); w.raw(UInt8(ascii: "}"))
        w.member("features", first: &f)
        w.raw(UInt8(ascii: "["))
        for (i, c) in coefficients.enumerated() {
            if i > 0 { w.raw(UInt8(ascii: ",")) }
            var h = true
            w.raw(UInt8(ascii: "{"))
            w.member("id", first: &h); w.string(c.feature.rawValue)
            w.member("definition", first: &h); w.string(c.feature.definition)
            if c.estimated {
                w.member("coefficient", first: &h); w.double(c.value)
                w.member("standard_error", first: &h); w.double(c.standardError)
                w.member("odds_ratio", first: &h); w.double(c.oddsRatio)
                w.member("lower95", first: &h); w.double(c.lower)
                w.member("upper95", first: &h); w.double(c.upper)
            } else {
                w.member("coefficient", first: &h); w.double(0)
                w.member("estimated", first: &h); w.bool(false)
                w.member("note", first: &h); w.string("the same for everyone in the fit population: not estimated")
            }
            w.member("mean", first: &h); w.double(c.mean)
            w.raw(UInt8(ascii: "}"))
        }
        w.raw(UInt8(ascii: "]"))
        if let p = fit { w.member("fit_performance", first: &f); Self.write(p, &w) }
        if let o = optimism {
            w.member("optimism_corrected", first: &f)
            w.raw(#"{"repetitions":"#); w.int(o.repetitions); w.raw(#","auc":"#); w.double(o.auc); w.raw(#","calibration_slope":"#); w.double(o.slope); w.raw(UInt8(ascii: "}"))
        }
        if let p = validation { w.member("validation", first: &f); Self.write(p, &w) }
        if let r = reference {
            w.member("reference_population", first: &f)
            w.raw(#"{"as_of":"#); w.string(r.asOf.description); w.raw(#","people":"#); w.int(r.people)
            w.raw(#","top_0_5_percent_from":"#); w.double(r.top05); w.raw(#","centiles":["#)
            for (i, c) in r.centiles.enumerated() { if i > 0 { w.raw(UInt8(ascii: ",")) }; w.double(c) }
            w.raw("]}")
        }
        w.raw("}\n")
        return w.bytes
    }

    static func write(_ p: Performance, _ w: inout JSONWriter) {
        var f = true
        w.raw(UInt8(ascii: "{"))
        w.member("as_of", first: &f); w.string(p.asOf.description)
        w.member("people", first: &f); w.int(p.people)
        w.member("events", first: &f); w.int(p.events)
        w.member("auc", first: &f)
        w.raw(#"{"value":"#); w.double(p.auc.value); w.raw(#","standard_error":"#); w.double(p.auc.standardError)
        w.raw(#","lower95":"#); w.double(p.auc.lower); w.raw(#","upper95":"#); w.double(p.auc.upper); w.raw(#","method":"DeLong"}"#)
        let c = p.calibration
        w.member("calibration", first: &f)
        w.raw(#"{"observed":"#); w.double(c.observed); w.raw(#","mean_predicted":"#); w.double(c.meanPredicted)
        w.raw(#","slope":"#); w.double(c.slope); w.raw(#","slope_lower95":"#); w.double(c.slopeLower); w.raw(#","slope_upper95":"#); w.double(c.slopeUpper)
        w.raw(#","brier":"#); w.double(c.brier); w.raw(#","deciles":["#)
        for (i, d) in c.deciles.enumerated() {
            if i > 0 { w.raw(UInt8(ascii: ",")) }
            w.raw(#"{"people":"#); w.int(d.people); w.raw(#","events":"#); w.int(d.events); w.raw(#","mean_predicted":"#); w.double(d.meanPredicted); w.raw(UInt8(ascii: "}"))
        }
        w.raw("]}")
        w.member("indices_auc", first: &f)
        w.raw(UInt8(ascii: "{"))
        for (i, x) in p.indices.enumerated() {
            if i > 0 { w.raw(UInt8(ascii: ",")) }
            w.string(x.key); w.raw(#":{"value":"#); w.double(x.auc.value); w.raw(#","lower95":"#); w.double(x.auc.lower); w.raw(#","upper95":"#); w.double(x.auc.upper); w.raw(UInt8(ascii: "}"))
        }
        w.raw("}}")
    }

    /// Reads a model file: its features must be features this program computes.
    public init(path: String) throws {
        let bytes = try InputFile(path: path).readAll(limit: 16 << 20)
        let v: JSONValue
        do { v = try bytes.withUnsafeBufferPointer { try JSONValue(parsing: $0) } } catch {
            throw CareError(.config, "\(path): not a model file (\(error))")
        }
        guard v["model"]?.stringValue == "joinedup emergency-admission model",
              let asOf = v["fitted"]?["as_of"]?.stringValue.flatMap({ ISODate.parse($0) }),
              let intercept = v["intercept"]?["coefficient"]?.doubleValue, case .array(let features)? = v["features"] else {
            throw CareError(.config, "\(path): not a joinedup emergency-admission model file (risk-model writes them)")
        }
        var coefficients: [Coefficient] = []
        for f in features {
            guard let id = f["id"]?.stringValue, let feature = AdmissionFeature(rawValue: id) else {
                throw CareError(.config, "\(path): feature '\(f["id"]?.stringValue ?? "?")' is not one this version computes")
            }
            let estimated = f["estimated"] != .bool(false)
            guard let c = f["coefficient"]?.doubleValue, let mean = f["mean"]?.doubleValue, let se = estimated ? f["standard_error"]?.doubleValue : .nan else {
                throw CareError(.config, "\(path): feature \(id) lacks its coefficient, standard error or mean")
            }
            coefficients.append(Coefficient(feature: feature, value: c, standardError: se, mean: mean, estimated: estimated))
        }
        guard coefficients.map(\.feature) == AdmissionFeature.allCases else {
            throw CareError(.config, "\(path): the model's features are not this version's (\(AdmissionFeature.allCases.count) in order): refit with this risk-model")
        }
        let horizonText = v["fitted"]?["horizon"]?.stringValue ?? "12m"
        guard case .literal(.duration(let horizon))? = try? Expression.parse(horizonText) else { throw CareError(.config, "\(path): horizon '\(horizonText)' is not a duration") }
        self.init(intercept: intercept, interceptStandardError: v["intercept"]?["standard_error"]?.doubleValue ?? 0, coefficients: coefficients,
                  asOf: asOf, horizon: horizon, penalty: v["fitted"]?["penalty"]?.doubleValue ?? 0, input: v["fitted"]?["input"]?.stringValue ?? "")
        version = v["version"]?.stringValue ?? ""
        if let r = v["reference_population"] {
            guard let day = r["as_of"]?.stringValue.flatMap({ ISODate.parse($0) }), let people = r["people"]?.doubleValue,
                  case .array(let cs)? = r["centiles"], cs.count == 99, cs.allSatisfy({ $0.doubleValue != nil }),
                  let top = r["top_0_5_percent_from"]?.doubleValue else {
                throw CareError(.config, "\(path): reference_population needs as_of, people, 99 centiles and top_0_5_percent_from")
            }
            reference = (day, Int(people), cs.compactMap(\.doubleValue), top)
        }
    }
}
