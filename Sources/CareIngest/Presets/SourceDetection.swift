import CareCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tells a source's format from its content, for a source given without `FORMAT:` and a run
/// without `--format`: a folder of Synthea CSV from one of flat tables, GP2GP extracts from FHIR
/// documents. The run says what it chose; a source that could be read two ways is refused with
/// the two prefixes to choose from. docs/formats.md, "Which format".
public enum SourceDetection {
    public struct Choice: Sendable, Equatable {
        public var format: PresetName
        /// Why, for the note on standard error.
        public var because: String
    }

    /// The format of `path`, or nil when nothing tells (standard input; a folder or file of
    /// nothing recognisable: read as tables, whose errors say what is missing).
    public static func detect(_ path: String) throws -> Choice? {
        if path == "-" { return nil }
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }   // the reader reports the missing path
        if (st.st_mode & S_IFMT) != S_IFDIR { return document(path) }
        let folder = path.hasSuffix("/") ? path : path + "/"
        var table: Choice?
        if access(folder + "patients.csv", R_OK) == 0 {
            let header = Set(try TablesPreset.header(of: folder + "patients.csv"))
            table = header.contains("id") && header.contains("birthdate")
                ? Choice(format: .synthea, because: "patients.csv has Synthea's Id and BIRTHDATE columns")
                : Choice(format: .tables, because: "a patients.csv of flat tables")
        }
        let documents = try DocumentFiles.list(path, extensions: ["xml", "json", "ndjson", "jsonl"])
        let kinds = Set(documents.prefix(20).compactMap { document($0)?.format })
        if let table {
            guard kinds.isEmpty else {
                throw CareError(.usage, "\(Mask.path(path)) holds both tables (patients.csv) and \(kinds.map(\.rawValue).sorted().joined(separator: " and ")) documents: "
                                + "say which to read, \(table.format.rawValue):\(Mask.path(path)) or \(kinds.sorted { $0.rawValue < $1.rawValue }.first!.rawValue):\(Mask.path(path))")
            }
            return table
        }
        if kinds.count > 1 {
            throw CareError(.usage, "\(Mask.path(path)) holds both GP2GP extracts and FHIR documents: give each its own folder, or say which to read (gp2gp:PATH, fhir:PATH)")
        }
        if let kind = kinds.first {
            return Choice(format: kind, because: kind == .gp2gp ? "its XML documents are GP2GP EhrExtracts" : "its documents are FHIR resources")
        }
        return nil
    }

    /// A document's format from its name and first bytes: GP2GP (an HL7 v3 EhrExtract) or FHIR.
    static func document(_ path: String) -> Choice? {
        let lower = path.lowercased()
        if lower.hasSuffix(".json") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".jsonl") {
            return Choice(format: .fhir, because: "a JSON document (FHIR)")
        }
        guard lower.hasSuffix(".xml"), let fd = Optional(open(path, O_RDONLY)), fd >= 0 else { return nil }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 4096)
        let n = read(fd, &head, head.count)
        guard n > 0 else { return nil }
        let text = String(decoding: head[0..<n], as: UTF8.self)
        if text.contains("EhrExtract") || text.contains("RCMR_IN030000") || text.contains("urn:hl7-org:v3") {
            return Choice(format: .gp2gp, because: "an HL7 v3 EhrExtract (GP2GP)")
        }
        if text.contains("http://hl7.org/fhir") { return Choice(format: .fhir, because: "an XML document in the FHIR namespace") }
        return nil
    }
}
