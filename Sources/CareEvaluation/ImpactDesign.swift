import CareCore
import CareModel

/// What the user asked for: the intervention, the period its index dates fall in, who is
/// eligible, how to match, how long the windows are, and the seeds.
public struct ImpactDesign: Sendable {
    public var intervention: Intervention
    public var from: ISODate
    public var to: ISODate
    public var eligibility: Expression?
    public var eligibilityText: String?
    /// Field paths matched exactly (besides the index month, always).
    public var exact: [[String]] = []
    /// Controls per treated person (1:k, without replacement).
    public var ratio = 1
    /// The caliper, in standard deviations of the propensity score's logit.
    public var caliper = 0.2
    /// Before and after windows.
    public var window = CareCore.Duration(months: 12)
    /// Candidate controls drawn per treated person in each index month.
    public var pool = 50
    public var seed: UInt64 = 20261130
    public var bootstrap = 1000
    /// A fitted admission model (risk-model's file): matched also on its prognostic score, the
    /// predicted log-odds of an emergency admission, within the same caliper on its own scale.
    public var prognostic: AdmissionModel?
    /// L2 penalty of the propensity model.
    public var penalty = 1.0
    public var deprivation: DeprivationTable = .bundled
    public var codelists: String?
    /// Unit costs (outcome-report's file: emergency_admission, bed_day, ae_attendance), or none.
    public var unitCosts: [String: Double] = [:]

    public init(intervention: Intervention, from: ISODate, to: ISODate) {
        self.intervention = intervention
        self.from = from
        self.to = to
    }
}
