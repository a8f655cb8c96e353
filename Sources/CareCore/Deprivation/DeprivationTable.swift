/// Deprivation by area: each Lower-layer Super Output Area's Index of Multiple Deprivation rank
/// (1 = most deprived in England) and decile (1 = most deprived 10 %).
///
/// Bundled: the English Indices of Deprivation 2019 (MHCLG), File 1, on 2011 LSOAs; contains
/// public sector information licensed under the Open Government Licence v3.0. Another edition in
/// the same layout (the 2025 indices, on 2021 LSOAs) is read from its CSV with `--imd FILE`.
/// Quintile = ⌈decile ÷ 2⌉; Core20 (NHS England Core20PLUS5) = the most deprived 20 %
/// nationally = deciles 1 and 2.
public final class DeprivationTable: Sendable {
    public struct Entry: Sendable, Equatable {
        public var rank: Int
        public var decile: Int
        public var quintile: Int { (decile + 1) / 2 }
        public var core20: Bool { decile <= 2 }
    }

    /// What the table is, for output and messages: "IMD 2019" or the file's name.
    public let edition: String
    let entries: [String: Entry]

    public var count: Int { entries.count }

    public init(edition: String, entries: [String: Entry]) {
        self.edition = edition
        self.entries = entries
    }

    /// The entry of an LSOA code (case and surrounding spaces ignored); nil when unknown.
    public func entry(_ lsoa: String) -> Entry? {
        if let e = entries[lsoa] { return e }
        let key = lsoa.trimmingSpaces.uppercased()
        return key == lsoa ? nil : entries[key]
    }

    /// The LSOA codes of each decile (index 0 is decile 1), sorted: for drawing areas.
    public func codesByDecile() -> [[String]] {
        var out = Array(repeating: [String](), count: 10)
        for (code, e) in entries { out[e.decile - 1].append(code) }
        return out.map { $0.sorted() }
    }

    /// The bundled IMD 2019, unpacked on first use.
    public static let bundled: DeprivationTable = {
        let bytes = Base64.decode(imd2019Packed)
        var entries: [String: Entry] = [:]
        entries.reserveCapacity(imd2019Count)
        var i = 0, n = 0
        while i < bytes.count {
            var gap = Int(bytes[i]); i += 1
            if gap == 0 { gap = Int(bytes[i]) << 8 | Int(bytes[i + 1]); i += 2 }
            n += gap
            let rank = Int(bytes[i]) << 8 | Int(bytes[i + 1]), decile = Int(bytes[i + 2])
            i += 3
            var digits = String(n)
            digits = String(repeating: "0", count: max(0, 6 - digits.count)) + digits
            entries["E01" + digits] = Entry(rank: rank, decile: decile)
        }
        precondition(entries.count == imd2019Count, "the bundled IMD table does not unpack")
        return DeprivationTable(edition: "IMD 2019", entries: entries)
    }()

    /// Another edition, from a CSV in the published layout: a column whose name starts
    /// "LSOA code", one holding "Rank" and one holding "Decile" (Index of Multiple Deprivation);
    /// ranks may carry thousands separators; a UTF-8 byte-order mark is allowed.
    public convenience init(path: String) throws {
        var bytes = try InputFile(path: path).readAll(limit: 64 << 20)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let table: CSVTable
        do { table = try CSVTable(name: path, bytes: bytes) } catch let e as CSVTableError { throw CareError(.dataError, e.description) }
        func column(_ test: (String) -> Bool, _ what: String) throws -> Int {
            guard let i = table.header.firstIndex(where: test) else {
                throw CareError(.dataError, "\(path):1: no \(what) column (the layout of the English Indices of Deprivation, File 1: 'LSOA code (2011)', '… Rank', '… Decile')")
            }
            return i
        }
        let code = try column({ $0.hasPrefix("LSOA code") }, "LSOA code")
        let rank = try column({ $0.contains("Rank") && $0.contains("Multiple Deprivation") || $0 == "IMD rank" }, "IMD rank")
        let decile = try column({ $0.contains("Decile") && $0.contains("Multiple Deprivation") || $0 == "IMD decile" }, "IMD decile")
        var entries: [String: Entry] = [:]
        for row in table.rows {
            guard row.fields.count > max(code, rank, decile) else { throw CareError(.dataError, "\(path):\(row.line): too few fields") }
            let c = row.fields[code].trimmingSpaces.uppercased()
            guard !c.isEmpty else { throw CareError(.dataError, "\(path):\(row.line): field 'LSOA code' is empty") }
            guard let r = Int(row.fields[rank].filter { $0 != "," }.trimmingSpaces), r > 0 else {
                throw CareError(.dataError, "\(path):\(row.line): field 'rank': '\(row.fields[rank])' is not a rank")
            }
            guard let d = Int(row.fields[decile].trimmingSpaces), (1...10).contains(d) else {
                throw CareError(.dataError, "\(path):\(row.line): field 'decile': '\(row.fields[decile])' is not a decile from 1 to 10")
            }
            if entries[c] != nil { throw CareError(.dataError, "\(path):\(row.line): LSOA \(c) appears twice") }
            entries[c] = Entry(rank: r, decile: d)
        }
        guard !entries.isEmpty else { throw CareError(.dataError, "\(path): no LSOA rows") }
        self.init(edition: path.split(separator: "/").last.map(String.init) ?? path, entries: entries)
    }
}

/// Standard base64 (RFC 4648) decoding of a bundled constant.
enum Base64 {
    static func decode(_ text: String) -> [UInt8] {
        var table = [UInt8](repeating: 255, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { table[Int(c)] = UInt8(i) }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count * 3 / 4)
        var buffer = 0, bits = 0
        for c in text.utf8 where c != UInt8(ascii: "=") {
            let v = table[Int(c)]
            guard v != 255 else { continue }
            buffer = buffer << 6 | Int(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((buffer >> bits) & 0xFF))
            }
        }
        return out
    }
}
