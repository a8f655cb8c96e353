/// A value an expression works with. Record fields arrive as JSON; strings that are dates
/// compare and add as dates.
public enum ExpressionValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case date(ISODate)
    case duration(Duration)

    /// Ordered category scales: `risk.efi.category >= moderate` compares by rank on the first
    /// scale holding both words (eFI categories; HFRS bands; LACE bands).
    public static let scales: [[String]] = [["fit", "mild", "moderate", "severe"], ["low", "intermediate", "high"], ["low", "moderate", "high"]]
    static let categoryWords: Set<String> = Set(scales.joined())
    public static func isCategoryWord(_ s: String) -> Bool { categoryWords.contains(s) }

    public init(_ json: JSONValue?) {
        switch json {
        case nil, .null?: self = .null
        case .bool(let b)?: self = .bool(b)
        case .number(let n)?: self = Double(n).map { .number($0) } ?? .null
        case .string(let s)?: self = .string(s)
        case .array?, .object?: self = .null
        }
    }

    public var isTrue: Bool { self == .bool(true) }

    var asDate: ISODate? {
        switch self {
        case .date(let d): d
        case .string(let s): ISODate.parse(s)
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let b): String(b)
        case .number(let n): n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
        case .string(let s): s
        case .date(let d): d.description
        case .duration(let d): d.description
        }
    }

    /// The order of two values, or nil when they cannot be compared (missing, different kinds).
    public static func order(_ a: ExpressionValue, _ b: ExpressionValue) -> Int? {
        switch (a, b) {
        case (.null, _), (_, .null): return nil
        case let (.number(x), .number(y)): return x < y ? -1 : x > y ? 1 : 0
        case let (.bool(x), .bool(y)): return x == y ? 0 : (x ? 1 : -1)
        case let (.string(x), .string(y)):
            if x == y { return 0 }
            for scale in scales where categoryWords.contains(x) && categoryWords.contains(y) {
                if let i = scale.firstIndex(of: x), let j = scale.firstIndex(of: y) { return i < j ? -1 : i > j ? 1 : 0 }
            }
            return x < y ? -1 : x > y ? 1 : 0
        case (.date, _), (_, .date):
            guard let x = a.asDate, let y = b.asDate else { return nil }
            return x < y ? -1 : x > y ? 1 : 0
        case let (.duration(x), .duration(y)):
            let dx = x.days + 30 * x.months, dy = y.days + 30 * y.months
            return dx < dy ? -1 : dx > dy ? 1 : 0
        default: return nil
        }
    }
}
