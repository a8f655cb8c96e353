import CareCore

/// One `--rank-by` key: a record path, highest first (`desc`, the default) or lowest first.
/// People with no value for a key rank after everyone who has one; the person id breaks every
/// tie, so a list is the same however the input was ordered.
public struct RankKey: Sendable, Equatable {
    public var path: [String]
    public var descending: Bool
    public var text: String { path.joined(separator: ".") }

    /// `risk.efi.score`, `risk.efi.score:desc`, `age:asc`.
    public init(parsing spec: String) throws {
        let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
        let path = parts[0].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !path.isEmpty, path.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }) else {
            throw CareError(.usage, "--rank-by: '\(parts[0])' is not a field path (like risk.efi.score)")
        }
        self.path = path
        switch parts.count > 1 ? parts[1] : "desc" {
        case "desc": descending = true
        case "asc": descending = false
        default: throw CareError(.usage, "--rank-by: '\(spec)': the order is asc or desc")
        }
    }

    public static func parseList(_ text: String) throws -> [RankKey] {
        let keys = try text.split(separator: ",").map { try RankKey(parsing: String($0).trimmingSpaces) }
        guard !keys.isEmpty else { throw CareError(.usage, "--rank-by: name at least one field") }
        return keys
    }
}

/// A person's place in the ranking: their values for the keys, then their id.
public struct RankValues: Sendable {
    public var values: [ExpressionValue]
    public var id: String

    /// True when `self` ranks before (better than) `other`.
    public func ranksBefore(_ other: RankValues, keys: [RankKey]) -> Bool {
        for (i, key) in keys.enumerated() {
            let a = values[i], b = other.values[i]
            switch (a == .null, b == .null) {
            case (true, true): continue
            case (false, true): return true
            case (true, false): return false
            default:
                guard let o = ExpressionValue.order(a, b), o != 0 else { continue }
                return key.descending ? o > 0 : o < 0
            }
        }
        return id < other.id
    }
}
