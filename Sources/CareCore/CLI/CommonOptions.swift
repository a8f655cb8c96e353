import ArgumentParser

/// Options every program shares (DESIGN.md §4).
public struct CommonOptions: ParsableArguments {
    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write to FILE (atomically: a temporary file, then rename) instead of standard output.", valueName: "file"))
    public var output: String?

    @Option(name: .long, help: ArgumentHelp("Write each rejected record to FILE as a JSON line (source, line, field, reason).", valueName: "file"))
    public var rejects: String?

    @Flag(name: .long, help: "Stop at the first rejected record (exit 65).")
    public var strict = false

    @Flag(name: [.short, .long], help: "Print nothing on standard error but errors.")
    public var quiet = false

    public init() {}

    /// The run's diagnostics, as these options ask (quiet, strict, a rejects file).
    /// The usage check of a program's `--threads` (ingest-gp, risk-score, pathway-audit,
    /// outcome-report): 1 to 64.
    public static func validateThreads(_ n: Int) throws {
        if n < 1 || n > 64 { throw ValidationError("--threads must be between 1 and 64") }
    }

    public func diagnostics(program: String, unit: String) throws -> Diagnostics {
        try Diagnostics(program: program, unit: unit, quiet: quiet, strict: strict, rejectsPath: rejects)
    }
}

/// `--as-of DATE`: the day results are computed for (default: today, UTC).
public struct AsOfOption: ParsableArguments {
    @Option(name: .customLong("as-of"), help: ArgumentHelp("Compute as on DATE (YYYY-MM-DD); default today. Same input and date give byte-identical output.", valueName: "date"))
    public var asOfText: String?

    public init() {}

    public func asOf() throws -> ISODate {
        guard let asOfText else { return ISODate.today() }
        guard let d = ISODate.parse(asOfText), d.precision == .day else {
            throw ValidationError("--as-of must be a date like 2026-11-22, not '\(asOfText)'")
        }
        return d
    }
}

extension CommonOptions {
    /// The record schema with the fields declared by `--field PATH:TYPE` (each a usage error
    /// when malformed).
    public static func schema(declaring declarations: [String]) throws -> RecordSchema {
        var schema = RecordSchema.standard
        for d in declarations {
            guard let colon = d.firstIndex(of: ":"), colon != d.startIndex,
                  let type = FieldType.parse(String(d[d.index(after: colon)...])) else {
                throw CareError(.usage, "--field: '\(d)' is not PATH:TYPE (TYPE number, date, text, bool or category(a,b,c))")
            }
            let path = String(d[..<colon])
            guard path.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }) else {
                throw CareError(.usage, "--field: '\(path)' is not a field path (like local.flag)")
            }
            schema.declare(path, type)
        }
        return schema
    }
}

/// `--imd FILE`: another edition of the English Indices of Deprivation (File 1 layout) for
/// `imd_decile`, `imd_quintile` and `core20`, instead of the bundled IMD 2019.
public struct DeprivationOption: ParsableArguments {
    @Option(name: .customLong("imd"), help: ArgumentHelp("Deprivation for imd_decile, imd_quintile and core20 from this CSV (the layout of the English Indices of Deprivation, File 1: LSOA code, IMD rank, IMD decile; e.g. the 2025 indices on 2021 LSOAs) instead of the bundled IMD 2019 (MHCLG; Open Government Licence v3.0).", valueName: "file"),
            completion: .file(extensions: ["csv"]))
    public var imd: String?

    public init() {}

    public func table() throws -> DeprivationTable { try imd.map { try DeprivationTable(path: $0) } ?? .bundled }
}
