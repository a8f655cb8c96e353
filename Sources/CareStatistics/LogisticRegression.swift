#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Logistic regression by Newton–Raphson (iteratively reweighted least squares), with an
/// optional L2 penalty, for a small dense design (tens of columns, any number of rows, given as
/// sufficient statistics row by row: nothing but the p × p information matrix is held).
///
/// The model: logit P(y = 1) = β₀ + Σ βⱼ xⱼ. The first coefficient is the intercept (a column of
/// ones the caller does not supply). With `penalty` λ > 0, the fit maximises the log-likelihood
/// − λ/2 Σⱼ βⱼ² (the intercept not penalised). Standard errors are the square roots of the
/// diagonal of the inverse of the (penalised) information matrix at the solution — with λ = 0,
/// exactly what statsmodels' `Logit` reports.
public struct LogisticRegression: Sendable {
    public struct Fit: Sendable {
        /// Intercept first, then one per column.
        public var coefficients: [Double]
        public var standardErrors: [Double]
        public var iterations: Int
        public var logLikelihood: Double
        public var converged: Bool

        /// The 95 % (by default) Wald interval of coefficient `j`.
        public func interval(_ j: Int, confidence: Double = 0.95) -> (lower: Double, upper: Double) {
            let z = Distributions.z(confidence: confidence)
            return (coefficients[j] - z * standardErrors[j], coefficients[j] + z * standardErrors[j])
        }

        /// The probability the model gives for a row of features (no intercept column).
        public func probability(_ x: [Double]) -> Double {
            var eta = coefficients[0]
            for j in x.indices { eta += coefficients[j + 1] * x[j] }
            return 1 / (1 + exp(-eta))
        }
    }

    public enum FitError: Error, CustomStringConvertible, Equatable {
        case noRows, oneOutcome, singular(column: Int), notConverged
        public var description: String {
            switch self {
            case .noRows: return "no rows to fit"
            case .oneOutcome: return "every row has the same outcome: nothing to fit"
            case .singular(let c): return "the design is singular at column \(c) (a feature is constant, or a copy of others)"
            case .notConverged: return "the fit did not converge (separation: a feature predicts the outcome perfectly?); try a penalty"
            }
        }
    }

    /// Fits by passing over the rows once per iteration: `rows(visit)` must call `visit(x, y)`
    /// for every row, in the same order each time (x without the intercept, y 0 or 1).
    public static func fit(columns: Int, penalty: Double = 0, maxIterations: Int = 50, tolerance: Double = 1e-10,
                           rows: ((_ x: [Double], _ y: Double) -> Void) throws -> Void) throws -> Fit {
        let p = columns + 1
        var beta = [Double](repeating: 0, count: p)
        var previous = -Double.infinity
        var converged = false
        var iterations = 0
        var info = [Double](repeating: 0, count: p * p)
        var logLik = 0.0
        // The intercept starts at the log-odds of the outcome: one pass to count.
        var n = 0.0, events = 0.0
        try rows { _, y in n += 1; events += y }
        guard n > 0 else { throw FitError.noRows }
        guard events > 0 && events < n else { throw FitError.oneOutcome }
        beta[0] = log(events / (n - events))
        var xi = [Double](repeating: 1, count: p)
        // Newton's method with step halving: a step that lowers the (penalised) log-likelihood
        // is halved until it does not (Newton alone can overshoot from the start).
        var accepted = beta, lastStep = [Double](repeating: 0, count: p), halvings = 0
        while iterations < maxIterations + 30 {
            iterations += 1
            var gradient = [Double](repeating: 0, count: p)
            for k in info.indices { info[k] = 0 }
            logLik = 0
            try rows { x, y in
                for j in 0..<columns { xi[j + 1] = x[j] }
                var eta = 0.0
                for j in 0..<p { eta += beta[j] * xi[j] }
                let mu = 1 / (1 + exp(-eta))
                // log L = y·η − log(1 + e^η), computed stably.
                logLik += y * eta - (eta > 0 ? eta + log1p(exp(-eta)) : log1p(exp(eta)))
                let w = mu * (1 - mu), r = y - mu
                for j in 0..<p {
                    gradient[j] += r * xi[j]
                    let wx = w * xi[j]
                    for k in j..<p { info[j * p + k] += wx * xi[k] }
                }
            }
            for j in 1..<p {
                gradient[j] -= penalty * beta[j]
                info[j * p + j] += penalty
                logLik -= penalty / 2 * beta[j] * beta[j]
            }
            if logLik < previous - 1e-12 * abs(previous), halvings < 30 {
                halvings += 1
                for j in 0..<p { lastStep[j] /= 2; beta[j] = accepted[j] + lastStep[j] }
                continue
            }
            halvings = 0
            if abs(logLik - previous) < tolerance * (abs(logLik) + 1) && lastStep.map(abs).max()! < 1e-8 { converged = true; accepted = beta; break }
            for j in 0..<p { for k in 0..<j { info[j * p + k] = info[k * p + j] } }
            // Past the first step, an information matrix that has become singular is separation
            // (the fitted probabilities run to 0 and 1), not a singular design.
            let step: [Double]
            do { step = try solve(info, gradient, p) } catch FitError.singular(let c) {
                throw iterations > 1 ? FitError.notConverged : FitError.singular(column: c)
            }
            accepted = beta
            previous = logLik
            lastStep = step
            for j in 0..<p { beta[j] += step[j] }
            if iterations >= maxIterations + 30 { break }
        }
        // The coefficients are those the last accepted pass was at.
        beta = accepted
        guard converged else { throw FitError.notConverged }
        // The information matrix at the solution (the last pass was one step before it; the step
        // is below 1e-8, so the difference is far below the standard errors' precision — one
        // more pass makes it exact).
        for k in info.indices { info[k] = 0 }
        logLik = 0
        try rows { x, y in
            for j in 0..<columns { xi[j + 1] = x[j] }
            var eta = 0.0
            for j in 0..<p { eta += beta[j] * xi[j] }
            let mu = 1 / (1 + exp(-eta))
            logLik += y * eta - (eta > 0 ? eta + log1p(exp(-eta)) : log1p(exp(eta)))
            let w = mu * (1 - mu)
            for j in 0..<p { let wx = w * xi[j]; for k in j..<p { info[j * p + k] += wx * xi[k] } }
        }
        for j in 1..<p { info[j * p + j] += penalty; logLik -= penalty / 2 * beta[j] * beta[j] }
        for j in 0..<p { for k in 0..<j { info[j * p + k] = info[k * p + j] } }
        let inverse = try invert(info, p)
        return Fit(coefficients: beta, standardErrors: (0..<p).map { inverse[$0 * p + $0].squareRoot() },
                   iterations: iterations, logLikelihood: logLik, converged: converged)
    }

    /// Solves A x = b (A symmetric positive definite, p × p, row-major) by Cholesky.
    static func solve(_ a: [Double], _ b: [Double], _ p: Int) throws -> [Double] {
        let l = try cholesky(a, p)
        var y = b
        for i in 0..<p {
            for k in 0..<i { y[i] -= l[i * p + k] * y[k] }
            y[i] /= l[i * p + i]
        }
        var x = y
        for i in stride(from: p - 1, through: 0, by: -1) {
            for k in (i + 1)..<p { x[i] -= l[k * p + i] * x[k] }
            x[i] /= l[i * p + i]
        }
        return x
    }

    /// The inverse of a symmetric positive definite matrix, by solving for each unit vector.
    static func invert(_ a: [Double], _ p: Int) throws -> [Double] {
        var out = [Double](repeating: 0, count: p * p)
        for j in 0..<p {
            var e = [Double](repeating: 0, count: p)
            e[j] = 1
            let col = try solve(a, e, p)
            for i in 0..<p { out[i * p + j] = col[i] }
        }
        return out
    }

    static func cholesky(_ a: [Double], _ p: Int) throws -> [Double] {
        var l = [Double](repeating: 0, count: p * p)
        for i in 0..<p {
            for j in 0...i {
                var s = a[i * p + j]
                for k in 0..<j { s -= l[i * p + k] * l[j * p + k] }
                if i == j {
                    guard s > 1e-12 * max(1, abs(a[i * p + i])) else { throw FitError.singular(column: i) }
                    l[i * p + i] = s.squareRoot()
                } else {
                    l[i * p + j] = s / l[j * p + j]
                }
            }
        }
        return l
    }
}
