import ArgumentParser
import CareCore
import CareSynth
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ExtractFormat: ExpressibleByArgument {}

/// `synth-extract`: a seeded, deterministic synthetic population written as an extract folder.
public struct SynthExtract: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "synth-extract",
        abstract: "Write a synthetic, deterministic population as GP, hospital and social-care tables.",
        discussion: """
        Simulates N people over --years of history ending --end: age, sex, practice and team; \
        long-term conditions by age (SNOMED CT and ICD-10), repeat prescriptions (dm+d), \
        observations, emergency and elective admissions (SUS admission methods and discharge \
        destinations), A&E attendances, outpatient appointments (some not attended), reablement \
        after discharge, home care and care-home placements, and deaths. The same --seed always \
        gives the same files. NHS numbers come from the 999 test range, never real ones.

        --bad-rows N adds N deliberately bad rows (invalid NHS number, impossible date, ragged \
        row, unknown code, orphan event, missing code, and an unbalanced quote) to test rejects \
        (tables format only).

        Examples:
          synth-extract --people 300 --seed 7 --out examples/data/tables
          synth-extract --people 300 --split --out examples/data/ics && ingest-gp examples/data/ics/gp examples/data/ics/hospital examples/data/ics/council
          synth-extract --people 1000000 --out /var/tmp/big --bad-rows 100
          synth-extract --format synthea --people 50 --out /tmp/synthea && ingest-gp --preset synthea /tmp/synthea
          synth-extract --people 20000 --seed 3 --plant-mdt=-0.15 --out planted-20k
        """,
        version: ToolVersion.text)

    @Option(help: "Number of people.")
    public var people: Int = 300

    @Option(help: "Random seed: the same seed gives byte-identical files.")
    public var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Output folder (created if missing); each table is written atomically.", valueName: "dir"),
            completion: .directory)
    public var out: String

    @Option(help: "Extract shape to write.")
    public var format: ExtractFormat = .tables

    @Option(help: ArgumentHelp("Last day of the simulated history (YYYY-MM-DD).", valueName: "date"))
    public var end: String = "2026-03-31"

    @Option(help: "Years of history before --end.")
    public var years: Int = 6

    @Option(help: "Number of GP practices.")
    public var practices: Int = 8

    @Option(name: .customLong("bad-rows"), help: "Deliberately bad rows to add (tables format).")
    public var badRows: Int = 0

    @Option(name: .customLong("plant-mdt"), help: ArgumentHelp(
        "Plant MDT reviews, chosen on a spike in emergency admissions (65 and over, 2 or more in the year before, half of them reviewed), that change the later emergency-admission rate by this relative effect (--plant-mdt=-0.15: 15 % fewer; 0: no change). For testing impact-report (docs/evaluation.md).",
        valueName: "effect"))
    public var plantMDT: Double?

    @Option(name: .customLong("plant-from"), help: ArgumentHelp("First day a planted review can fall in (default: two years before --end).", valueName: "date"))
    public var plantFrom: String?

    @Option(name: .customLong("plant-to"), help: ArgumentHelp("Last day a planted review can fall in (default: a year before --end).", valueName: "date"))
    public var plantTo: String?

    @Option(name: .customLong("plant-uptake"), help: ArgumentHelp("Share of the people on a spike who are reviewed.", valueName: "share"))
    public var plantUptake: Double = 0.5

    @Flag(help: "Tables format: write gp/, hospital/ and council/ folders, as three organisations would send them.")
    public var split = false

    @Flag(name: [.short, .long], help: "Print nothing on standard error but errors.")
    public var quiet = false

    public init() {}

    public func validate() throws {
        guard people >= 0 else { throw ValidationError("--people must not be negative") }
        guard out != "-" && !out.isEmpty else { throw ValidationError("--out is a folder for the tables (several files), not standard output") }
        guard years >= 1 else { throw ValidationError("--years must be at least 1") }
        guard practices >= 1 else { throw ValidationError("--practices must be at least 1") }
        guard badRows >= 0 else { throw ValidationError("--bad-rows must not be negative") }
        guard let d = ISODate.parse(end), d.precision == .day else { throw ValidationError("--end must be a date like 2026-03-31") }
        if let e = plantMDT {
            guard e.isFinite, e >= -1, e <= 10 else { throw ValidationError("--plant-mdt is a relative effect from -1 (no admissions after) to 10") }
            guard format == .tables else { throw ValidationError("--plant-mdt writes the tables format") }
            guard badRows == 0 else { throw ValidationError("--plant-mdt and --bad-rows are not made together") }
            guard plantUptake > 0, plantUptake <= 1 else { throw ValidationError("--plant-uptake is a share above 0 and at most 1") }
        } else if plantFrom != nil || plantTo != nil {
            throw ValidationError("--plant-from and --plant-to go with --plant-mdt")
        }
        for (name, v) in [("--plant-from", plantFrom), ("--plant-to", plantTo)] {
            if let v, ISODate.parse(v)?.precision != .day { throw ValidationError("\(name) must be a date like 2024-04-01") }
        }
    }

    public func run() throws {
        try ProgramRunner.run("synth-extract") {
            try FileProbe.makeFolder(out)
            var settings = PopulationSettings(people: people, seed: seed, end: ISODate.parse(end)!, years: years, practices: practices)
            if let plantMDT {
                let last = settings.end
                let from = plantFrom.flatMap { ISODate.parse($0) } ?? CareCore.Duration(months: 24).moving(last, sign: -1)
                let to = plantTo.flatMap { ISODate.parse($0) } ?? CareCore.Duration(months: 12).moving(last, sign: -1)
                guard from <= to else { throw CareError(.usage, "--plant-from \(from) is after --plant-to \(to)") }
                settings.plant = PlantedIntervention(effect: plantMDT, from: from, to: to)
                settings.plant!.uptake = plantUptake
            }
            let summary = try ExtractWriter.write(settings, format: format, folder: out, badRows: badRows, split: split)
            if !quiet {
                let rows = summary.rows.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                Stderr.write("synth-extract: wrote \(summary.people) people to \(out) (\(rows))" + (summary.badRows > 0 ? "; \(summary.badRows) bad rows" : ""))
            }
        }
    }
}
