/// Funnel-plot limits for comparing practices (Spiegelhalter, Stat Med 2005;24:1185-1202).
public enum Funnels {
    /// Limits for a rate per person around target `theta` (events per person) at population `n`:
    /// the normal approximation θ ± z√(θ/n), and exact Poisson limits with Spiegelhalter's
    /// interpolation: r = the smallest count with F(r) ≥ p, α = (F(r) − p)/(F(r) − F(r−1)),
    /// limit = (r − α)/n, for p = (1 ∓ confidence)/2.
    public static func rate(theta: Double, population n: Double, confidence: Double) -> (exact: Intervals.Interval, normal: Intervals.Interval) {
        let z = Distributions.z(confidence: confidence)
        let half = z * (theta / n).squareRoot()
        let lambda = theta * n
        let p = (1 - confidence) / 2
        return (Intervals.Interval(lower: poissonLimit(p, lambda) / n, upper: poissonLimit(1 - p, lambda) / n),
                Intervals.Interval(lower: theta - half, upper: theta + half))
    }

    /// Limits for a proportion around `theta` at denominator `n`: the normal approximation
    /// θ ± z√(θ(1 − θ)/n) (Spiegelhalter 2005 §3), clipped to 0…1.
    public static func proportion(theta: Double, denominator n: Double, confidence: Double) -> Intervals.Interval {
        let h = Distributions.z(confidence: confidence) * (theta * (1 - theta) / n).squareRoot()
        return Intervals.Interval(lower: max(0, theta - h), upper: min(1, theta + h))
    }

    /// Poisson CDF F(r) for mean λ: 1 − P(r + 1, λ).
    static func poissonCDF(_ r: Int, _ lambda: Double) -> Double {
        r < 0 ? 0 : 1 - Distributions.regularizedGammaP(Double(r + 1), lambda)
    }

    /// The interpolated count at probability p (Spiegelhalter 2005, appendix).
    static func poissonLimit(_ p: Double, _ lambda: Double) -> Double {
        var r = 0
        while poissonCDF(r, lambda) < p { r += 1 }
        let f = poissonCDF(r, lambda), fPrev = poissonCDF(r - 1, lambda)
        let alpha = (f - p) / (f - fPrev)
        return Double(r) - alpha
    }

    /// Overdispersion of proportions x/n around θ = Σx/Σn (Spiegelhalter 2005 §6): z-scores
    /// winsorised at the `winsorise` and 1 − `winsorise` quantiles (R type 7), φ = mean of the
    /// squared winsorised z, and the additive random-effects variance τ² (0 unless Iφ > I − 1).
    public struct Overdispersion: Sendable {
        public var theta: Double
        public var z: [Double]
        public var winsorBounds: (lower: Double, upper: Double)
        public var phi: Double
        public var tau2: Double

        public func s(_ n: Double) -> Double { (theta * (1 - theta) / n).squareRoot() }

        /// Limits at denominator n: unadjusted θ ± z·s, multiplicative θ ± z·√φ·s, additive θ ± z·√(s² + τ²).
        public func limits(n: Double, confidence: Double) -> (unadjusted: Intervals.Interval, phi: Intervals.Interval, tau2: Intervals.Interval) {
            let z = Distributions.z(confidence: confidence), s = s(n)
            func around(_ h: Double) -> Intervals.Interval { Intervals.Interval(lower: theta - h, upper: theta + h) }
            return (around(z * s), around(z * phi.squareRoot() * s), around(z * (s * s + tau2).squareRoot()))
        }
    }

    public static func overdispersion(x: [Double], n: [Double], winsorise: Double = 0.1) -> Overdispersion {
        let theta = x.reduce(0, +) / n.reduce(0, +)
        let s = n.map { (theta * (1 - theta) / $0).squareRoot() }
        let z = zip(zip(x, n), s).map { pair, si in (pair.0 / pair.1 - theta) / si }
        let lo = quantileType7(z, winsorise), hi = quantileType7(z, 1 - winsorise)
        let zw = z.map { min(max($0, lo), hi) }
        let count = Double(z.count)
        let phi = zw.map { $0 * $0 }.reduce(0, +) / count
        var tau2 = 0.0
        if count * phi > count - 1 {
            let w = s.map { 1 / ($0 * $0) }
            let sw = w.reduce(0, +), sw2 = w.map { $0 * $0 }.reduce(0, +)
            tau2 = (count * phi - (count - 1)) / (sw - sw2 / sw)
        }
        return Overdispersion(theta: theta, z: z, winsorBounds: (lo, hi), phi: phi, tau2: tau2)
    }

    /// R's quantile type 7 (numpy's default, linear).
    static func quantileType7(_ values: [Double], _ p: Double) -> Double {
        let v = values.sorted()
        let h = Double(v.count - 1) * p
        let i = Int(h.rounded(.down))
        return i + 1 < v.count ? v[i] + (h - Double(i)) * (v[i + 1] - v[i]) : v[i]
    }
}
