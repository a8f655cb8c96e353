// swift-tools-version: 6.0
import PackageDescription
import Foundation

// The record path is measured hot code: release builds drop dynamic exclusivity checks there.
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "joinedup",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ingest-gp", targets: ["ingest-gp"]),
        .executable(name: "synth-extract", targets: ["synth-extract"]),
        .executable(name: "risk-score", targets: ["risk-score"]),
        .executable(name: "mdt-list", targets: ["mdt-list"]),
        .executable(name: "pathway-audit", targets: ["pathway-audit"]),
        .executable(name: "outcome-report", targets: ["outcome-report"]),
        .executable(name: "risk-model", targets: ["risk-model"]),
        .executable(name: "impact-report", targets: ["impact-report"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // C libraries, linked from the system (Debian: libcsv-dev, libxml2-dev).
        .systemLibrary(name: "CCSV", path: "Sources/CCSV"),
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),

        // Person model, JSON Lines codec, dates, NHS numbers, diagnostics, shared CLI options.
        .target(name: "CareCore", dependencies: [
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: hotPath),
        // Table readers (libcsv), presets, grouping in bounded memory, merging sources.
        .target(name: "CareIngest", dependencies: [
            "CareCore", "CCSV", "CLibXML2",
            .product(name: "Collections", package: "swift-collections"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: hotPath),
        // Published risk models (eFI, HFRS, Charlson, Elixhauser, LACE) over person records; their
        // tables are CSV files citing the papers, compiled in.
        .target(name: "CareRisk", dependencies: ["CareCore"],
                resources: ["hfrs", "charlson-quan2005-icd10", "charlson-weights", "elixhauser-quan2005-icd10",
                            "elixhauser-vanwalraven", "lace-points", "lace-charlson", "efi-deficits", "efi-codes",
                            "efi-value-rules"].map { .embedInCode("Tables/\($0).csv") },
                swiftSettings: hotPath),
        // The locally fitted emergency-admission model: features, fit, validation, model card.
        .target(name: "CareModel", dependencies: ["CareCore", "CareRisk", "CareStatistics"], swiftSettings: hotPath),
        // Impact evaluation: matched controls, balance, difference-in-differences, the report.
        .target(name: "CareEvaluation", dependencies: ["CareCore", "CareRisk", "CareModel", "CareStatistics", "CareOutcomes"]),
        // MDT review lists: selection, ranking, exclusions, change since the last run, outputs.
        .target(name: "CareMDT", dependencies: [
            "CareCore", .product(name: "HeapModule", package: "swift-collections"),
        ], swiftSettings: hotPath),
        // Care pathways: YAML definitions (Yams), evaluated person by person.
        .target(name: "CarePathways", dependencies: [
            "CareCore", .product(name: "Yams", package: "Yams"),
        ], swiftSettings: hotPath),
        // Statistics more than one program uses, below the domain modules: distributions,
        // intervals (PHE/OHID Fingertips conventions), funnels, SPC, the slope index of inequality.
        .target(name: "CareStatistics", swiftSettings: hotPath),
        // The outcome report: metrics, breakdowns, documents.
        .target(name: "CareOutcomes", dependencies: ["CareCore", "CareStatistics"], swiftSettings: hotPath),
        // A seeded synthetic population, written as extract folders (examples, tests, benchmarks).
        .target(name: "CareSynth", dependencies: ["CareCore"]),
        // One file per program: its ParsableCommand wiring stdin -> domain module -> stdout.
        .target(name: "CareCommands", dependencies: [
            "CareCore", "CareIngest", "CareSynth", "CareRisk", "CareMDT", "CarePathways", "CareOutcomes", "CareModel", "CareEvaluation",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "ingest-gp", dependencies: ["CareCommands"]),
        .executableTarget(name: "synth-extract", dependencies: ["CareCommands"]),
        .executableTarget(name: "risk-score", dependencies: ["CareCommands"]),
        .executableTarget(name: "mdt-list", dependencies: ["CareCommands"]),
        .executableTarget(name: "pathway-audit", dependencies: ["CareCommands"]),
        .executableTarget(name: "outcome-report", dependencies: ["CareCommands"]),
        .executableTarget(name: "risk-model", dependencies: ["CareCommands"]),
        .executableTarget(name: "impact-report", dependencies: ["CareCommands"]),
        // Benchmark harness for the JSON Lines record path (bench/, not a product).
        .executableTarget(name: "jsonl-passthrough", dependencies: ["CareCore", .product(name: "ArgumentParser", package: "swift-argument-parser")], path: "bench/jsonl-passthrough",
                          swiftSettings: hotPath),

        .testTarget(name: "CareCoreTests", dependencies: ["CareCore"]),
        .testTarget(name: "CareIngestTests", dependencies: ["CareIngest", "CareCore", "CareSynth"]),
        .testTarget(name: "CareOutcomesTests", dependencies: ["CareOutcomes", "CareStatistics"]),
        .testTarget(name: "CareStatisticsTests", dependencies: ["CareStatistics"]),
        .testTarget(name: "CarePathwaysTests", dependencies: ["CarePathways", "CareCore"]),
        .testTarget(name: "CareMDTTests", dependencies: ["CareMDT", "CareCore"]),
        .testTarget(name: "CareRiskTests", dependencies: ["CareRisk", "CareCore"]),
        .testTarget(name: "CareEvaluationTests", dependencies: ["CareEvaluation", "CareModel", "CareCore", "CareStatistics"]),
        .testTarget(name: "CareModelTests", dependencies: ["CareModel", "CareRisk", "CareCore", "CareStatistics"]),
        .testTarget(name: "EndToEndTests", dependencies: ["CareSynth"]),
    ]
)

// Fuzz targets (libFuzzer), only when JOINEDUP_FUZZ=1: `make fuzz` builds them with
// -sanitize=fuzzer,address into .build-fuzz and runs each on a corpus seeded from the fixtures.
// (Each defines LLVMFuzzerTestOneInput and no main, so they link only with libFuzzer.)
if ProcessInfo.processInfo.environment["JOINEDUP_FUZZ"] == "1" {
    package.targets.append(.target(name: "FuzzSupport", dependencies: ["CareCore", "CareIngest"], path: "Fuzz/Support"))
    package.targets.append(.target(name: "FuzzMain", path: "Fuzz/Main"))
    let fuzzTargets: [(String, [Target.Dependency])] = [
        ("expression", ["CareCore"]), ("record", ["CareCore"]), ("pathway", ["CarePathways"]),
        ("csv", ["FuzzSupport", "CareCore", "CareIngest"]), ("fhir", ["FuzzSupport", "CareCore", "CareIngest"]),
        ("gp2gp", ["FuzzSupport", "CareCore", "CareIngest"]),
    ]
    for (name, dependencies) in fuzzTargets {
        package.targets.append(.executableTarget(name: "fuzz-\(name)", dependencies: dependencies + ["FuzzMain"], path: "Fuzz/\(name)",
                                                 swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
        package.products.append(.executable(name: "fuzz-\(name)", targets: ["fuzz-\(name)"]))
    }
}
