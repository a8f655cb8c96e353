/// How the report writes numbers for people: signed changes, money, thousands.
public enum ReportFormat {
    /// `v` to `places` decimals with thousands separators: 12,345.6.
    public static func grouped(_ v: Double, places: Int = 1) -> String {
        let plain = Report.number(abs(v), places: places)
        let parts = plain.split(separator: ".", maxSplits: 1)
        var whole = String(parts[0])
        var out = ""
        while whole.count > 3 {
            out = "," + whole.suffix(3) + out
            whole = String(whole.dropLast(3))
        }
        out = whole + out + (parts.count > 1 ? "." + parts[1] : "")
        return v < 0 && plain != "0" ? "−" + out : out
    }

    /// A change with its sign always written: +7.6, −18, ±0.
    public static func signed(_ v: Double, places: Int = 1) -> String {
        let s = grouped(abs(v), places: places)
        if s == "0" { return "±0" }
        return (v > 0 ? "+" : "−") + s
    }

    /// Money in pounds: £2,500.00 (`pence`), £1,016; with `sign`, +£1,016 / −£3,076.
    public static func pounds(_ v: Double, pence: Bool = false, sign: Bool = false) -> String {
        let body = "£" + grouped(abs(v), places: pence ? 2 : 0).padPence(pence)
        guard sign else { return v < 0 ? "−" + body : body }
        if body == "£0" || body == "£0.00" { return "±" + body }
        return (v > 0 ? "+" : "−") + body
    }
}

private extension String {
    /// "2,500" → "2,500.00", "12.5" → "12.50" when pence are shown.
    func padPence(_ pence: Bool) -> String {
        guard pence else { return self }
        guard let dot = firstIndex(of: ".") else { return self + ".00" }
        let decimals = distance(from: dot, to: endIndex) - 1
        return decimals >= 2 ? self : self + String(repeating: "0", count: 2 - decimals)
    }
}

extension String {
    /// "bed days" → "bed day", "weeks of care" → "week of care", "attendances" → "attendance".
    var singular: String {
        var words = split(separator: " ").map(String.init)
        guard let i = words.firstIndex(where: { $0.hasSuffix("s") }) else { return self }
        words[i] = String(words[i].dropLast())
        return words.joined(separator: " ")
    }
}
