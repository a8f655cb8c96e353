import CareModel

/// Standardised mean differences and variance ratios, treated against controls, for each
/// feature, before matching (every eligible treated person against every candidate) and after
/// (matched treated against their controls, each control weighted 1/k of its set).
public struct Balance: Sendable {
    public struct Row: Sendable {
        public var feature: AdmissionFeature
        public var smdBefore: Double
        public var smdAfter: Double
        public var varianceRatioBefore: Double
        public var varianceRatioAfter: Double
    }
    public var rows: [Row] = []
    /// The target: |SMD| below this after matching.
    public static let target = 0.1

    /// Weighted mean and variance.
    static func moments(_ values: [(Double, Double)]) -> (mean: Double, variance: Double) {
        let w = values.reduce(0) { $0 + $1.1 }
        guard w > 0 else { return (0, 0) }
        let mean = values.reduce(0) { $0 + $1.0 * $1.1 } / w
        let variance = values.reduce(0) { $0 + $1.1 * ($1.0 - mean) * ($1.0 - mean) } / w
        return (mean, variance)
    }

    /// SMD = (mean treated − mean controls) / √((var treated + var controls) / 2); 0 when both
    /// groups do not vary.
    static func smd(_ t: [(Double, Double)], _ c: [(Double, Double)]) -> (smd: Double, ratio: Double) {
        let a = moments(t), b = moments(c)
        let pooled = ((a.variance + b.variance) / 2).squareRoot()
        let smd = pooled > 0 ? (a.mean - b.mean) / pooled : (a.mean == b.mean ? 0 : .infinity)
        let ratio = b.variance > 0 ? a.variance / b.variance : (a.variance == 0 ? 1 : .infinity)
        return (smd, ratio)
    }

    public init(_ data: ImpactData, _ matching: Matching) {
        for (j, f) in AdmissionFeature.allCases.enumerated() {
            let before = Self.smd(data.treated.map { ($0.features[j], 1) }, data.candidates.map { ($0.features[j], 1) })
            var t: [(Double, Double)] = [], c: [(Double, Double)] = []
            for s in matching.sets {
                t.append((data.treated[s.treated].features[j], 1))
                for i in s.controls { c.append((data.candidates[i].features[j], 1 / Double(s.controls.count))) }
            }
            let after = Self.smd(t, c)
            rows.append(Row(feature: f, smdBefore: before.smd, smdAfter: after.smd, varianceRatioBefore: before.ratio, varianceRatioAfter: after.ratio))
        }
    }

    /// Features whose |SMD| after matching is at or above the target.
    public var imbalanced: [Row] { rows.filter { abs($0.smdAfter) >= Self.target } }
}
