#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The distribution functions the outcome statistics need (Foundation has none): the normal
/// quantile, the regularised incomplete gamma function and its inverse (for χ² and exact Poisson
/// limits).
public enum Distributions {
    /// Φ⁻¹(p): Acklam's rational approximation, refined by one Halley step on erfc (about 1e-15).
    public static func normalQuantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "normalQuantile needs 0 < p < 1")
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
                 -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
                 -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
                 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        var x: Double
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - low {
            let q = p - 0.5, r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log(1 - p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        // Halley refinement.
        let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }

    /// z for a two-sided confidence level (0.95 → 1.959963984540054).
    public static func z(confidence: Double) -> Double { normalQuantile(1 - (1 - confidence) / 2) }

    /// The regularised lower incomplete gamma function P(a, x): a series below a + 1, a continued
    /// fraction above (Numerical Recipes, gser/gcf), to double precision.
    public static func regularizedGammaP(_ a: Double, _ x: Double) -> Double {
        guard x > 0 else { return 0 }
        let lg: Double = lgamma(a)
        if x < a + 1 {
            var ap = a, sum = 1 / a, del = sum
            for _ in 0..<10_000 {
                ap += 1
                del *= x / ap
                sum += del
                if abs(del) < abs(sum) * 1e-17 { break }
            }
            return sum * exp(-x + a * log(x) - lg)
        }
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let del = d * c
            h *= del
            if abs(del - 1) < 1e-17 { break }
        }
        return 1 - exp(-x + a * log(x) - lg) * h
    }

    /// The x with P(a, x) = p (the gamma(a, 1) quantile), by bisection to the last bit.
    public static func gammaQuantile(_ p: Double, shape a: Double) -> Double {
        guard p > 0 else { return 0 }
        var lo = 0.0, hi = max(1.0, a)
        while regularizedGammaP(a, hi) < p { hi *= 2 }
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if mid == lo || mid == hi { break }
            if regularizedGammaP(a, mid) < p { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    /// The χ² quantile with `df` degrees of freedom.
    public static func chiSquareQuantile(_ p: Double, df: Double) -> Double { 2 * gammaQuantile(p, shape: df / 2) }
}
