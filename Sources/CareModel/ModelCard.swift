import CareCore
import CareStatistics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The model card: what the model is, what it was fitted on, how well it does, and its limits,
/// in Markdown or self-contained HTML (inline SVG: the ROC curve, the calibration plot with
/// deciles and their intervals, a forest plot of odds ratios; no scripts; prints to A4).
public enum ModelCard {
    public static func n(_ v: Double, _ places: Int = 2) -> String {
        var p = 1.0
        for _ in 0..<places { p *= 10 }
        let r = (v * p).rounded() / p
        return r == r.rounded() && abs(r) < 1e15 ? String(Int(r)) : String(r)
    }

    static func esc(_ s: String) -> String { HTMLText.escape(s) }

    static let caveats = [
        "It predicts who is likely to have an emergency admission, not who would benefit from an intervention: an MDT decides that.",
        "It is calibrated to the population and years it was fitted on; refit it on your own records every year, and check the validation on a later date before trusting it.",
        "Features are what the records hold: a person whose care is recorded elsewhere (another practice, a private hospital) looks healthier than they are.",
        "Odds ratios are associations, adjusted for the other features; they are not causes.",
    ]

    static func performanceLines(_ p: AdmissionModel.Performance) -> [String] {
        var lines = ["People: \(p.people); with an emergency admission: \(p.events) (\(n(Double(p.events) / Double(p.people) * 100, 1)) %).",
                     "C-statistic (AUC): \(n(p.auc.value, 3)) (95 % interval \(n(p.auc.lower, 3)) to \(n(p.auc.upper, 3)), DeLong).",
                     "Calibration: observed \(n(p.calibration.observed * 100, 1)) %, mean predicted \(n(p.calibration.meanPredicted * 100, 1)) %; slope \(n(p.calibration.slope)) (\(n(p.calibration.slopeLower)) to \(n(p.calibration.slopeUpper))); Brier score \(n(p.calibration.brier, 4))."]
        if !p.indices.isEmpty {
            lines.append("The published indices on the same people: " + p.indices.map { "\(label($0.key)) \(n($0.auc.value, 3)) (\(n($0.auc.lower, 3)) to \(n($0.auc.upper, 3)))" }.joined(separator: "; ") + ".")
        }
        return lines
    }

    static func label(_ key: String) -> String {
        ["efi": "eFI", "hfrs": "HFRS", "charlson": "Charlson", "elixhauser": "Elixhauser"][key] ?? key
    }

    public static func markdown(_ m: AdmissionModel) -> String {
        var out = "# Emergency-admission model card\n\n"
        out += "Outcome: at least one emergency admission starting in the \(m.horizon) after the day. Fitted on the records as of \(m.asOf) (\(m.input)); logistic regression"
        out += m.penalty > 0 ? " with an L2 penalty of \(n(m.penalty)).\n\n" : ".\n\n"
        if let p = m.fit { out += "## On the people it was fitted on (\(p.asOf))\n\n" + performanceLines(p).map { "- \($0)\n" }.joined() + "\n" }
        if let o = m.optimism {
            out += "Optimism-corrected by \(o.repetitions) bootstrap refits: AUC \(n(o.auc, 3)), calibration slope \(n(o.slope)).\n\n"
        }
        if let p = m.validation { out += "## Temporal validation (\(p.asOf))\n\n" + performanceLines(p).map { "- \($0)\n" }.joined() + "\n" }
        out += "## Features\n\n| feature | odds ratio (95 % interval) | coefficient | SE | mean |\n|---|---:|---:|---:|---:|\n"
        for c in m.coefficients {
            guard c.estimated else { out += "| \(c.feature.definition) | not estimated: the same for everyone | | | \(n(c.mean, 3)) |\n"; continue }
            out += "| \(c.feature.definition) | \(n(c.oddsRatio)) (\(n(c.lower)) to \(n(c.upper))) | \(n(c.value, 4)) | \(n(c.standardError, 4)) | \(n(c.mean, 3)) |\n"
        }
        out += "\nIntercept \(n(m.intercept, 4)) (SE \(n(m.interceptStandardError, 4))).\n\n"
        if let p = m.validation ?? m.fit {
            out += "## Observed against predicted by tenth of risk (\(p.asOf))\n\n| tenth | people | admitted | observed | mean predicted |\n|---:|---:|---:|---:|---:|\n"
            for (i, d) in p.calibration.deciles.enumerated() {
                out += "| \(i + 1) | \(d.people) | \(d.events) | \(n(Double(d.events) / Double(d.people) * 100, 1)) % | \(n(d.meanPredicted * 100, 1)) % |\n"
            }
            out += "\n"
        }
        out += "## Caveats\n\n" + caveats.map { "- \($0)\n" }.joined() + "\n\(m.version)\n"
        return out
    }

    public static func html(_ m: AdmissionModel) -> String {
        var body = "<h1>Emergency-admission model card</h1>\n<p class=\"meta\">Outcome: at least one emergency admission starting in the \(m.horizon) after the day. Fitted on the records as of \(m.asOf) (\(esc(m.input))); logistic regression\(m.penalty > 0 ? " with an L2 penalty of \(n(m.penalty))" : ""). \(esc(m.version)).</p>\n"
        for (title, perf) in [("On the people it was fitted on", m.fit), ("Temporal validation", m.validation)] {
            guard let p = perf else { continue }
            body += "<h2>\(title) (\(p.asOf))</h2><ul>" + performanceLines(p).map { "<li>\(esc($0))</li>" }.joined() + "</ul>\n"
            if title.hasPrefix("On"), let o = m.optimism {
                body += "<p>Optimism-corrected by \(o.repetitions) bootstrap refits: AUC \(n(o.auc, 3)), calibration slope \(n(o.slope)).</p>\n"
            }
        }
        if let p = m.validation ?? m.fit {
            body += "<figure>\(roc(p))<figcaption>ROC curve, \(p.asOf): the model against chance (the diagonal).</figcaption></figure>\n"
            body += "<figure>\(calibrationPlot(p))<figcaption>Calibration, \(p.asOf): observed share admitted in each tenth of predicted risk (with its Wilson 95 % interval) against the mean predicted; on the diagonal is perfect.</figcaption></figure>\n"
        }
        body += "<figure>\(forest(m))<figcaption>Odds ratios with 95 % intervals, on a log scale; 1 is no association.</figcaption></figure>\n"
        body += "<h2>Features</h2><table><thead><tr><th>feature</th><th class=\"n\">odds ratio (95 %)</th><th class=\"n\">coefficient</th><th class=\"n\">SE</th><th class=\"n\">mean</th></tr></thead><tbody>\n"
        for c in m.coefficients {
            guard c.estimated else { body += "<tr><td>\(esc(c.feature.definition))</td><td class=\"n\">not estimated: the same for everyone</td><td></td><td></td><td class=\"n\">\(n(c.mean, 3))</td></tr>\n"; continue }
            body += "<tr><td>\(esc(c.feature.definition))</td><td class=\"n\">\(n(c.oddsRatio)) (\(n(c.lower)) to \(n(c.upper)))</td><td class=\"n\">\(n(c.value, 4))</td><td class=\"n\">\(n(c.standardError, 4))</td><td class=\"n\">\(n(c.mean, 3))</td></tr>\n"
        }
        body += "</tbody></table>\n<h2>Caveats</h2><ul>" + caveats.map { "<li>\(esc($0))</li>" }.joined() + "</ul>\n"
        let style = """
        @page { size: A4; margin: 14mm 12mm; }
        body { font-family: Arial, Helvetica, sans-serif; font-size: 9.5pt; color: #212b32; max-width: 186mm; margin: 0 auto; }
        h1 { font-size: 17pt; color: #005eb8; } h2 { font-size: 13pt; break-after: avoid; } p.meta { color: #4c6272; }
        table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #aeb7bd; padding: 2pt 4pt; text-align: left; }
        th { background: #e8edee; } .n { text-align: right; } tr, figure { break-inside: avoid; } figcaption { font-size: 8.5pt; color: #4c6272; }
        """
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Emergency-admission model card</title>\n<style>\n\(style)\n</style>\n</head>\n<body>\n\(body)</body>\n</html>\n"
    }

    // Charts: a square plot area with both axes ticked and titled.
    static let size = 300.0, pad = 44.0

    static func frame(_ title: String, _ inner: String, width: Double = size + 2 * pad, height: Double = size + 2 * pad) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" role=\"img\" aria-label=\"\(esc(title))\"><text x=\"\(pad)\" y=\"16\" font-size=\"12\" font-weight=\"bold\">\(esc(title))</text>\(inner)</svg>"
    }

    static func unitAxes(x: String, y: String, maxValue: Double = 1) -> String {
        var s = "<rect x=\"\(pad)\" y=\"\(pad)\" width=\"\(size)\" height=\"\(size)\" fill=\"none\" stroke=\"#4c6272\"/>"
        for t in stride(from: 0.0, through: 1.0001, by: 0.2) {
            let px = pad + t * size, py = pad + size - t * size
            s += "<text class=\"tick\" x=\"\(n(px, 1))\" y=\"\(n(pad + size + 13, 1))\" font-size=\"8.5\" text-anchor=\"middle\">\(n(t * maxValue, 2))</text>"
            s += "<text class=\"tick\" x=\"\(n(pad - 4, 1))\" y=\"\(n(py + 3, 1))\" font-size=\"8.5\" text-anchor=\"end\">\(n(t * maxValue, 2))</text>"
        }
        s += "<text class=\"x-title\" x=\"\(pad + size / 2)\" y=\"\(pad + size + 30)\" font-size=\"9\" text-anchor=\"middle\">\(esc(x))</text>"
        s += "<text class=\"y-title\" x=\"12\" y=\"\(pad + size / 2)\" font-size=\"9\" text-anchor=\"middle\" transform=\"rotate(-90 12 \(pad + size / 2))\">\(esc(y))</text>"
        s += "<line x1=\"\(pad)\" y1=\"\(pad + size)\" x2=\"\(pad + size)\" y2=\"\(pad)\" stroke=\"#aeb7bd\" stroke-dasharray=\"4 3\"/>"
        return s
    }

    static func roc(_ p: AdmissionModel.Performance) -> String {
        let order = p.predictions.indices.sorted { p.predictions[$0] > p.predictions[$1] }
        let positives = Double(p.outcomes.filter { $0 }.count), negatives = Double(p.outcomes.count) - positives
        var tp = 0.0, fp = 0.0, points: [(Double, Double)] = [(0, 0)]
        let step = max(1, order.count / 200)
        for (i, j) in order.enumerated() {
            if p.outcomes[j] { tp += 1 } else { fp += 1 }
            if i % step == 0 || i == order.count - 1 { points.append((fp / max(1, negatives), tp / max(1, positives))) }
        }
        let path = points.enumerated().map { i, q in "\(i == 0 ? "M" : "L")\(n(pad + q.0 * size, 1)),\(n(pad + size - q.1 * size, 1))" }.joined()
        return frame("ROC curve (AUC \(n(p.auc.value, 3)))", unitAxes(x: "1 − specificity (false positive rate)", y: "sensitivity (true positive rate)")
                     + "<path d=\"\(path)\" fill=\"none\" stroke=\"#005eb8\" stroke-width=\"1.5\"/>")
    }

    static func calibrationPlot(_ p: AdmissionModel.Performance) -> String {
        let top = min(1, max(0.05, (p.calibration.deciles.map { max($0.meanPredicted, Double($0.events) / Double($0.people)) }.max() ?? 1) * 1.2))
        var s = unitAxes(x: "mean predicted risk", y: "observed share admitted", maxValue: top)
        for d in p.calibration.deciles {
            let obs = Double(d.events) / Double(d.people)
            let w = Intervals.wilson(Double(d.events), of: Double(d.people))
            let x = pad + d.meanPredicted / top * size
            func y(_ v: Double) -> Double { pad + size - min(v, top) / top * size }
            s += "<line x1=\"\(n(x, 1))\" y1=\"\(n(y(w.lower), 1))\" x2=\"\(n(x, 1))\" y2=\"\(n(y(w.upper), 1))\" stroke=\"#768692\"/>"
            s += "<circle cx=\"\(n(x, 1))\" cy=\"\(n(y(obs), 1))\" r=\"3.5\" fill=\"#005eb8\"/>"
        }
        return frame("Calibration by tenth of predicted risk", s)
    }

    static func forest(_ m: AdmissionModel) -> String {
        let rowH = 14.0, left = 330.0, width = 680.0, plotW = width - left - 20
        let height = pad + Double(m.coefficients.count) * rowH + 40
        let shown = m.coefficients.filter(\.estimated)
        let lo = max(0.05, shown.map(\.lower).min() ?? 0.5), hi = min(50, shown.map(\.upper).max() ?? 2)
        let (a, b) = (log(min(lo, 0.9)), log(max(hi, 1.1)))
        func px(_ v: Double) -> Double { left + (log(min(max(v, exp(a)), exp(b))) - a) / (b - a) * plotW }
        var s = "<line x1=\"\(n(px(1), 1))\" y1=\"\(pad - 6)\" x2=\"\(n(px(1), 1))\" y2=\"\(n(height - 34, 1))\" stroke=\"#aeb7bd\"/>"
        for (i, c) in m.coefficients.enumerated() where c.estimated {
            let y = pad + Double(i) * rowH
            s += "<text x=\"\(left - 6)\" y=\"\(n(y + 4, 1))\" font-size=\"8\" text-anchor=\"end\">\(esc(c.feature.rawValue))</text>"
            s += "<line x1=\"\(n(px(c.lower), 1))\" y1=\"\(n(y, 1))\" x2=\"\(n(px(c.upper), 1))\" y2=\"\(n(y, 1))\" stroke=\"#768692\"/>"
            s += "<circle cx=\"\(n(px(c.oddsRatio), 1))\" cy=\"\(n(y, 1))\" r=\"3\" fill=\"#005eb8\"/>"
        }
        for t in [0.1, 0.25, 0.5, 1, 2, 4, 10, 25] where log(t) >= a && log(t) <= b {
            s += "<text class=\"tick\" x=\"\(n(px(t), 1))\" y=\"\(n(height - 22, 1))\" font-size=\"8.5\" text-anchor=\"middle\">\(n(t))</text>"
        }
        s += "<text class=\"x-title\" x=\"\(n(left + plotW / 2, 1))\" y=\"\(n(height - 6, 1))\" font-size=\"9\" text-anchor=\"middle\">odds ratio (log scale)</text>"
        s += "<text class=\"y-title\" x=\"10\" y=\"\(n(height / 2, 1))\" font-size=\"9\" text-anchor=\"middle\" transform=\"rotate(-90 10 \(n(height / 2, 1)))\">feature</text>"
        return frame("Odds ratios", s, width: width, height: height)
    }
}
