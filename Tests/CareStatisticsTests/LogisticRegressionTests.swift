import Foundation
import Testing
@testable import CareStatistics

/// Logistic regression, AUC and calibration: a known model recovered, hand-worked AUCs, and
/// statsmodels' Logit and scikit-learn's roc_auc_score on the same matrix where Python has them.
@Suite struct LogisticRegressionTests {
    /// Rows simulated from logit P(y) = −1.5 + 0.8·x₁ − 0.5·x₂ + 0.3·x₃, x₁ ~ N(0, 1), x₂ ~ Bernoulli(0.3), x₃ ~ U(0, 2).
    static func simulated(_ n: Int, seed: UInt64) -> (x: [[Double]], y: [Double]) {
        var rng = SplitMix(seed: seed)
        var xs: [[Double]] = [], ys: [Double] = []
        for _ in 0..<n {
            let x = [rng.normal(), rng.unit() < 0.3 ? 1 : 0, 2 * rng.unit()]
            let p = 1 / (1 + exp(-(-1.5 + 0.8 * x[0] - 0.5 * x[1] + 0.3 * x[2])))
            xs.append(x)
            ys.append(rng.unit() < p ? 1 : 0)
        }
        return (xs, ys)
    }

    @Test("a known model is recovered: each true coefficient inside its 95 % interval")
    func recoversAKnownModel() throws {
        let (x, y) = Self.simulated(20_000, seed: 7)
        let fit = try LogisticRegression.fit(columns: 3) { visit in for i in x.indices { visit(x[i], y[i]) } }
        let truth = [-1.5, 0.8, -0.5, 0.3]
        for j in truth.indices {
            let ci = fit.interval(j)
            #expect(ci.lower < truth[j] && truth[j] < ci.upper, "β\(j) = \(fit.coefficients[j]) ± \(fit.standardErrors[j]), truth \(truth[j])")
        }
        #expect(fit.converged && fit.iterations < 15)
        // A penalty shrinks the slopes toward zero, not the intercept's meaning.
        let penalised = try LogisticRegression.fit(columns: 3, penalty: 5_000) { visit in for i in x.indices { visit(x[i], y[i]) } }
        #expect(abs(penalised.coefficients[1]) < abs(fit.coefficients[1]))
    }

    @Test func whatCannotBeFittedSaysWhy() {
        #expect(throws: LogisticRegression.FitError.oneOutcome) {
            try LogisticRegression.fit(columns: 1) { visit in for i in 0..<10 { visit([Double(i)], 1) } }
        }
        #expect(throws: LogisticRegression.FitError.singular(column: 1)) {
            try LogisticRegression.fit(columns: 1) { visit in for i in 0..<10 { visit([3], Double(i % 2)) } }
        }
        // Perfect separation has no maximum: refused unless penalised.
        #expect(throws: LogisticRegression.FitError.notConverged) {
            try LogisticRegression.fit(columns: 1) { visit in for i in 0..<20 { visit([Double(i)], i < 10 ? 0 : 1) } }
        }
        #expect((try? LogisticRegression.fit(columns: 1, penalty: 1) { visit in for i in 0..<20 { visit([Double(i)], i < 10 ? 0 : 1) } }) != nil)
    }

    @Test("AUC hand-worked, with ties, and DeLong's standard error by hand")
    func auc() throws {
        // Cases 0.35 and 0.8 against controls 0.1 and 0.4: 3 of 4 pairs ordered right.
        let a = try #require(Discrimination.auc([0.1, 0.4, 0.35, 0.8], [false, false, true, true]))
        #expect(abs(a.value - 0.75) < 1e-15)
        // V10 = (1/2, 1), V01 = (1, 1/2): variances 1/8 each; SE = √(1/8/2 + 1/8/2) = √(1/8).
        #expect(abs(a.standardError - (0.125).squareRoot()) < 1e-15)
        // A tie between a case and a control counts a half.
        #expect(Discrimination.auc([0.5, 0.5], [true, false])?.value == 0.5)
        #expect(Discrimination.auc([0.2, 0.9], [false, true])?.value == 1)
        #expect(Discrimination.auc([0.2, 0.9], [true, true]) == nil)
    }

    @Test("calibration of the true probabilities: slope near 1, observed near predicted, deciles rising")
    func calibration() throws {
        let (x, y) = Self.simulated(20_000, seed: 8)
        let p = x.map { 1 / (1 + exp(-(-1.5 + 0.8 * $0[0] - 0.5 * $0[1] + 0.3 * $0[2]))) }
        let c = try Discrimination.calibration(p, y.map { $0 == 1 })
        #expect(c.slopeLower < 1 && 1 < c.slopeUpper, "slope \(c.slope)")
        #expect(abs(c.observed - c.meanPredicted) < 0.01 && c.deciles.count == 10)
        #expect(c.deciles.first!.meanPredicted < c.deciles.last!.meanPredicted && c.brier > 0 && c.brier < 0.25)
    }

    @Test("the same matrix in statsmodels' Logit and scikit-learn's roc_auc_score (skipped, saying so, without them)")
    func againstStatsmodels() throws {
        let (x, y) = Self.simulated(5_000, seed: 9)
        let fit = try LogisticRegression.fit(columns: 3) { visit in for i in x.indices { visit(x[i], y[i]) } }
        let p = x.map(fit.probability)
        let auc = try #require(Discrimination.auc(p, y.map { $0 == 1 }))
        let dir = NSTemporaryDirectory() + "joinedup-logit-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var csv = "y,x1,x2,x3\n"
        for i in x.indices { csv += "\(y[i]),\(x[i][0]),\(x[i][1]),\(x[i][2])\n" }
        try csv.write(toFile: dir + "/design.csv", atomically: true, encoding: .utf8)
        let ours: [String: Any] = ["coefficients": fit.coefficients, "standard_errors": fit.standardErrors, "auc": auc.value]
        try JSONSerialization.data(withJSONObject: ours).write(to: URL(fileURLWithPath: dir + "/joinedup.json"))
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/check-logistic.py").path
        let p2 = Process()
        p2.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p2.arguments = ["python3", script, dir]
        let pipe = Pipe()
        p2.standardOutput = pipe
        p2.standardError = pipe
        do { try p2.run() } catch {
            print("note: skipping the statsmodels comparison: python3 is not installed")
            return
        }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p2.waitUntilExit()
        if p2.terminationStatus == 77 { print("note: skipping the statsmodels comparison: \(text)"); return }
        #expect(p2.terminationStatus == 0, "\(text)")
        print(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
