/// XmR charts as NHS England's Making Data Count draws them (NHSRplotthedots,
/// ptd_spc_standard; ../shared/reference/outcomes/METHODS.md §4).
public struct XmRChart: Sendable {
    public enum Improvement: Sendable { case increase, decrease, neutral }

    public var mean: Double
    /// The mean moving range (after screening, when asked).
    public var amr: Double
    public var lpl: Double, upl: Double
    /// The 2-sigma lines ("close to the limits").
    public var nlpl: Double, nupl: Double
    public var outside: [Bool] = [], close: [Bool] = [], shift: [Bool] = [], trend: [Bool] = [], twoInThree: [Bool] = []
    public var specialCause: [String] = []
    public var pointType: [String] = []
    public var variationIcon = "common_cause"
    public let improvement: Improvement

    public static let limit = 2.66
    public static let nearLimit = 2.66 * 2 / 3
    public static let screen = 3.267

    /// `fixAfter`: the baseline is the first n points (limits locked after them); `runLength`
    /// the length of a shift or a trend (7 in MDC); `floor`: the least value the data can take
    /// (0 for counts and rates): limits below it are drawn at it, as Making Data Count does.
    public init(_ y: [Double], improvement: Improvement = .neutral, screenOutliers: Bool = true, fixAfter: Int? = nil, runLength: Int = 7,
                floor: Double? = nil) {
        self.improvement = improvement
        let base = Array(y.prefix(fixAfter ?? y.count))
        mean = base.reduce(0, +) / Double(base.count)
        var mr: [Double] = []
        for i in 1..<max(1, base.count) { mr.append(abs(base[i] - base[i - 1])) }
        var a = mr.isEmpty ? 0 : mr.reduce(0, +) / Double(mr.count)
        if screenOutliers && !mr.isEmpty {
            let kept = mr.filter { $0 < Self.screen * a }
            if !kept.isEmpty { a = kept.reduce(0, +) / Double(kept.count) }
        }
        amr = a
        lpl = mean - Self.limit * a; upl = mean + Self.limit * a
        nlpl = mean - Self.nearLimit * a; nupl = mean + Self.nearLimit * a
        if let floor { lpl = max(lpl, floor); nlpl = max(nlpl, floor) }
        classify(y, runLength: runLength)
    }

    mutating func classify(_ y: [Double], runLength: Int) {
        let n = y.count
        outside = y.map { $0 > upl || $0 < lpl }
        close = y.map { ($0 > nupl && $0 <= upl) || ($0 < nlpl && $0 >= lpl) }
        let side = y.map { $0 > mean ? 1 : $0 < mean ? -1 : 0 }
        // Shift: a run of points on one side of the mean.
        shift = Array(repeating: false, count: n)
        var i = 0
        while i < n {
            var j = i
            while j + 1 < n && side[j + 1] == side[i] && side[i] != 0 { j += 1 }
            if side[i] != 0 && j - i + 1 >= runLength { for k in i...j { shift[k] = true } }
            i = j + 1
        }
        // Trend: a run of strictly rising (or falling) points, the first point included.
        // A point where a falling trend turns into a rising one (or the reverse) belongs to both;
        // it takes the direction of the trend it starts, the one to its right, as NHSRplotthedots
        // labels it (a differential test against it on 3,000 series found the trough labelled
        // by the trend that ended there).
        trend = Array(repeating: false, count: n)
        var trendDirection = Array(repeating: 0, count: n)
        var startsTrend = Array(repeating: false, count: n)
        for dir in [1, -1] {
            var start = 0
            for k in 1...max(1, n) {
                let continues = k < n && (dir > 0 ? y[k] > y[k - 1] : y[k] < y[k - 1])
                if !continues {
                    if k - start >= runLength {
                        for m in start..<k where !(startsTrend[m] && m == k - 1) {
                            trend[m] = true
                            trendDirection[m] = dir
                        }
                        startsTrend[start] = true
                    }
                    start = k
                }
            }
        }
        // Two of three close to the limits, all three on one side of the mean.
        twoInThree = Array(repeating: false, count: n)
        if n >= 3 {
            for s in 0...(n - 3) {
                let w = s..<(s + 3)
                let sides = Set(w.map { side[$0] })
                guard sides.count == 1, let only = sides.first, only != 0 else { continue }
                let closeOnes = w.filter { close[$0] }
                if closeOnes.count >= 2 { for k in closeOnes { twoInThree[k] = true } }
            }
        }
        specialCause = []
        pointType = []
        for k in 0..<n {
            var label = "Common Cause", v = 0
            if outside[k] {
                v = y[k] > upl ? 1 : -1
                label = v > 0 ? "Above UCL" : "Below LCL"
            } else if trend[k] {
                v = trendDirection[k]
                label = "7 Point Trend (\(v > 0 ? "Increasing" : "Decreasing"))"
            } else if twoInThree[k] {
                v = side[k]
                label = "2 in 3 \(v > 0 ? "Above" : "Below") CL"
            } else if shift[k] {
                v = side[k]
                label = "7 Points \(v > 0 ? "Above" : "Below") CL"
            }
            specialCause.append(label)
            pointType.append(Self.pointType(v, improvement))
        }
        if let last = pointType.last {
            let high = (specialCause.last.map { $0.contains("Above") || $0.contains("Increasing") } ?? false)
            switch last {
            case "special_cause_improvement": variationIcon = high ? "improvement_high" : "improvement_low"
            case "special_cause_concern": variationIcon = high ? "concern_high" : "concern_low"
            case "special_cause_neutral_high": variationIcon = "neutral_high"
            case "special_cause_neutral_low": variationIcon = "neutral_low"
            default: variationIcon = "common_cause"
            }
        }
    }

    static func pointType(_ v: Int, _ d: Improvement) -> String {
        if v == 0 { return "common_cause" }
        switch d {
        case .neutral: return v > 0 ? "special_cause_neutral_high" : "special_cause_neutral_low"
        case .increase: return v > 0 ? "special_cause_improvement" : "special_cause_concern"
        case .decrease: return v < 0 ? "special_cause_improvement" : "special_cause_concern"
        }
    }

    /// Whether the process will meet `target` (MDC assurance): consistent_pass, consistent_fail
    /// or inconsistent ("hit and miss"); nil for a neutral measure.
    public func assurance(target: Double) -> String? {
        switch improvement {
        case .neutral: return nil
        case .increase: return target > upl ? "consistent_fail" : target < lpl ? "consistent_pass" : "inconsistent"
        case .decrease: return target < lpl ? "consistent_fail" : target > upl ? "consistent_pass" : "inconsistent"
        }
    }
}
