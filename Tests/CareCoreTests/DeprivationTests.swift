import Foundation
import Testing
@testable import CareCore

/// The bundled IMD 2019 and the derived fields it gives the selection language.
@Suite struct DeprivationTests {
    static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/reference/deprivation/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz").path

    @Test("the bundled table agrees with the published File 1 row for row")
    func bundledAgreesWithThePublishedFile() throws {
        guard FileManager.default.fileExists(atPath: Self.shared) else {
            print("note: skipping the IMD table check: ../shared/reference/deprivation is not beside the repository")
            return
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "gzip -dc '\(Self.shared)'"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let dir = NSTemporaryDirectory() + "joinedup-imd-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try data.write(to: URL(fileURLWithPath: dir + "/file1.csv"))
        // The published file read through --imd's reader, against the packed table.
        let published = try DeprivationTable(path: dir + "/file1.csv")
        let bundled = DeprivationTable.bundled
        #expect(published.count == 32_844 && bundled.count == 32_844)
        var differ = 0
        for (code, e) in published.entries where bundled.entries[code] != e { differ += 1 }
        #expect(differ == 0)
        #expect(bundled.entry("E01000001") == .init(rank: 29_199, decile: 9))
    }

    @Test func lookupsAndTheDerivedFields() throws {
        let t = DeprivationTable.bundled
        #expect(t.entry("E01033768") == .init(rank: 1_833, decile: 1))
        #expect(t.entry(" e01000027 ")?.core20 == true && t.entry("E01000027")?.quintile == 1)
        #expect(t.entry("E01000001")?.quintile == 5 && t.entry("E01000001")?.core20 == false)
        #expect(t.entry("W01000001") == nil)
        func value(_ lsoa: String?, _ field: String) throws -> ExpressionValue {
            let line = #"{"id":"a""# + (lsoa.map { #","lsoa":"\#($0)""# } ?? "") + "}"
            let scope = RecordScope(asOf: ISODate.parse("2026-04-01")!)
            var bytes = Array(line.utf8)
            return try bytes.withUnsafeMutableBufferPointer { buf in
                try scope.load(UnsafeBufferPointer(buf), validate: true)
                return scope.value([field])
            }
        }
        #expect(try value("E01033768", "imd_decile") == .number(1) && value("E01033768", "imd_quintile") == .number(1) && value("E01033768", "core20") == .bool(true))
        #expect(try value("E01000001", "core20") == .bool(false))
        #expect(try value("Z99999999", "imd_decile") == .null && value(nil, "core20") == .null, "unknown LSOA: null")
    }

    @Test("--imd reads another edition in the File 1 layout, and refuses a file that is not one")
    func anotherEdition() throws {
        let dir = NSTemporaryDirectory() + "joinedup-imd-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "\u{FEFF}LSOA code (2021),LSOA name (2021),Index of Multiple Deprivation (IMD) Rank,Index of Multiple Deprivation (IMD) Decile\nE01035000,New 001A,\"1,200\",1\n"
            .write(toFile: dir + "/imd2025.csv", atomically: true, encoding: .utf8)
        let t = try DeprivationTable(path: dir + "/imd2025.csv")
        #expect(t.entry("E01035000") == .init(rank: 1200, decile: 1) && t.edition == "imd2025.csv")
        try "code,rank\nE01,1\n".write(toFile: dir + "/bad.csv", atomically: true, encoding: .utf8)
        #expect(throws: CareError.self) { try DeprivationTable(path: dir + "/bad.csv") }
        try "LSOA code,IMD rank,IMD decile\nE01000001,5,11\n".write(toFile: dir + "/bad2.csv", atomically: true, encoding: .utf8)
        #expect(throws: CareError.self) { try DeprivationTable(path: dir + "/bad2.csv") }
    }
}
