import CareCore
import CareStatistics

/// Fitting and judging the model: the logistic regression, discrimination and calibration, the
/// published indices on the same people, and a bootstrap optimism correction.
public enum AdmissionFitting {
    /// Fits on `data` (outcomes required).
    public static func fit(_ data: AdmissionData, asOf: ISODate, horizon: CareCore.Duration, penalty: Double, input: String) throws -> AdmissionModel {
        let k = AdmissionFeature.allCases.count
        var means = [Double](repeating: 0, count: k)
        var varies = [Bool](repeating: false, count: k)
        let first = data.rows[0].features
        for r in data.rows { for j in 0..<k { means[j] += r.features[j]; if r.features[j] != first[j] { varies[j] = true } } }
        for j in 0..<k { means[j] /= Double(data.rows.count) }
        // A feature that is the same for everyone cannot be estimated: it is left out of the fit,
        // kept in the model with no coefficient, and the card says so.
        let used = (0..<k).filter { varies[$0] }
        let result: LogisticRegression.Fit
        do {
            result = try LogisticRegression.fit(columns: used.count, penalty: penalty) { visit in
                var x = [Double](repeating: 0, count: used.count)
                for r in data.rows {
                    for (i, j) in used.enumerated() { x[i] = r.features[j] }
                    visit(x, r.outcome! ? 1 : 0)
                }
            }
        } catch let e as LogisticRegression.FitError {
            throw CareError(.dataError, "the model cannot be fitted on \(data.rows.count) people (\(data.rows.filter { $0.outcome! }.count) admitted): \(e)")
        }
        let coefficients = AdmissionFeature.allCases.enumerated().map { j, f -> AdmissionModel.Coefficient in
            guard let i = used.firstIndex(of: j) else { return AdmissionModel.Coefficient(feature: f, value: 0, standardError: .nan, mean: means[j], estimated: false) }
            return AdmissionModel.Coefficient(feature: f, value: result.coefficients[i + 1], standardError: result.standardErrors[i + 1], mean: means[j])
        }
        var model = AdmissionModel(intercept: result.coefficients[0], interceptStandardError: result.standardErrors[0], coefficients: coefficients,
                                   asOf: asOf, horizon: horizon, penalty: penalty, input: input)
        model.fit = try evaluate(model, data, asOf: asOf)
        return model
    }

    /// How `model` does on `data`.
    public static func evaluate(_ model: AdmissionModel, _ data: AdmissionData, asOf: ISODate) throws -> AdmissionModel.Performance {
        let p = data.rows.map { model.probability($0.features) }
        let y = data.rows.map { $0.outcome! }
        guard let auc = Discrimination.auc(p, y) else {
            throw CareError(.dataError, "on \(asOf) everyone \(y.first == true ? "had" : "had no") emergency admission in the window: no discrimination to measure")
        }
        let calibration = try Discrimination.calibration(p, y)
        var indices: [(String, Discrimination.AUC)] = []
        for key in ["efi", "hfrs", "charlson", "elixhauser"] {
            let values = data.rows.map { $0.indices[key] }
            guard values.allSatisfy({ $0 != nil }), let a = Discrimination.auc(values.map { $0! }, y) else { continue }
            indices.append((key, a))
        }
        return AdmissionModel.Performance(asOf: asOf, people: y.count, events: y.filter { $0 }.count, auc: auc, calibration: calibration,
                                          indices: indices, predictions: p, outcomes: y)
    }

    /// Harrell's bootstrap optimism correction: refit on `repetitions` resamples (seeded), and
    /// take off the apparent AUC (and calibration slope, 1 by construction) the mean amount by
    /// which each resample's model does better on itself than on the original people.
    public static func optimism(_ model: AdmissionModel, _ data: AdmissionData, repetitions: Int, seed: UInt64 = 20261130) throws -> (auc: Double, slope: Double) {
        guard let apparent = model.fit else { return (0, 1) }
        var rng = SplitMix64(seed: seed)
        var aucOptimism = 0.0, slopeOptimism = 0.0, done = 0
        let n = data.rows.count
        for _ in 0..<repetitions {
            var sample = AdmissionData()
            sample.rows = (0..<n).map { _ in data.rows[Int(rng.next() % UInt64(n))] }
            guard let refit = try? fit(sample, asOf: model.asOf, horizon: model.horizon, penalty: model.penalty, input: model.input),
                  let onSample = refit.fit, let onOriginal = try? evaluate(refit, data, asOf: model.asOf) else { continue }
            aucOptimism += onSample.auc.value - onOriginal.auc.value
            slopeOptimism += onSample.calibration.slope - onOriginal.calibration.slope
            done += 1
        }
        guard done > 0 else { throw CareError(.dataError, "no bootstrap resample could be fitted") }
        return (apparent.auc.value - aucOptimism / Double(done), apparent.calibration.slope - slopeOptimism / Double(done))
    }
}
