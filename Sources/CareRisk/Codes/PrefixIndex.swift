import CareCore

/// ICD-10 code prefixes → the conditions they define (Quan 2005 tables: a code belongs to a
/// condition when it starts with one of the condition's prefixes). Looking up a code tries each
/// prefix length the table uses, so a lookup is a handful of integer hashes.
public struct PrefixIndex: Sendable {
    public let conditions: [String]
    private var byPrefix: [UInt64: [UInt8]] = [:]
    private var lengths: [Int] = []

    /// `table` has columns `condition` and `code_prefix`; conditions are numbered in `order`.
    public init(table: CSVTable, order: [String]) throws {
        conditions = order
        let names = try table.values("condition"), prefixes = try table.values("code_prefix")
        var lengthSet = Set<Int>()
        for (i, (name, prefix)) in zip(names, prefixes).enumerated() {
            guard let c = order.firstIndex(of: name) else {
                throw CSVTableError(table: table.name, line: table.rows[i].line, message: "condition '\(name)' has no weight")
            }
            let key = CodeKey.icd10(prefix)
            guard key != CodeKey.none else {
                throw CSVTableError(table: table.name, line: table.rows[i].line, message: "'\(prefix)' is not an ICD-10 prefix")
            }
            byPrefix[key, default: []].append(UInt8(c))
            lengthSet.insert(CodeKey.icd10Length(key))
        }
        lengths = lengthSet.sorted()
    }

    /// Calls `body` with each condition the ICD-10 key belongs to.
    @inline(__always) public func forEachCondition(of key: UInt64, _ body: (Int) -> Void) {
        let n = CodeKey.icd10Length(key)
        for k in lengths where k <= n {
            if let hits = byPrefix[CodeKey.icd10Prefix(key, k)] {
                for c in hits { body(Int(c)) }
            }
        }
    }
}
